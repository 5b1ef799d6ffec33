/**
 * The load stage on its own concerns: multi-file documents (bundled, confined to the spec's folder), Swagger
 * 2.0 (converted), YAML anchors and merge keys, circular references. Each reads like the fixture it exercises.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../generator/diagnostics.js";
import { generateFiles } from "../generator/index.js";
import { displayPathOf, FIXTURES } from "./helpers/paths.js";

const load = (file: string) => {
  const spec = join(FIXTURES, file);
  return generateFiles({ spec, displayPath: displayPathOf(spec) });
};

describe("multi-file/openapi.yaml: relative external $refs", () => {
  it("reads every referenced file, the root first, and nothing else", async () => {
    const { sourceFiles } = await load("multi-file/openapi.yaml");
    const relativeFiles = sourceFiles.map((f) => f.slice(join(FIXTURES, "multi-file").length + 1));
    expect(relativeFiles[0]).toBe("openapi.yaml");
    expect(relativeFiles.slice(1).sort()).toEqual([
      "components/parameters.yaml",
      "components/schemas/error.yaml",
      "components/schemas/owner.yaml",
      "components/schemas/pet.yaml",
      "paths/pet.yaml",
    ]);
  });

  it("takes the path item, its parameter and the response schemas from the other files", async () => {
    const { model, files } = await load("multi-file/openapi.yaml");
    const [operation] = model.operations;
    expect(operation).toMatchObject({
      functionName: "getPet",
      method: "get",
      path: "/pets/{petId}",
    });
    expect(operation!.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ["petId", "path", true],
    ]);
    expect(operation!.responses.map((r) => r.status)).toEqual(["200", "404"]);
    // Schemas from other files become components named after their file; owner.yaml is two files away.
    expect(files.get("schema.ts")).toContain('owner?: components["schemas"]["owner"];');
    expect(files.get("schema.ts")).toMatch(/ {4}owner: \{\s+name\?: string;/);
  });
});

/**
 * multi-file/ copied to a fresh folder with `edits` applied (a file's new text, or a function of its text), then
 * generated: the diagnostics of the SpecError it must throw, the root's path, and `shown(file)`, a referenced
 * file as diagnostics name it (relative to the working directory).
 */
