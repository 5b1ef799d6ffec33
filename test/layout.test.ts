/**
 * `operations.ts` is laid out by prettier's printer from documents built in `generator/emit/layout.ts`, not by
 * prettier parsing flat text; `client.ts` is formatted by prettier a slice of statements at a time. The bytes must be those prettier makes of the whole file from the flat source
 * (what each statement's `source()` gives, as the ts-morph path printed it): for every fixture spec, for the
 * hostile ones, and for a spec whose strings, keys and widths take prettier's other branches. The pieces that
 * mirror a prettier rule are checked against prettier on the inputs that choose between its branches.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { StructureKind } from "ts-morph";
import { describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import {
  jsDoc,
  printStatementsFormatted,
  stringLiteral,
  Unsure,
} from "../generator/emit/layout.js";
import { clientStatements } from "../generator/emit/client.js";
import { operationsTableStatements } from "../generator/emit/operations-table.js";
import { formatStatements, printStatements } from "../generator/emit/source-file.js";
import { printDocText, printString } from "../generator/emit/print.js";
import {
  formatTypeScript,
  formatTypeScriptDocsAside,
  layDocsAside,
  putDocsBack,
} from "../generator/output/format.js";
import { CLIENT_FIXTURES, FIXTURES } from "./helpers/paths.js";

const SPECS = [...CLIENT_FIXTURES, "hostile/injection.yaml"];

/** `operations.ts`'s body both ways: laid out here, and prettier over the flat source of the whole file. */
async function bothWays(spec: string): Promise<{ laidOut: string; prettier: string }> {
  const { model, files } = await generateFiles({ spec, displayPath: "spec" });
  const statements = operationsTableStatements(model);
  const laidOut = await printStatementsFormatted(statements, formatTypeScript);
  expect(files.get("operations.ts")!.endsWith(laidOut)).toBe(true);
  const prettier = await formatTypeScript(statements.map((s) => s.source()).join("\n"));
  return { laidOut, prettier };
}

