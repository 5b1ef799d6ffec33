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
