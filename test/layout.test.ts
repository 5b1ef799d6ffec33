/**
 * `client.ts`, `operations.ts` and `index.ts` are printed already formatted (`generator/emit/layout.ts`), not
 * run through prettier: prettier must find nothing to change in them, for every fixture spec and for the
 * hostile ones (names, strings and doc text that stress quoting and comments). The pieces that mirror a
 * prettier rule are checked against prettier on the inputs that choose between its branches.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import {
  jsDoc,
  printStatementsFormatted,
  stringLiteral,
  Unsure,
} from "../generator/emit/layout.js";
import { printString } from "../generator/emit/print.js";
import { formatTypeScript, NO_CHECK_DIRECTIVE } from "../generator/output/format.js";
import { FIXTURES } from "./helpers/paths.js";

const SPECS = [
  "seed/revoke-session.yaml",
  "params/spec.yaml",
  "bodies/spec.yaml",
  "responses/spec.yaml",
  "security/spec.yaml",
  "naming/spec.yaml",
  "multi-file/openapi.yaml",
  "swagger2/spec.yaml",
  "anchors/spec.yaml",
  "circular/spec.yaml",
  "runtime-extras/spec.yaml",
  "statuses/spec.yaml",
  "binary/spec.yaml",
  "binary-3.1/spec.yaml",
  "read-write/spec.yaml",
  "deprecated/spec.yaml",
  "hostile/injection.yaml",
  "petstore/petstore-expanded.yaml",
  "petstore/swagger-petstore-v3-openapi.yaml",
];

/** A generated file without its banner and type-check directive: what prettier would have been given. */
function body(file: string): string {
  return file.slice(file.indexOf(NO_CHECK_DIRECTIVE) + NO_CHECK_DIRECTIVE.length + 1);
}

describe("printed already formatted", () => {
  it.each(SPECS)("prettier changes nothing in %s's client, metadata and index", async (spec) => {
    const { files } = await generateFiles({ spec: join(FIXTURES, spec), displayPath: spec });
    for (const name of ["client.ts", "operations.ts", "index.ts"]) {
      const text = body(files.get(name)!);
      expect(await formatTypeScript(text), `${spec}: ${name}`).toBe(text);
    }
  });

  it.each([
    ["a long server URL", "https://{région}.example.com/{v}"],
    ["a short server URL (createClient on one line)", "/v1"],
  ])("a spec whose strings and names take prettier's other branches (%s)", async (_, url) => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-layout-"));
    try {
      const long = "x".repeat(95);
      const spec = {
        openapi: "3.1.0",
        info: { title: 'Quotes "everywhere"', version: "1" },
        servers: [
          {
            url,
            variables: {
              région: { default: "eu", enum: ["eu", "us"] },
              v: { default: `say "hi" ${long}` },
            },
          },
        ],
        paths: {
          [`/${long}/{id}`]: {
            post: {
              operationId: `op${"Long".repeat(20)}`,
              summary: "Trailing spaces  \nthen a line  \n\n   indented",
              deprecated: true,
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
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
            },
          },
        },
      };
      const path = join(dir, "spec.json");
      writeFileSync(path, JSON.stringify(spec));
      const { files } = await generateFiles({ spec: path, displayPath: "spec.json" });
      for (const name of ["client.ts", "operations.ts", "index.ts"]) {
        const text = body(files.get(name)!);
        expect(await formatTypeScript(text), name).toBe(text);
      }
      expect(files.get("operations.ts")).toContain('\'say "hi"');
      expect(files.get("operations.ts")).toContain("région:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
          spaced: true,
        },
        { doc: () => "export const c = 3;", source: () => "" },
      ],
      formatTypeScript,
    );
    expect(text).toBe("export const a = 1;\n\nexport const b = { x: 1 };\n\nexport const c = 3;\n");
  });
});
