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
import { StructureKind, type StatementStructures } from "ts-morph";
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
import { printStatements } from "../generator/emit/source-file.js";
import { parseType, printClientFormatted } from "../generator/emit/client-layout.js";
import { printDocText, printString } from "../generator/emit/print.js";
import { formatTypeScript } from "../generator/output/format.js";
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

/** `client.ts`'s statements both ways: laid out here (counting the statements left to prettier), and prettier over the whole file. */
async function clientBothWays(
  statements: StatementStructures[],
): Promise<{ laidOut: string; prettier: string; toPrettier: number }> {
  let toPrettier = 0;
  const laidOut = await printClientFormatted(statements, (source) => {
    toPrettier++;
    return formatTypeScript(source);
  });
  const prettier = await formatTypeScript(printStatements("client.ts", statements));
  return { laidOut, prettier, toPrettier };
}

describe("client.ts laid out without parsing", () => {
  it.each(SPECS)("the bytes prettier makes of the whole file: %s", async (spec) => {
    const { model, files } = await generateFiles({
      spec: join(FIXTURES, spec),
      displayPath: "spec",
    });
    const statements = clientStatements(model);
    const { laidOut, prettier, toPrettier } = await clientBothWays(statements);
    expect(laidOut).toBe(prettier);
    expect(files.get("client.ts")!.endsWith(laidOut)).toBe(true);
    // Only the few statements of other shapes (createClient, defaultClient, isApiErrorOf) go to prettier.
    expect(toPrettier).toBeLessThan(statements.length / 2);
  });

  it("a spec whose names, bodies and responses take prettier's other branches: the same bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-client-layout-"));
    try {
      const json = { schema: { type: "object", properties: { a: { type: "string" } } } };
      const spec = {
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: {
          "/items/{id}": {
            post: {
              operationId: "createOrReplaceTheItemWithAVeryLongOperationIdentifier",
              summary: "Line one.  \nLine two, after a Markdown line break.",
              deprecated: true,
              parameters: [
                { name: "id", in: "path", required: true, schema: { type: "string" } },
                { name: "q", in: "query", schema: { type: "string" } },
                { name: "Accept", in: "header", schema: { type: "string" } },
                { name: "X-Trace", in: "header", schema: { type: "string" } },
              ],
              requestBody: {
                required: true,
                content: {
                  "application/json": json,
                  "application/x-www-form-urlencoded": json,
                },
              },
              responses: {
                "200": { description: "ok", content: { "application/json": json } },
                "202": { description: "later", content: { "text/plain": { schema: {} } } },
                "404": { description: "gone", content: { "application/json": json } },
                "4XX": { description: "bad", content: { "application/json": json } },
                default: { description: "other", content: { "application/json": json } },
              },
            },
          },
          "/stream": {
            get: {
              operationId: "s",
              responses: {
                "200": {
                  description: "lines",
                  content: {
                    "application/jsonl": { schema: { type: "array", items: { type: "string" } } },
                  },
                },
              },
            },
          },
        },
      };
      const path = join(dir, "spec.json");
      writeFileSync(path, JSON.stringify(spec));
      const { model } = await generateFiles({ spec: path, displayPath: "spec" });
      const { laidOut, prettier } = await clientBothWays(clientStatements(model));
      expect(laidOut).toBe(prettier);
      // The branches were taken: type arguments broken inside a broken union, aligned under `| `; a union in
      // parentheses inside an intersection; parameters one per line; a tag; a range without its own status.
      expect(laidOut).toContain("Error =\n  | ApiError<\n      404,\n");
      expect(laidOut).toMatch(/\n\} & \(\n {2}\| \{\n {6}body: NonNullable<\n/);
      expect(laidOut).toContain("Identifier(\n  args: ");
      expect(laidOut).toContain(" * @deprecated\n */");
      expect(laidOut).toContain('Exclude<StatusRange<"4">, 404>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Types of the grammar `operation-types.ts` writes, with names and strings of any length. */
  const typeText: fc.Memo<string> = fc.memo((depth) => {
    const name = fc.stringMatching(/^[A-Z][a-zA-Z]{0,39}$/);
    const leaf = fc.oneof(
      name,
      fc.constantFrom("string", "never", "undefined", "null", "Blob", "200", "404"),
      fc.stringMatching(/^[a-z/"' ]{0,50}$/).map((s) => printString(s)),
    );
    if (depth <= 1) return leaf;
    const inner = typeText(depth - 1);
    const member = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[a-z][a-zA-Z]{0,12}$/), fc.boolean(), inner)
      .map(([ro, key, opt, type]) => `${ro ? "readonly " : ""}${key}${opt ? "?" : ""}: ${type};`);
    const nonUnion = fc.oneof(
      leaf,
      fc
        .tuple(name, fc.array(inner, { minLength: 1, maxLength: 3 }))
        .map(([n, args]) => `${n}<${args.join(", ")}>`),
      fc
        .tuple(name, fc.array(leaf, { minLength: 1, maxLength: 3 }))
        .map(([n, keys]) => `${n}${keys.map((k) => `[${k}]`).join("")}`),
      fc.array(member, { maxLength: 3 }).map((members) => `{ ${members.join(" ")} }`),
    );
    return fc.oneof(
      nonUnion,
      fc.array(nonUnion, { minLength: 2, maxLength: 4 }).map((types) => types.join(" | ")),
      fc.array(nonUnion, { minLength: 2, maxLength: 3 }).map((types) => types.join(" & ")),
      fc
        .tuple(
          fc.array(member, { minLength: 1, maxLength: 2 }),
          fc.array(nonUnion, { minLength: 2, maxLength: 3 }),
        )
        .map(
          ([members, alternatives]) => `{ ${members.join(" ")} } & (${alternatives.join(" | ")})`,
        ),
    );
  });

  it("any type of that grammar, in an alias, a parameter and a return type: the bytes of prettier (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        typeText(3),
        fc.stringMatching(/^op[A-Z][a-zA-Z]{0,58}$/),
        async (type, name) => {
          const statements: StatementStructures[] = [
            { kind: StructureKind.TypeAlias, isExported: true, name: `T${name}`, type },
            { kind: StructureKind.TypeAlias, name: `U${name}`, type, docs: ["A type."] },
            {
              kind: StructureKind.Function,
              isExported: true,
              name,
              parameters: [
                { name: "args", type, initializer: "{}" },
                { name: "options", type: "CallOptions", hasQuestionToken: true },
              ],
              returnType: `Promise<${type}>`,
              statements: [`return send(${name}Meta, args, options, defaultClient);`],
            },
          ];
          const { laidOut, prettier } = await clientBothWays(statements);
          expect(laidOut).toBe(prettier);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("any doc text, as the generator prints it, with or without a tag: the bytes of prettier (property)", async () => {
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
          fc.tuple(
            fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (texts) => {
          const statements: StatementStructures[] = texts.map(([text, deprecated], i) => ({
            kind: StructureKind.TypeAlias as const,
            isExported: true,
            name: `T${i}`,
            type: "{ a: 1 }",
            docs: [(printDocText(text) || "x") + (deprecated ? "\n@deprecated" : "")],
          }));
          const { laidOut, prettier } = await clientBothWays(statements);
          expect(laidOut).toBe(prettier);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ["an array type", "readonly unknown[]"],
    ["a quoted key", '{ "a-b": string }'],
    ["a union inside a union", "A | (B | C)"],
    ["a function type", "(a: string) => void"],
    ["text after the type", "A B"],
  ])("a type outside the grammar is Unsure, for prettier: %s", (_, type) => {
    expect(() => parseType(type)).toThrow(Unsure);
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
