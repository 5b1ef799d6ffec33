/**
 * bodies/spec.yaml on the wire: each request media type is sent as its `Content-Type` says, and a caller picks
 * among several with `contentType` (JSON by default). A real node:http server records the bytes.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import { startClientAgainstServer, stopClientAgainstServer } from "./helpers/generated-client.js";

type Call = (args: unknown, options: unknown) => Promise<unknown>;
let api: Record<string, unknown> & { createClient: (o: unknown) => unknown };
let server: RecordingServer;
let dir: string;
let client: unknown;

beforeAll(async () => {
  ({ api, server, client, dir } = await startClientAgainstServer<typeof api>(
    join(FIXTURES, "bodies/spec.yaml"),
  ));
});
afterAll(() => stopClientAgainstServer({ server, dir }));
beforeEach(() => server.reset());

const call = (name: string, args: unknown) => (api[name] as Call)(args, { client });

describe("createPet: application/json or application/xml", () => {
  it("sends JSON when no contentType is named", async () => {
    await call("createPet", { body: { name: "Rex" } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex"}');
  });

  it("sends the caller's XML as application/xml when contentType names it", async () => {
    await call("createPet", {
      body: "<pet><name>Rex</name></pet>",
      contentType: "application/xml",
    });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/xml");
    expect(server.requests[0]!.body).toBe("<pet><name>Rex</name></pet>");
  });
});

describe("replacePet: application/xml listed before application/json", () => {
  it("sends JSON when no contentType is named: JSON is the default, not the first listed", async () => {
    await call("replacePet", { path: { id: 7 }, body: { name: "Rex" } });
    expect(server.requests[0]!.method).toBe("PUT");
    expect(server.requests[0]!.url).toBe("/pets/7");
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex"}');
  });

  it("sends XML only when contentType names it", async () => {
    await call("replacePet", {
      path: { id: 7 },
      body: "<pet><name>Rex</name></pet>",
      contentType: "application/xml",
    });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/xml");
    expect(server.requests[0]!.body).toBe("<pet><name>Rex</name></pet>");
  });
});

describe("the other media types", () => {
  it("patchPets: application/merge-patch+json is JSON", async () => {
    await call("patchPets", { body: { name: "Rex", tag: null } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex","tag":null}');
  });

  it("login: application/x-www-form-urlencoded", async () => {
    await call("login", { body: { user: "a b&c", remember: true } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(server.requests[0]!.body).toBe("user=a+b%26c&remember=true");
  });

  it("uploadFile: multipart/form-data with a Blob part and a text part", async () => {
    const file = new Blob(["hello"], { type: "text/plain" });
    await call("uploadFile", { body: { file, note: "n1" } });
    const request = server.requests[0]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(
      String(request.headers["content-type"]),
    )?.[1];
    expect(boundary).toBeDefined();
    expect(request.body).toContain(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
    );
    expect(request.body).toContain(`Content-Disposition: form-data; name="note"\r\n\r\nn1\r\n`);
  });

  it("putRaw: application/octet-stream sends the bytes as they are", async () => {
    await call("putRaw", { body: new Uint8Array([104, 105]) });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/octet-stream");
    expect(server.requests[0]!.body).toBe("hi");
  });

  it("putNote: text/plain", async () => {
    await call("putNote", { body: "a note" });
    expect(server.requests[0]!.headers["content-type"]).toBe("text/plain");
    expect(server.requests[0]!.body).toBe("a note");
  });
});
