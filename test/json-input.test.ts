/**
 * JSON input: a JSON copy of a YAML fixture (made here, `JSON.stringify` of the parsed YAML) generates the same
 * files, byte for byte, but for the banner's first line (the spec's name and sha256); its diagnostics are the
 * same problems at the JSON text's own line:col. A problem in a hand-written JSON spec, and a JSON syntax error,
 * are located in the JSON text (positions for JSON are computed only when a diagnostic needs them).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SpecError } from "../generator/diagnostics.js";
import { generateFiles } from "../generator/index.js";
import { FIXTURES } from "./helpers/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "specfetch-json-input-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `text` as `<name>` in a fresh folder; returns its path. */
function specFile(name: string, text: string): string {
  const folder = mkdtempSync(join(tmp, "spec-"));
  writeFileSync(join(folder, name), text);
  return join(folder, name);
}

describe.each(["params", "responses", "bodies"])("%s/spec.yaml and its JSON copy", (fixture) => {
  it("generate the same files; only the banner's spec name and sha256 differ", async () => {
    const yamlText = readFileSync(join(FIXTURES, fixture, "spec.yaml"), "utf8");
    const jsonText = `${JSON.stringify(parse(yamlText), null, 2)}\n`;
    const fromYaml = await generateFiles({
      spec: join(FIXTURES, fixture, "spec.yaml"),
      displayPath: `${fixture}/spec.yaml`,
    });
    const fromJson = await generateFiles({
      spec: specFile("spec.json", jsonText),
      displayPath: `${fixture}/spec.json`,
    });
    expect([...fromJson.files.keys()].sort()).toEqual([...fromYaml.files.keys()].sort());
    const yamlHash = createHash("sha256").update(yamlText).digest("hex");
    const jsonHash = createHash("sha256").update(jsonText).digest("hex");
    for (const [name, yamlFile] of fromYaml.files) {
      const [yamlBanner, ...yamlRest] = yamlFile.split("\n");
      const [jsonBanner, ...jsonRest] = fromJson.files.get(name)!.split("\n");
      expect(yamlBanner).toContain(`from ${fixture}/spec.yaml (sha256 ${yamlHash})`);
      expect(jsonBanner).toBe(
        yamlBanner!.replace(
          `${fixture}/spec.yaml (sha256 ${yamlHash})`,
          `${fixture}/spec.json (sha256 ${jsonHash})`,
        ),
      );
      // The manifest line (every file's body hash) and every body: the same bytes.
      expect(jsonRest.join("\n"), name).toBe(yamlRest.join("\n"));
    }
    // The same diagnostics (responses has warnings), each at its own place in its own text.
    const problems = (d: { code: string; severity: string; pointer: string; message: string }) =>
      [d.severity, d.code, d.pointer, d.message].join(" ");
    expect(fromJson.diagnostics.map(problems)).toEqual(fromYaml.diagnostics.map(problems));
    for (const d of fromJson.diagnostics) {
      // 2-space JSON: the key a pointer ends in is a quoted key, at that line and column; an array index, the
      // element itself (an object, here).
      const last = d.pointer.split("/").at(-1)!.replace(/~1/g, "/").replace(/~0/g, "~");
      const at = jsonText.split("\n")[d.line - 1]!.slice(d.col - 1);
      const asKey = new RegExp(`^${escape(JSON.stringify(last))}:`);
      if (/^\d+$/.test(last) && !asKey.test(at)) expect(at).toMatch(/^\{/);
      else expect(at).toMatch(asKey);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function diagnosticsOf(name: string, text: string) {
  const error = await generateFiles({ spec: specFile(name, text), displayPath: name }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return (error as SpecError).diagnostics;
}

describe("a located error in a JSON spec", () => {
  // Lines and columns counted by hand: `"get"` of /pets/{petId} is at 6:7, `"get"` of /owners at 12:7.
  const located = [
    "{",
    '  "openapi": "3.1.0",',
    '  "info": { "title": "Located", "version": "1" },',
    '  "paths": {',
    '    "/pets/{petId}": {',
    '      "get": {',
    '        "operationId": "getPet",',
    '        "responses": { "200": { "description": "OK" } }',
    "      }",
    "    },",
    '    "/owners": {',
    '      "get": {',
    '        "operationId": "getPet",',
    '        "responses": { "200": { "description": "OK" } }',
    "      }",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  it("names the file, line:col and pointer of each problem, and lists every place of a duplicate", async () => {
    const diagnostics = await diagnosticsOf("located.json", located);
    expect(diagnostics.map((d) => [d.file, d.line, d.col, d.code, d.pointer])).toEqual([
      ["located.json", 6, 7, "duplicate-operation-id", "/paths/~1pets~1{petId}/get"],
      ["located.json", 6, 7, "undeclared-path-parameter", "/paths/~1pets~1{petId}/get"],
      ["located.json", 12, 7, "duplicate-operation-id", "/paths/~1owners/get"],
    ]);
    expect(diagnostics[0]!.message).toBe(
      'operationId "getPet" is used by 2 operations: GET /pets/{petId} (6:7), GET /owners (12:7)',
    );
  });

  it("a JSON syntax error (a missing comma before line 5) is located where the parser stops", async () => {
    const broken = [
      "{",
      '  "openapi": "3.1.0",',
      '  "info": { "title": "Broken", "version": "1" },',
      '  "paths": {}',
      '  "components": {}',
      "}",
      "",
    ].join("\n");
    const diagnostics = await diagnosticsOf("broken.json", broken);
    expect(diagnostics.map((d) => [d.file, d.line, d.col, d.code])).toEqual([
      ["broken.json", 5, 3, "invalid-yaml"],
    ]);
  });
});
