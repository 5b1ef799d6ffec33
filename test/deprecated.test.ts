/**
 * deprecated/spec.yaml: a deprecated operation's function and every deprecated parameter (inline, through
 * `components/parameters`, at path level, in each location) carry `@deprecated` where an editor looks for it: on
 * the function's symbol and on the property a caller writes in `args`. Read through the TypeScript compiler API
 * from the generated files, as an editor would resolve them (the Args type's indexed accesses included).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import { STRICTEST_FLAGS } from "./helpers/strict-flags.js";
import { displayPathOf, FIXTURES } from "./helpers/paths.js";

let dir: string;
let checker: ts.TypeChecker;
let client: ts.SourceFile;

beforeAll(async () => {
  const spec = join(FIXTURES, "deprecated/spec.yaml");
  const { files } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
  dir = mkdtempSync(join(tmpdir(), "specfetch-deprecated-"));
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  const { options } = ts.convertCompilerOptionsFromJson({ ...STRICTEST_FLAGS, noEmit: true }, dir);
  const program = ts.createProgram([join(dir, "index.ts")], options);
  checker = program.getTypeChecker();
  client = program.getSourceFile(join(dir, "client.ts"))!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exported(name: string): ts.Symbol {
  const symbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(client)!)
    .find((s) => s.name === name);
  if (!symbol) throw new Error(`client.ts exports no ${name}`);
  return symbol;
}

function isDeprecated(symbol: ts.Symbol): boolean {
  return symbol.getJsDocTags(checker).some((tag) => tag.name === "deprecated");
}

/** The property `name` of `args[location]` in the operation's Args type. */
function argsProperty(typeName: string, location: string, name: string): ts.Symbol {
  const args = checker.getDeclaredTypeOfSymbol(exported(typeName));
  const group = checker.getNonNullableType(
    checker.getTypeOfSymbol(checker.getPropertyOfType(args, location)!),
  );
  const property = checker.getPropertyOfType(group, name);
  if (!property) throw new Error(`${typeName}["${location}"] has no property ${name}`);
  return property;
}

describe("operations", () => {
  it("the deprecated operation's function carries @deprecated, the other does not", () => {
    expect(isDeprecated(exported("listOrders"))).toBe(true);
    expect(isDeprecated(exported("getOrder"))).toBe(false);
  });
});

describe("parameters, on the property of the Args type", () => {
  it.each([
    ["ListOrdersArgs", "query", "offset", true],
    ["ListOrdersArgs", "query", "legacy", true], // through components/parameters
    ["ListOrdersArgs", "header", "X-Legacy-Tenant", true], // declared on the path item
    ["ListOrdersArgs", "cookie", "session_v1", true],
    ["GetOrderArgs", "path", "orderId", true],
    ["ListOrdersArgs", "query", "page", false],
  ])("%s[%s].%s deprecated: %s", (typeName, location, name, deprecated) => {
    expect(isDeprecated(argsProperty(typeName, location, name))).toBe(deprecated);
  });
});

describe("a deprecated operation whose summary holds `/**` and `*/`", () => {
  // ts-morph's JSDoc printer ended the comment early when such a description was followed by a tag, and
  // generation crashed in prettier. A long name sends the function to prettier by way of ts-morph's printer.
  it.each([
    ["a function laid out without prettier", "getX"],
    ["a function printed by ts-morph for prettier", `get${"VeryLong".repeat(8)}`],
  ])("%s: generates, and the function stays deprecated with its text", async (_, operationId) => {
    const spec = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: {
        "/x": {
          get: {
            operationId,
            summary: "Use /** markers */ like this /**",
            deprecated: true,
            responses: { "204": { description: "none" } },
          },
        },
      },
    };
    const work = mkdtempSync(join(tmpdir(), "specfetch-deprecated-doc-"));
    try {
      writeFileSync(join(work, "spec.json"), JSON.stringify(spec));
      const { files } = await generateFiles({ spec: join(work, "spec.json"), displayPath: "spec" });
      const text = files.get("client.ts")!;
      const source = ts.createSourceFile("client.ts", text, ts.ScriptTarget.Latest, true);
      const fn = source.statements.find(
        (s): s is ts.FunctionDeclaration =>
          ts.isFunctionDeclaration(s) && s.name?.text === operationId,
      )!;
      const tags = ts.getJSDocTags(fn).map((t) => t.tagName.text);
      expect(tags).toEqual(["deprecated"]);
      const doc = ts.getJSDocCommentsAndTags(fn)[0]!.getText(source);
      expect(doc).toContain("Use /** markers *\\/ like this /**");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
