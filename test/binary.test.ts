/**
 * binary/spec.yaml on the wire: a `Blob` (or `File`, or bytes) goes out as exactly its bytes, in a binary body and
 * as a multipart part; a binary response comes back as a `Blob` with exactly the bytes sent, a `text/*` one as a
 * string. A real node:http server records and answers raw bytes (every byte value, not only valid UTF-8).
 */
import { rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FIXTURES } from "./helpers/paths.js";
import { importGeneratedClient } from "./helpers/generated-client.js";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Every byte value, twice, in an order that is not valid UTF-8. */
const BYTES = Uint8Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256);

let api: Record<string, (args: unknown, options: unknown) => Promise<unknown>> & {
  createClient: (o: unknown) => unknown;
};
let server: Server;
let dir: string;
let client: unknown;
let received: Received[] = [];
let answer: Answer = { status: 204, headers: {}, body: Buffer.alloc(0) };

beforeAll(async () => {
  ({ api, dir } = await importGeneratedClient<typeof api>(join(FIXTURES, "binary/spec.yaml")));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const { method = "", url = "", headers } = req;
      received.push({ method, url, headers, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = api.createClient({ baseUrl: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  received = [];
  answer = { status: 204, headers: {}, body: Buffer.alloc(0) };
});

const call = (name: string, args: unknown) => api[name]!(args, { client });

/** The multipart body as the server got it, parsed by the platform's own multipart parser. */
async function formDataOf(request: Received): Promise<FormData> {
  const contentType = request.headers["content-type"] ?? "";
  return new Response(new Uint8Array(request.body), {
    headers: { "content-type": contentType },
  }).formData();
}

describe("replaceDocument: a binary request body", () => {
  it("sends a Blob as exactly its bytes, as application/octet-stream", async () => {
    await call("replaceDocument", { path: { id: "d1" }, body: new Blob([BYTES]) });
    const [request] = received;
    expect(request!.method).toBe("PUT");
    expect(request!.url).toBe("/documents/d1");
    expect(request!.headers["content-type"]).toBe("application/octet-stream");
    expect(request!.headers["content-length"]).toBe(String(BYTES.length));
    expect(new Uint8Array(request!.body)).toEqual(BYTES);
  });

  it("sends a Uint8Array as exactly its bytes under the media type the caller names", async () => {
    await call("replaceDocument", { path: { id: "d1" }, body: BYTES, contentType: "image/png" });
    expect(received[0]!.headers["content-type"]).toBe("image/png");
    expect(new Uint8Array(received[0]!.body)).toEqual(BYTES);
  });
});

describe("uploadAvatar / uploadDocument: files as multipart parts", () => {
  it("sends each Blob or File as a part holding exactly its bytes, and text fields as text", async () => {
    answer = jsonAnswer(201, { id: "a1", checksum: "x" });
    const image = new File([BYTES], "me.png", { type: "image/png" });
    const thumbnail = new Blob([BYTES.slice(0, 10)]);
    await call("uploadAvatar", {
      body: { image, thumbnails: [thumbnail, thumbnail], caption: "hi" },
    });
    const request = received[0]!;
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formDataOf(request);
    const part = form.get("image") as File;
    expect(part).toBeInstanceOf(Blob);
    expect(part.name).toBe("me.png");
    expect(part.type).toBe("image/png");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(BYTES);
    const thumbnails = form.getAll("thumbnails") as File[];
    expect(thumbnails).toHaveLength(2);
    for (const t of thumbnails)
      expect(new Uint8Array(await t.arrayBuffer())).toEqual(BYTES.slice(0, 10));
    expect(form.get("caption")).toBe("hi");
    expect([...form.keys()].sort()).toEqual(["caption", "image", "thumbnails", "thumbnails"]);
  });

  it("sends the file part of a shared upload schema the same way", async () => {
    answer = jsonAnswer(201, { id: "d1", checksum: "x" });
    const stored = await call("uploadDocument", {
      body: { file: new Blob([BYTES]), title: "T" },
    });
    const form = await formDataOf(received[0]!);
    expect(new Uint8Array(await (form.get("file") as Blob).arrayBuffer())).toEqual(BYTES);
    expect(form.get("title")).toBe("T");
    expect(stored).toEqual({ id: "d1", checksum: "x" });
  });
});

describe("responses: binary as a Blob, text as a string", () => {
  it("downloadDocument resolves to a Blob with exactly the bytes the server sent", async () => {
    answer = {
      status: 200,
      headers: { "content-type": "application/pdf" },
      body: Buffer.from(BYTES),
    };
    const document = await call("downloadDocument", { path: { id: "d1" } });
    expect(document).toBeInstanceOf(Blob);
    expect((document as Blob).type).toBe("application/pdf");
    expect(new Uint8Array(await (document as Blob).arrayBuffer())).toEqual(BYTES);
  });

  it("getDocumentText resolves to the text as a string", async () => {
    answer = {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: Buffer.from("héllo\nwörld"),
    };
    expect(await call("getDocumentText", { path: { id: "d1" } })).toBe("héllo\nwörld");
  });

  it("a Blob sent is the Blob received: the round trip keeps every byte", async () => {
    await call("replaceDocument", { path: { id: "d1" }, body: new Blob([BYTES]) });
    answer = {
      status: 200,
      headers: { "content-type": "application/pdf" },
      body: received[0]!.body,
    };
    const back = (await call("downloadDocument", { path: { id: "d1" } })) as Blob;
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(BYTES);
  });
});

function jsonAnswer(status: number, value: unknown): Answer {
  return {
    status,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify(value)),
  };
}