async function rejectedMultiFile(edits: Record<string, string | ((text: string) => string)>) {
  const dir = mkdtempSync(join(tmpdir(), "specfetch-multi-"));
  try {
    cpSync(join(FIXTURES, "multi-file"), dir, { recursive: true });
    for (const [file, edit] of Object.entries(edits)) {
      const path = join(dir, file);
      writeFileSync(path, typeof edit === "string" ? edit : edit(readFileSync(path, "utf8")));
    }
    const root = join(dir, "openapi.yaml");
    const error = await generateFiles({ spec: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    const shown = (file: string) => relative(process.cwd(), join(dir, file)).split("\\").join("/");
    return { diagnostics: (error as SpecError).diagnostics, root, shown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("multi-file/openapi.yaml with a referenced file that does not parse", () => {
  it("is reported where the problem is, in that file, with its line and column, once", async () => {
    // Line 3, column 1 of the parameters file: a tab where YAML allows only spaces.
    const { diagnostics, shown } = await rejectedMultiFile({
      "components/parameters.yaml":
        "PetId:\n  name: petId\n\tin: path\n  required: true\n  schema: { type: string }\n",
    });
    const found = diagnostics.map((d) => [d.file, d.code, d.line, d.col, d.message]);
    // The first is the tab (the yaml library's follow-on errors after it are reported too, as for the root
    // file); none is the resolver's one line at the `$ref` in openapi.yaml, and none is listed twice although
    // two `$ref`s lead to the file.
    expect(found[0]).toEqual([
      shown("components/parameters.yaml"),
      "invalid-yaml",
      3,
      1,
      expect.stringContaining("Tabs"),
    ]);
    expect(found.filter(([, code]) => code === "external-ref")).toEqual([]);
    expect(new Set(found.map((d) => JSON.stringify(d))).size).toBe(found.length);
  });
});

describe("multi-file/openapi.yaml with a dangling local $ref in a referenced file", () => {
  it("is reported once, as dangling-ref, in that file at the $ref, with the root's form of the reference", async () => {
    // `#/…` in owner.yaml points into owner.yaml: the root's components are `../../openapi.yaml#/…`.
    const { diagnostics, shown } = await rejectedMultiFile({
      "components/schemas/owner.yaml":
        'type: object\nproperties:\n  name: { type: string }\n  pet:\n    $ref: "#/components/schemas/Pet"\n',
    });
    const owner = shown("components/schemas/owner.yaml");
    expect(diagnostics).toEqual([
      {
        code: "dangling-ref",
        severity: "error",
        message: '$ref "#/components/schemas/Pet" points to nothing',
        file: owner,
        pointer: "/properties/pet/$ref",
        line: 5, // the `$ref` key, as for the root file's references
        col: 5,
        hint: `a "#…" reference points into the file it is in: define /components/schemas/Pet in ${owner}, or write "../../openapi.yaml#/components/schemas/Pet" for the root file's`,
      },
    ]);
  });
});

describe("the same dangling local $ref in the root and in a referenced file", () => {
  it("is reported in each file at its own place, and not a third time at a pointer only the bundle has", async () => {
    const gone = '$ref: "#/components/schemas/Gone"';
    const { diagnostics, root, shown } = await rejectedMultiFile({
      "components/schemas/owner.yaml": `type: object\nproperties:\n  pet:\n    ${gone}\n`,
      "openapi.yaml": (text) => `${text}  schemas:\n    Lost:\n      ${gone}\n`,
    });
    expect(diagnostics.map((d) => [d.file, d.code, d.line, d.pointer])).toEqual([
      [shown("components/schemas/owner.yaml"), "dangling-ref", 4, "/properties/pet/$ref"],
      // The root as given (`generateFiles` without a displayPath); the CLI shows both relative.
      [root, "dangling-ref", 15, "/components/schemas/Lost/$ref"],
    ]);
  });
});

describe("a referenced file that is nothing but a $ref to a place it does not have", () => {
  it("is a located external-ref error at the root's first external reference, not a crash", async () => {
    const { diagnostics } = await rejectedMultiFile({
      "components/schemas/owner.yaml": '$ref: "#/components/schemas/Gone"\n',
    });
    const [only, ...rest] = diagnostics;
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      code: "external-ref",
      severity: "error",
      pointer: "/paths/~1pets~1{petId}/$ref",
      line: 8,
      col: 5,
    });
    expect(only!.message).toContain("cannot bundle the referenced files: ");
  });
});

describe("swagger2/spec.yaml: Swagger 2.0 converted to OpenAPI 3", () => {
  it("keeps host + basePath as the server, the apiKey scheme, the body parameter and collectionFormat", async () => {
    const { model } = await load("swagger2/spec.yaml");
    expect(model.servers.map((s) => s.url)).toEqual(["https://legacy.example.test/v2"]);
    expect(model.securitySchemes).toEqual([
      { name: "api_key", type: "apiKey", in: "header", parameterName: "X-Api-Key" },
    ]);
    const byName = Object.fromEntries(model.operations.map((o) => [o.functionName, o]));
    expect(byName.addPet!.requestBody).toMatchObject({
      required: true,
      preferred: "application/json",
    });
    const tags = byName.listPets!.parameters.find((p) => p.name === "tags");
    expect(tags).toMatchObject({ in: "query", style: "pipeDelimited", explode: false });
    expect(byName.listPets!.security).toEqual([["api_key"]]);
    // No `produces` anywhere: JSON, not the converter's `*/*` (the file response: bytes, see binary-swagger2).
    expect(
      byName.listPets!.responses.map((r) => r.contents.map((c) => [c.mediaType, c.kind])),
    ).toEqual([[["application/json", "json"]]]);
  });
});

describe("anchors/spec.yaml: YAML anchors, aliases and merge keys", () => {
  it("merges the aliased responses into the operation", async () => {
    const { model } = await load("anchors/spec.yaml");
    const responses = model.operations[0]!.responses;
    expect(responses.map((r) => [r.status, r.description])).toEqual([
      ["200", "OK"],
      ["400", "Bad request"],
      ["500", "Bad request"],
    ]);
  });
});

describe("circular/spec.yaml: self and mutual references", () => {
  it("generates types that refer to themselves", async () => {
    const { files } = await load("circular/spec.yaml");
    expect(files.get("schema.ts")).toContain('children?: components["schemas"]["Node"][];');
    expect(files.get("schema.ts")).toContain('nodes?: components["schemas"]["Node"][];');
  });
});
