/**
 * multipart/spec.yaml on the wire, against a real node:http server: a multipart body without `encoding` sends each
 * property as the part the spec's defaults describe (OpenAPI 3.1 §4.8.15, Encoding Object `contentType`):
 * primitives as text (a part without Content-Type, which RFC 7578 §4.4 defines as text/plain), objects as JSON
 * parts with `Content-Type: application/json`, arrays as one part per item by the item's kind, and binary values
 * (Blob, File) as their bytes with their own type, `application/octet-stream` when they have none.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../generator/diagnostics.js";
import { generateFiles } from "../generator/index.js";
import { startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";

type Api = Record<string, unknown> & { createClient: (o: unknown) => unknown };

let api: Api;
let diagnostics: Diagnostic[];
let server: RecordingServer;
let dir: string;

beforeAll(async () => {
  server = await startRecordingServer();
  dir = mkdtempSync(join(tmpdir(), "specfetch-multipart-"));
  const { files, diagnostics: reported } = await generateFiles({
    spec: join(FIXTURES, "multipart/spec.yaml"),
    displayPath: "multipart/spec.yaml",
  });
  diagnostics = reported;
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  api = (await import(pathToFileURL(join(dir, "index.ts")).href)) as Api;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The parts of the recorded multipart body, split at its boundary: each part's header lines and body text. */
function partsOf(request: { headers: Record<string, unknown>; body: string }) {
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(
    String(request.headers["content-type"]),
  )![1]!;
  return request.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head, ...body] = part.replace(/^\r\n/, "").replace(/\r\n$/, "").split("\r\n\r\n");
      return { head: head!.split("\r\n"), body: body.join("\r\n\r\n") };
    });
}

const text = (name: string, body: string) => ({
  head: [`Content-Disposition: form-data; name="${name}"`],
  body,
});
/** A part sent from a Blob (fetch names it `blob` unless it is a File with a name). */
const typed = (name: string, type: string, body: string, filename = "blob") => ({
  head: [
    `Content-Disposition: form-data; name="${name}"; filename="${filename}"`,
    `Content-Type: ${type}`,
  ],
  body,
});

describe("createProfile: multipart/form-data without encoding", () => {
  it("sends primitives as text parts, objects (and arrays of them) as application/json parts, binaries with their type", async () => {
    server.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: server.origin });
    await (api.createProfile as (args: unknown, options: unknown) => Promise<unknown>)(
      {
        body: {
          name: "Ada",
          age: 36,
          active: true,
          address: { city: "Zürich" },
          settings: { theme: "dark" },
          tags: ["a", "b"],
          addresses: [{ city: "Bern" }, { city: "Genève" }],
          avatar: new Blob(["GIF89a"]),
          attachments: [
            new File(["%PDF"], "cv.pdf", { type: "application/pdf" }),
            new Blob(["raw"]),
          ],
        },
      },
      { client },
    );
    const request = server.requests[0]!;
    expect(request.method).toBe("POST");
    expect(partsOf(request)).toEqual([
      text("name", "Ada"),
      text("age", "36"),
      text("active", "true"),
      typed("address", "application/json", '{"city":"Zürich"}'),
      typed("settings", "application/json", '{"theme":"dark"}'),
      text("tags", "a"),
      text("tags", "b"),
      typed("addresses", "application/json", '{"city":"Bern"}'),
      typed("addresses", "application/json", '{"city":"Genève"}'),
      typed("avatar", "application/octet-stream", "GIF89a"),
      typed("attachments", "application/pdf", "%PDF", "cv.pdf"),
      typed("attachments", "application/octet-stream", "raw"),
    ]);
  });
});

describe("uploadDocument / replaceDocument: a shared body whose encoding declares part headers", () => {
  it("warns once, at the headers that cannot be sent (a Content-Type among them is ignored, as the spec says)", () => {
    expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.pointer])).toEqual([
      [
        "warning",
        "unsupported-part-headers",
        55,
        "/components/requestBodies/SignedDocument/content/multipart~1form-data/encoding/file/headers",
      ],
    ]);
    expect(diagnostics[0]!.message).toContain(
      'part headers of "file" ("X-Signature") are not sent',
    );
  });

  it("still sends the parts: the declared contentType, and an object without one as JSON", async () => {
    server.reset();
    server.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: server.origin });
    await (api.uploadDocument as (args: unknown, options: unknown) => Promise<unknown>)(
      { body: { file: "%PDF", meta: { title: "T" } } },
      { client },
    );
    expect(partsOf(server.requests[0]!)).toEqual([
      typed("file", "application/pdf", "%PDF"),
      typed("meta", "application/json", '{"title":"T"}'),
    ]);
  });
});

describe("an Encoding Object's style on a multipart property: OpenAPI 3.1 applies it, 3.0 ignores it", () => {
  const spec = (version: string) =>
    [
      `openapi: ${version}`,
      'info: { title: t, version: "1" }',
      "paths:",
      "  /files:",
      "    post:",
      "      operationId: postFile",
      "      requestBody:",
      "        required: true",
      "        content:",
      "          multipart/form-data:",
      "            schema:",
      "              type: object",
      "              properties:",
      "                file: { type: string, format: binary }",
      "                link: { type: object, properties: { create: { type: boolean }, note: { type: string } } }",
      "                files: { type: array, items: { type: string, format: binary } }",
      "                memo: { type: string }",
      "            encoding:",
      "              link: { style: deepObject, explode: true }",
      "              files: { style: form, explode: true }",
      "              memo: { allowReserved: true }",
      "      responses: { '204': { description: ok } }",
    ].join("\n");

  async function sent(version: string) {
    const work = mkdtempSync(join(tmpdir(), "specfetch-multipart-style-"));
    try {
      writeFileSync(join(work, "spec.yaml"), spec(version));
      const { files } = await generateFiles({ spec: join(work, "spec.yaml") });
      for (const [name, content] of files) writeFileSync(join(work, name), content);
      const client = (await import(pathToFileURL(join(work, "index.ts")).href)) as Api;
      server.reset();
      server.respondWith({ status: 204 });
      await (client.postFile as (args: unknown, options: unknown) => Promise<unknown>)(
        {
          body: {
            file: new Blob(["F"], { type: "text/plain" }),
            link: { create: true, note: "a b" },
            files: [new Blob(["G"], { type: "image/png" })],
            memo: "100%FF %41 = x",
          },
        },
        { client: client.createClient({ baseUrl: server.origin }) },
      );
      return partsOf(server.requests[0]!);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  it("3.1: link[create] and link[note] as text parts; files stay file parts; text arrives exactly", async () => {
    expect(await sent("3.1.0")).toEqual([
      typed("file", "text/plain", "F"),
      text("link[create]", "true"),
      text("link[note]", "a b"),
      typed("files", "image/png", "G"),
      text("memo", "100%FF %41 = x"),
    ]);
  });

  it("3.0: the object as a JSON part (style is for URL-encoded bodies only there)", async () => {
    expect(await sent("3.0.3")).toEqual([
      typed("file", "text/plain", "F"),
      typed("link", "application/json", '{"create":true,"note":"a b"}'),
      typed("files", "image/png", "G"),
      text("memo", "100%FF %41 = x"),
    ]);
  });
});