describe("operations.ts laid out without parsing", () => {
  it.each(SPECS)("the bytes prettier makes of the whole file: %s", async (spec) => {
    const { laidOut, prettier } = await bothWays(join(FIXTURES, spec));
    expect(laidOut).toBe(prettier);
  });

  it("a spec whose strings, keys and widths take prettier's other branches: the same bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-layout-"));
    try {
      const long = "x".repeat(95);
      const spec = {
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        servers: [
          {
            url: "https://{région}.example.com/{v}",
            variables: {
              région: { default: "eu", enum: ["eu", "us"] },
              v: { default: `say "hi" ${long}` },
            },
          },
        ],
        components: {
          securitySchemes: {
            'key "with" quotes': { type: "apiKey", in: "header", name: "X-Key'" },
          },
        },
        paths: {
          // Two short objects of more than one key: prettier breaks the array even though it fits.
          "/s": {
            get: {
              servers: [{ url: "/a" }, { url: "/b" }],
              responses: { "204": { description: "none" } },
            },
          },
          [`/${long}/{id}`]: {
            post: {
              operationId: `op${"Long".repeat(20)}`,
              parameters: [
                { name: "id", in: "path", required: true, schema: { type: "string" } },
                { name: `q${long}`, in: "query", schema: { type: "array", items: {} } },
              ],
              requestBody: {
                content: {
                  'application/json; profile="a"': { schema: { type: "object" } },
                  "text/plain": { schema: { type: "string" } },
                },
              },
              responses: {
                "201": { description: "ok", content: { "application/json": { schema: {} } } },
                "4XX": { description: "bad", content: { "text/plain": { schema: {} } } },
                "404": { description: "none" },
              },
              security: [{ 'key "with" quotes': [] }],
            },
          },
        },
      };
      const path = join(dir, "spec.json");
      writeFileSync(path, JSON.stringify(spec));
      const { laidOut, prettier } = await bothWays(path);
      expect(laidOut).toBe(prettier);
      // The branches were taken: single quotes around more double quotes; a non-ASCII key (prettier's own).
      expect(laidOut).toContain(`'say "hi" ${long}'`);
      expect(laidOut).toContain("région: {");
      expect(laidOut).toContain('servers: [\n    { url: "/a", variables: {} },');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("client.ts formatted a slice at a time", () => {
  // Slices of one and of three statements: every boundary between two statements is a slice boundary.
  it.each(SPECS)("the bytes prettier makes of the whole file: %s", async (spec) => {
    const { model, files } = await generateFiles({
      spec: join(FIXTURES, spec),
      displayPath: "spec",
    });
    const statements = clientStatements(model);
    const whole = await formatTypeScript(printStatements("client.ts", statements));
    expect(files.get("client.ts")!.endsWith(whole)).toBe(true);
    for (const slice of [1, 3])
      expect(await formatStatements("client.ts", statements, formatTypeScript, slice)).toBe(whole);
    // As generate() formats it: slices of 50, doc comments laid aside (and some there to lay aside).
    expect(layDocsAside(printStatements("client.ts", statements)).docs.length).toBeGreaterThan(0);
    for (const slice of [1, 50])
      expect(
        await formatStatements("client.ts", statements, formatTypeScriptDocsAside, slice),
      ).toBe(whole);
  });
});

describe("doc comments laid aside while prettier formats", () => {
  const code = "export function f(a: string,b: number) {return  a}";
  it.each([
    ["one line", "/** One line. */"],
    ["paragraphs and a tag", "/**\n * First.\n *\n * Second.\n * @deprecated\n */"],
    ["indented text", "/**\n *   code\n * \tmore\n */"],
    ["an empty block", "/**\n */"],
  ])("%s: laid aside, the bytes prettier makes of the whole text", async (_, doc) => {
    const text = `${code}\n\n${doc}\n${code}\n${doc}\ntype T = {a:1}\n`;
    expect(layDocsAside(text).docs).toEqual([doc + "\n", doc + "\n"]);
    expect(await formatTypeScriptDocsAside(text)).toBe(await formatTypeScript(text));
  });

  it.each([
    ["trailing spaces (a Markdown line break)", "/**\n * a  \n * b\n */"],
    ["a line indented otherwise", "/**\n   * a\n */"],
    ["text on the opening line", "/** a\n * b\n */"],
    ["a carriage return", "/**\n * a\r\n */"],
    ["a line separator", "/**\n * a\u2028b\n */"],
  ])("%s: left to prettier, which changes it or may", async (_, doc) => {
    const text = `${doc}\n${code}\n`;
    expect(layDocsAside(text).docs).toEqual([]);
    expect(await formatTypeScriptDocsAside(text)).toBe(await formatTypeScript(text));
  });

  it.each([
    ["a doc-like line inside a template literal", "const t = `\n/** x */\n`;\n"],
    ["the marker's name in a string", 'const m = "SPECFETCH_DOC_0;";\n/** x */\nconst n = 1;\n'],
    ["a marker that prettier cannot keep on its line", "const a = [\n/** x */\n1];\n"],
  ])("%s: the bytes prettier makes of the whole text", async (_, text) => {
    expect(await formatTypeScriptDocsAside(text)).toBe(await formatTypeScript(text));
  });

  it("any doc text, as the generator prints it: the bytes prettier makes of the whole text (property)", async () => {
    const piece = fc.constantFrom(
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\r",
      "\u2028",
      "*",
      "*/",
      "/**",
      "@",
      "`",
      "a",
      "é",
      "\ud800",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
          { minLength: 1, maxLength: 4 },
        ),
        async (texts) => {
          const statements = texts.map((text, i) => ({
            kind: StructureKind.TypeAlias as const,
            isExported: true,
            name: `T${i}`,
            type: "{a:1}",
            docs: [printDocText(text) || "x"],
          }));
          const source = printStatements("client.ts", statements);
          expect(await formatTypeScriptDocsAside(source)).toBe(await formatTypeScript(source));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("puts nothing back unless every marker is on its own line, in order", () => {
    const docs = ["/** a */\n", "/** b */\n"];
    expect(putDocsBack("SPECFETCH_DOC_0;\nx;\nSPECFETCH_DOC_1;\ny;\n", docs)).toBe(
      "/** a */\nx;\n/** b */\ny;\n",
    );
    expect(putDocsBack("SPECFETCH_DOC_1;\nx;\nSPECFETCH_DOC_0;\ny;\n", docs)).toBeUndefined();
    expect(putDocsBack("SPECFETCH_DOC_0;\nx;\n", docs)).toBeUndefined();
    expect(putDocsBack("f(SPECFETCH_DOC_0);\nSPECFETCH_DOC_1;\n", docs)).toBeUndefined();
  });
});

describe("the pieces", () => {
  it.each([
    ["plain", "plain"],
    ["more double quotes", 'say "hi"'],
    ["as many of each", `it's "x"`],
    ["more single quotes", `it's 'x' "y"`],
    ["a backslash", "C:\\dir"],
  ])("a string literal as prettier prints it (%s)", async (_, value) => {
    const printed = printString(value);
    const prettier = (await formatTypeScript(`x = ${printed};\n`)).slice(4, -2);
    expect(stringLiteral(printed)).toBe(prettier);
  });

  it.each([
    ["one line", "One line."],
    ["paragraphs", "First.\n\nSecond."],
    ["a Markdown line break (two trailing spaces)", "a  \nb   \nc"],
    ["indented lines and trailing spaces", "  code\n\tmore \nlast  "],
    ["a tag", "Text.\n@deprecated"],
  ])("a JSDoc block as prettier prints ts-morph's (%s)", async (_, text) => {
    const lines = text.split("\n");
    const tsMorph =
      lines.length <= 1
        ? `/** ${text} */`
        : `/**\n${lines.map((l) => ` *${l.length > 0 ? ` ${l}` : ""}`).join("\n")}\n */`;
    const prettier = await formatTypeScript(`${tsMorph}\nexport const x = 1;\n`);
    expect(`${jsDoc(text)}\nexport const x = 1;\n`).toBe(prettier);
  });

  it("formats an Unsure statement with the formatter, and lays out the others", async () => {
    const text = await printStatementsFormatted(
      [
        { doc: () => "export const a = 1;", source: () => "export const a = 1" },
        {
          doc: () => {
            throw new Unsure();
          },
          source: () => "export   const b={x:1}",
        },
        { doc: () => "export const c = 3;", source: () => "" },
      ],
      formatTypeScript,
    );
    expect(text).toBe("export const a = 1;\nexport const b = { x: 1 };\nexport const c = 3;\n");
  });
});
