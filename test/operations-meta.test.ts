/**
 * The shape of the generated metadata where it is compact for the bundle: responses as media types by status
 * (ranges upper case, `default` lower case, as the runtime looks them up), and no `requestBody` key for an
 * operation without a body.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";

const dir = mkdtempSync(join(tmpdir(), "specfetch-meta-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("keys responses by status as the runtime matches them, and leaves an absent body out", async () => {
  const spec = [
    "openapi: 3.1.0",
    "info: { title: Meta, version: '1' }",
    "paths:",
    "  /things:",
    "    get:",
    "      operationId: listThings",
    "      responses:",
    '        "200": { description: OK, content: { application/json: { schema: { type: array } } } }',
    '        "4xx": { description: Client error, content: { text/plain: { schema: { type: string } } } }',
    "        default: { description: Other }",
  ].join("\n");
  writeFileSync(join(dir, "spec.yaml"), spec);
  const { files } = await generateFiles({ spec: join(dir, "spec.yaml"), displayPath: "spec.yaml" });
  const table = files.get("operations.ts")!;
  const meta = table.slice(table.indexOf("export const ListThingsMeta"));
  expect(meta).toContain(
    'responses: { "200": ["application/json"], "4XX": ["text/plain"], default: [] }',
  );
  expect(meta.slice(0, meta.indexOf("} as const"))).not.toContain("requestBody");
});
