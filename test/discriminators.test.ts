/**
 * Discriminators (OpenAPI 3.1 §4.8.25): openapi-typescript adds the discriminator's value to each schema a
 * `oneOf` maps (and to each that inherits one through `allOf`). The schema thread runs openapi-typescript's scan
 * for them only when some object has a `discriminator` with a `propertyName` (`prepareForOpenapiTS`): these
 * specs put one in components, and one only inside an operation's inline schema, where the look-out must find it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "specfetch-discriminators-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pets = {
  Cat: { type: "object", properties: { petType: { type: "string" }, purrs: { type: "boolean" } } },
  Dog: { type: "object", properties: { petType: { type: "string" }, barks: { type: "boolean" } } },
};

async function schemaOf(name: string, spec: object): Promise<string> {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(spec));
  const { files } = await generateFiles({ spec: path, displayPath: "spec" });
  return files.get("schema.ts")!;
}

/** The member openapi-typescript adds to a mapped schema, after its doc comment. */
const added = (value: string) =>
  new RegExp(
    `discriminator enum property added by openapi-typescript[\\s\\S]*?petType: "${value}";`,
  );

describe("discriminators", () => {
  it("in components: each mapped schema gets its value (and none without a discriminator)", async () => {
    const spec = (discriminator: object | undefined) => ({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/pets": {
          get: {
            operationId: "listPets",
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
            ...(discriminator ? { discriminator } : {}),
          },
          ...pets,
        },
      },
    });
    const mapped = await schemaOf(
      "mapped",
      spec({
        propertyName: "petType",
        mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" },
      }),
    );
    expect(mapped).toMatch(added("cat"));
    expect(mapped).toMatch(added("dog"));
    const plain = await schemaOf("plain", spec(undefined));
    expect(plain).not.toContain("discriminator enum property");
  });

  it("only inside an operation's inline schema: still found", async () => {
    const schema = await schemaOf("inline", {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/pets": {
          post: {
            operationId: "addPet",
            requestBody: {
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      pet: {
                        oneOf: [
                          { $ref: "#/components/schemas/Cat" },
                          { $ref: "#/components/schemas/Dog" },
                        ],
                        discriminator: { propertyName: "petType" },
                      },
                    },
                  },
                },
              },
            },
            responses: { "204": { description: "none" } },
          },
        },
      },
      components: { schemas: pets },
    });
    // Without a mapping the values are the schemas' names.
    expect(schema).toMatch(added("Cat"));
    expect(schema).toMatch(added("Dog"));
  });

  it("inside a media type's example value: data, so no schema changes", async () => {
    // openapi-typescript's scan reads every object; before the examples maps were left out of its copy, this
    // example made Cat's and Dog's `kind` required literals.
    const schema = await schemaOf("example-data", {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/pets": {
          get: {
            operationId: "getPet",
            responses: {
              "200": {
                description: "ok",
                content: {
                  "application/json": {
                    schema: { $ref: "#/components/schemas/Cat" },
                    examples: {
                      doc: {
                        value: {
                          oneOf: [
                            { $ref: "#/components/schemas/Cat" },
                            { $ref: "#/components/schemas/Dog" },
                          ],
                          discriminator: { propertyName: "petType" },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      components: { schemas: pets },
    });
    expect(schema).not.toContain("discriminator enum property");
    expect(schema).toContain("petType?: string;");
  });
});
