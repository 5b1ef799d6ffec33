/**
 * The schema thread leaves the `examples` maps of Media Type, Parameter and Header Objects out of the copy
 * openapi-typescript gets (it prints none of them: `withoutExampleMaps` in `generator/emit/schema.ts`). What it
 * does print must stay: an `examples` array (printed as `@example`), and a schema that `$ref`s into an example
 * (a wrong spec, but one that generated before): then no map is left out.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "specfetch-schema-examples-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function schemaOf(name: string, paths: object): Promise<string> {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths }),
  );
  const { files } = await generateFiles({ spec: path, displayPath: "spec" });
  return files.get("schema.ts")!;
}

describe("examples and schema.ts", () => {
  it("an examples array on a parameter and a media type is still printed as @example", async () => {
    const schema = await schemaOf("arrays", {
      "/a": {
        get: {
          operationId: "a",
          parameters: [{ name: "q", in: "query", schema: { type: "string" }, examples: ["p1"] }],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { type: "string" }, examples: ["m1"] } },
            },
          },
        },
      },
    });
    expect(schema).toContain("/** @example p1 */");
    expect(schema).toContain("/** @example m1 */");
  });

  it("a schema that $refs an example's value still gets its shape", async () => {
    const schema = await schemaOf("ref-into-example", {
      "/a": {
        get: {
          operationId: "a",
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: { type: "object" },
                  examples: {
                    e1: { value: { type: "object", properties: { n: { type: "integer" } } } },
                  },
                },
              },
            },
          },
        },
      },
      "/b": {
        get: {
          operationId: "b",
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    $ref: "#/paths/~1a/get/responses/200/content/application~1json/examples/e1/value",
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(schema).toContain("n?: number;");
  });
});
