/**
 * The schema thread (`generator/emit/schema-thread.ts`) and the openapi-typescript call it makes
 * (`generator/emit/schema.ts`): a JSON spec is parsed by the thread itself, giving the same `schema.ts` as the
 * document sent; a file that changes in between fails the run; and the transform called without
 * openapi-typescript's Redocly steps prints what `openapiTS()` prints.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import { schemaSource } from "../generator/emit/schema.js";
import { schemaThread } from "../generator/emit/schema-thread.js";
import { loadSpec } from "../generator/load/load-spec.js";

const dir = mkdtempSync(join(tmpdir(), "specfetch-schema-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (path: string) => new URL(`./fixtures/${path}`, import.meta.url).pathname;

/** A fixture's document written as a `.json` spec. */
async function jsonSpec(name: string, fixturePath: string): Promise<string> {
  const { document } = await loadSpec({ path: fixture(fixturePath), displayPath: fixturePath });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(document, null, 2));
  return path;
}

describe("the schema thread", () => {
  it("parses a JSON spec itself: the same schema.ts as for the document sent to it", async () => {
    const path = await jsonSpec("petstore", "petstore/petstore-expanded.yaml");
    const source = await loadSpec({ path, displayPath: "petstore.json" });
    expect(source.parsedJson).toBe(true);
    const thread = schemaThread();
    thread.prefetch(path);
    const read = await thread.schemaOfFile({ path, sha256: source.sha256 });
    const sent = await thread.schema(source.document as Record<string, unknown>);
    expect(read).toBe(sent);
    expect(read).toBe(await schemaSource(source.document as Record<string, unknown>));
    expect(read).toContain('"/pets": {');
  });

  it("says a YAML spec and a converted Swagger 2.0 JSON spec are not as parsed (they are sent)", async () => {
    const yaml = await loadSpec({ path: fixture("statuses/spec.yaml"), displayPath: "spec.yaml" });
    expect(yaml.parsedJson).toBe(false);
    const swagger = join(dir, "swagger.json");
    writeFileSync(
      swagger,
      JSON.stringify({ swagger: "2.0", info: { title: "t", version: "1" }, paths: {} }),
    );
    expect((await loadSpec({ path: swagger, displayPath: "swagger.json" })).parsedJson).toBe(false);
  });

  it("says a JSON spec with external references is not as parsed (bundling changes it in place)", async () => {
    writeFileSync(
      join(dir, "pet.json"),
      JSON.stringify({ type: "object", properties: { id: { type: "string" } } }),
    );
    const root = join(dir, "external.json");
    const response = {
      description: "ok",
      content: { "application/json": { schema: { $ref: "./pet.json" } } },
    };
    writeFileSync(
      root,
      JSON.stringify({
        openapi: "3.0.3",
        info: { title: "t", version: "1" },
        paths: { "/pet": { get: { operationId: "getPet", responses: { 200: response } } } },
      }),
    );
    const source = await loadSpec({ path: root, displayPath: "external.json" });
    expect(source.parsedJson).toBe(false);
    const text = await schemaThread().schema(source.document as Record<string, unknown>);
    expect(text).toContain("id?: string");
  });

  it("fails the run when the file's bytes changed after this thread read them", async () => {
    const path = await jsonSpec("changing", "statuses/spec.yaml");
    const source = await loadSpec({ path, displayPath: "changing.json" });
    writeFileSync(path, readFileSync(path, "utf8").replace('"openapi"', ' "openapi"'));
    const thread = schemaThread();
    thread.prefetch(path);
    await expect(thread.schemaOfFile({ path, sha256: source.sha256 })).rejects.toThrow(
      /spec file changed/,
    );
    // The thread is still usable.
    expect(await thread.schema(source.document as Record<string, unknown>)).toContain("paths");
  });

  it("is ended by close() (a last generation frees its memory), and the next run starts a new one", async () => {
    const source = await loadSpec({
      path: fixture("statuses/spec.yaml"),
      displayPath: "spec.yaml",
    });
    const document = source.document as Record<string, unknown>;
    const thread = schemaThread();
    const text = await thread.schema(document);
    thread.close();
    expect(thread.failed).toBe(true);
    await expect(thread.schema(document)).rejects.toThrow(/closed/);
    const next = schemaThread();
    expect(next).not.toBe(thread);
    expect(await next.schema(document)).toBe(text);
  });
});

describe("openapi-typescript's transform without its Redocly steps", () => {
  // Documents our preparation leaves as they are (local references in canonical form, no binary bodies, no
  // readOnly/writeOnly, no CR in doc text): schemaSource must then print exactly what openapiTS() prints.
  it.each(["petstore/petstore-expanded.yaml", "statuses/spec.yaml", "params/spec.yaml"])(
    "prints what openapiTS() prints for %s",
    async (path) => {
      const { document } = await loadSpec({ path: fixture(path), displayPath: path });
      const theirs = astToString(
        await openapiTS(structuredClone(document) as OpenAPI3, { silent: true }),
      );
      expect(await schemaSource(document as Record<string, unknown>)).toBe(theirs);
    },
  );
});
