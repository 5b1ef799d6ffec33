/**
 * OpenAPI 3.2 constructs specfetch does not generate yet, each said with its location rather than dropped
 * silently (README, "What is checked before anything is written"):
 * - `query` operations and `additionalOperations` (openapi-3.2/methods.yaml): an `unsupported-operation`
 *   warning at each key, and the document's other operations generated as usual;
 * - `in: querystring` parameters (openapi-3.2/querystring.yaml): an `unsupported-parameter` error at the
 *   parameter's `in`, and nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SpecError, type Diagnostic } from "../generator/diagnostics.js";
import { generate, generateFiles } from "../generator/index.js";
import { CLI, displayPathOf, FIXTURES } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const METHODS = join(FIXTURES, "openapi-3.2/methods.yaml");
const QUERYSTRING = join(FIXTURES, "openapi-3.2/querystring.yaml");
const tmp = mkdtempSync(join(tmpdir(), "specfetch-3.2-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const located = (d: Diagnostic) => [d.severity, d.code, `${d.line}:${d.col}`, d.pointer, d.message];

/** The CLI as a user runs it, without colour or CI settings inherited from the test runner. */
function specfetch(args: string[]) {
  const env = { ...process.env };
  for (const key of ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "CI"]) delete env[key];
  return run(process.execPath, [CLI, ...args], { env });
}

describe("methods.yaml: `query` and `additionalOperations`", () => {
  it("one unsupported-operation warning at each key (line:col, pointer)", async () => {
    const { diagnostics } = await generateFiles({
      spec: METHODS,
      displayPath: displayPathOf(METHODS),
    });
    expect(diagnostics.map(located)).toEqual([
      [
        "warning",
        "unsupported-operation",
        "10:5",
        "/paths/~1a/query",
        "`query` operations are not generated yet; skipped",
      ],
      [
        "warning",
        "unsupported-operation",
        "15:5",
        "/paths/~1a/additionalOperations",
        "`additionalOperations` operations are not generated yet; skipped",
      ],
    ]);
  });

  it("the other operations, on the same path item and another, are generated; the skipped ones are not", async () => {
    const { model, files } = await generateFiles({ spec: METHODS });
    expect(model.operations.map((o) => `${o.method} ${o.path} ${o.functionName}`)).toEqual([
      "get /a getA",
      "post /b postB",
    ]);
    const client = files.get("client.ts")!;
    expect(client).toMatch(/export function getA\(/);
    expect(client).toMatch(/export function postB\(/);
    for (const file of files.values()) expect(file).not.toMatch(/queryA|linkA|QueryA|LinkA/);
  });

  it("the CLI prints both warnings with file:line:col, exits 0 and writes the client", async () => {
    const out = join(tmp, "methods");
    const { code, stderr } = await specfetch([METHODS, "--out", out]);
    expect(code).toBe(0);
    const file = displayPathOf(METHODS);
    expect(stderr).toContain(
      `${file}:10:5 warning unsupported-operation: \`query\` operations are not generated yet; skipped\n  at #/paths/~1a/query\n`,
    );
    expect(stderr).toContain(
      `${file}:15:5 warning unsupported-operation: \`additionalOperations\` operations are not generated yet; skipped\n  at #/paths/~1a/additionalOperations\n`,
    );
    expect(readdirSync(out).sort()).toEqual([
      "client.ts",
      "index.ts",
      "operations.ts",
      "runtime.ts",
      "schema.ts",
    ]);
  });
});

describe("querystring.yaml: `in: querystring`", () => {
  it("an unsupported-parameter error at the parameter's `in` (line:col, pointer, hint); nothing is written", async () => {
    const out = join(tmp, "querystring");
    const error = await generate({ spec: QUERYSTRING, out }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    const diagnostics = (error as SpecError).diagnostics;
    expect(diagnostics.map(located)).toEqual([
      [
        "error",
        "unsupported-parameter",
        "11:11",
        "/paths/~1a/get/parameters/0/in",
        "OpenAPI 3.2 `in: querystring` parameters (the whole query string as one value) are not supported yet",
      ],
    ]);
    expect(diagnostics[0]!.hint).toBe("describe the query with `in: query` parameters instead");
    expect(existsSync(out)).toBe(false);
  });

  it("the CLI prints it with file:line:col and exits 1", async () => {
    const out = join(tmp, "querystring-cli");
    const { code, stderr } = await specfetch([QUERYSTRING, "--out", out]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${displayPathOf(QUERYSTRING)}:11:11 error unsupported-parameter: OpenAPI 3.2 \`in: querystring\``,
    );
    expect(stderr).toContain("at #/paths/~1a/get/parameters/0/in\n");
    expect(existsSync(out)).toBe(false);
  });
});
