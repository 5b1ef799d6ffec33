/**
 * A path item given by `$ref` (OpenAPI 3.1 `components/pathItems`, §4.8.9): its operations are read where the
 * path item is written. Before, the operation was found but its request body and responses were looked up under
 * `paths` (a JSON pointer does not follow a `$ref`), so the function took no body and resolved `unknown`; and
 * the schema thread did not look in `components/pathItems` for binary strings to type as `Blob`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";

describe("a path item by $ref", () => {
  it("keeps its operation's request body, responses and binary parts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-path-item-ref-"));
    try {
      const spec = join(dir, "spec.json");
      writeFileSync(
        spec,
        JSON.stringify({
          openapi: "3.1.0",
          info: { title: "t", version: "1" },
          paths: { "/up": { $ref: "#/components/pathItems/Up" } },
          components: {
            pathItems: {
              Up: {
                post: {
                  operationId: "upload",
                  requestBody: {
                    required: true,
                    content: {
                      "multipart/form-data": {
                        schema: {
                          type: "object",
                          properties: {
                            file: { type: "string", contentMediaType: "application/octet-stream" },
                          },
                        },
                      },
                    },
                  },
                  responses: {
                    "201": {
                      description: "stored",
                      content: { "application/json": { schema: { type: "object" } } },
                    },
                    "404": { description: "gone" },
                  },
                },
              },
            },
          },
        }),
      );
      const { model, files } = await generateFiles({ spec, displayPath: "spec" });
      const [operation] = model.operations;
      expect(operation!.requestBody?.contents.map((c) => c.mediaType)).toEqual([
        "multipart/form-data",
      ]);
      expect(operation!.responses.map((r) => r.status)).toEqual(["201", "404"]);
      expect(files.get("client.ts")).toMatch(/export type UploadArgs = \{\n {2}body: /);
      expect(files.get("schema.ts")).toContain("file?: Blob;");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
