/**
 * responses/spec.yaml at run time, against a real node:http server: responses that cannot carry content (RFC
 * 9110: any response to HEAD §9.3.2, 204 §15.3.5, 205 §15.3.6, 304 §15.4.5) give `undefined` even where the
 * spec declares content for them, and the model agrees (no content types in the operations table, a located
 * warning at each declaration). A media type the runtime does not parse is a Blob holding the exact bytes.
 * The types are checked by test/types/fixtures/responses.test-d.ts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../generator/diagnostics.js";
import { jsonResponse, type RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import {
  rejectionOf,
  startClientAgainstServer,
  stopClientAgainstServer,
} from "./helpers/generated-client.js";

interface Api {
  createClient(o: unknown): unknown;
  /** Each operation's responses: media types by status. */
  operations: Record<string, { responses: Readonly<Record<string, readonly string[]>> }>;
  [name: string]: unknown;
}

let api: Api;
let diagnostics: Diagnostic[];
let server: RecordingServer;
let dir: string;
let client: unknown;

beforeAll(async () => {
  ({ api, server, client, dir, diagnostics } = await startClientAgainstServer<Api>(
    join(FIXTURES, "responses/spec.yaml"),
  ));
});
afterAll(() => stopClientAgainstServer({ server, dir }));
beforeEach(() => server.reset());

function call(name: string, args: unknown): Promise<unknown> {
  return (api[name] as (a: unknown, o: unknown) => Promise<unknown>)(args, {
    client,
    retry: false,
  });
}

const failure = (name: string, args: unknown) => rejectionOf(call(name, args));

const REPORT = JSON.stringify({ id: "r1", rows: 3 });
/** What a server that ignores RFC 9110 might send: a JSON body, announced with its type and length. */
const withJsonBody = (status: number) => ({
  status,
  headers: { "content-type": "application/json", "content-length": String(REPORT.length) },
  body: REPORT,
});

describe("responses without content (RFC 9110)", () => {
  it("warns at every declaration of content such a response cannot carry, once per place", () => {
    expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.col, d.pointer])).toEqual([
      [
        "warning",
        "ignored-response-content",
        24,
        39,
        "/paths/~1reports~1{id}/head/responses/200/content",
      ],
      // The shared NotFound keeps its content for GET: the warning is at HEAD's use of it.
      ["warning", "ignored-response-content", 25, 9, "/paths/~1reports~1{id}/head/responses/404"],
      [
        "warning",
        "ignored-response-content",
        39,
        45,
        "/paths/~1reports~1{id}~1csv/get/responses/304/content",
      ],
      [
        "warning",
        "ignored-response-content",
        53,
        47,
        "/paths/~1reports~1{id}~1view/post/responses/205/content",
      ],
    ]);
    expect(diagnostics[0]!.message).toBe(
      "a response to HEAD has no content (RFC 9110 §9.3.2): its declared content is ignored, the body is undefined",
    );
    expect(diagnostics[3]!.message).toContain("a 205 response has no content (RFC 9110 §15.3.6)");
  });

  it("the operations table lists no content type for them, and keeps the shared NotFound's for GET", () => {
    const contentTypes = (operation: string) => api.operations[operation]!.responses;
    expect(contentTypes("headReport")).toEqual({ "200": [], "404": [] });
    expect(contentTypes("resetReportView")).toEqual({ "205": [] });
    expect(contentTypes("getReportCsv")).toEqual({ "200": ["text/csv"], "304": [] });
    expect(contentTypes("getReport")["404"]).toEqual(["application/json"]);
  });

  it("headReport: a 200 with Content-Type application/json and a Content-Length resolves undefined", async () => {
    server.respondWith(withJsonBody(200));
    await expect(call("headReport", { path: { id: "r1" } })).resolves.toBeUndefined();
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([["HEAD", "/reports/r1"]]);
  });

  it("headReport: a declared 404 is an ApiError whose body is undefined", async () => {
    server.respondWith(withJsonBody(404));
    const error = await failure("headReport", { path: { id: "gone" } });
    expect(error).toMatchObject({ name: "ApiError", status: 404, declared: true });
    expect(error.body).toBeUndefined();
  });

  it("resetReportView: a 205 sent with a JSON body resolves undefined", async () => {
    server.respondWith(withJsonBody(205));
    await expect(call("resetReportView", { path: { id: "r1" } })).resolves.toBeUndefined();
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([["POST", "/reports/r1/view"]]);
  });

  it("getReportCsv: a 304 is not a 2xx: an ApiError whose body is undefined (as the README says)", async () => {
    server.respondWith({ status: 304, headers: { "content-type": "text/csv", etag: '"v1"' } });
    const error = await failure("getReportCsv", { path: { id: "r1" } });
    expect(error).toMatchObject({ name: "ApiError", status: 304, declared: true });
    expect(error.body).toBeUndefined();
    expect((error.headers as Headers).get("etag")).toBe('"v1"');
  });

  it("getReport: the same shared NotFound on GET is still read as JSON", async () => {
    server.respondWith(jsonResponse(404, { error: "no such report" }));
    const error = await failure("getReport", { path: { id: "gone" } });
    expect(error).toMatchObject({ status: 404, body: { error: "no such report" } });
  });
});

describe("exportReport: application/vnd.acme.report, an unknown media type with an object schema", () => {
  it("resolves to a Blob holding exactly the bytes sent, with their type", async () => {
    // JSON-looking text (the schema is an object) followed by bytes that are not UTF-8: nothing is parsed or decoded.
    const bytes = Buffer.concat([Buffer.from('{"id":"r1"}'), Buffer.from([0xff, 0x00, 0xfe])]);
    server.respondWith({
      status: 200,
      headers: { "content-type": "application/vnd.acme.report" },
      body: bytes,
    });
    const result = await call("exportReport", { path: { id: "r1" } });
    expect(result).toBeInstanceOf(Blob);
    expect((result as Blob).type).toBe("application/vnd.acme.report");
    expect(Buffer.from(await (result as Blob).arrayBuffer())).toEqual(bytes);
  });
});

describe("getReportSummary: text/plain listed before application/json", () => {
  it("the operations table lists the media type the types are declared by (JSON) first", () => {
    expect(api.operations["getReportSummary"]!.responses["200"]).toEqual([
      "application/json",
      "text/plain",
    ]);
  });

  it("a response that names no Content-Type is read as JSON, as its type says", async () => {
    server.respondWith({ status: 200, body: REPORT });
    expect(await call("getReportSummary", { path: { id: "r1" } })).toEqual(JSON.parse(REPORT));
  });

  // The types say so too: the JSON type | string (test/types/fixtures/responses.test-d.ts).
  it("a text/plain 200 resolves the text; a text/plain 503 is a declared ApiError with the text", async () => {
    const text = (status: number, body: string) => ({
      status,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body,
    });
    server.respondWith(text(200, "3 rows"));
    expect(await call("getReportSummary", { path: { id: "r1" } })).toBe("3 rows");
    server.respondWith(text(503, "upstream down"));
    const error = await failure("getReportSummary", { path: { id: "r1" } });
    expect(error).toMatchObject({
      name: "ApiError",
      status: 503,
      body: "upstream down",
      declared: true,
    });
  });
});

describe("getLegacy: responses declared under */* (Swagger 2.0 without produces), typed by their JSON schema", () => {
  it("a JSON 404 is a declared ApiError; a proxy's HTML 404 or an empty one is not (its type would lie)", async () => {
    const problem = JSON.stringify({ title: "gone", status: 404 });
    server.respondWith({
      status: 404,
      headers: { "content-type": "application/json" },
      body: problem,
    });
    expect(await failure("getLegacy", { path: { id: "1" } })).toMatchObject({
      status: 404,
      body: JSON.parse(problem),
      declared: true,
    });
    server.respondWith({
      status: 404,
      headers: { "content-type": "text/html" },
      body: "<html>proxy</html>",
    });
    expect(await failure("getLegacy", { path: { id: "1" } })).toMatchObject({
      status: 404,
      body: "<html>proxy</html>",
      declared: false,
    });
    server.respondWith({ status: 404, body: "" });
    expect(await failure("getLegacy", { path: { id: "1" } })).toMatchObject({
      status: 404,
      declared: false,
    });
  });

  it("a 200 without Content-Type is read as JSON, as its schema types it", async () => {
    server.respondWith({ status: 200, body: REPORT });
    expect(await call("getLegacy", { path: { id: "1" } })).toEqual(JSON.parse(REPORT));
  });

  it("an image/* 409 (typed Blob) is declared for an image, not for JSON", async () => {
    server.respondWith({ status: 409, headers: { "content-type": "image/png" }, body: "PNG" });
    const image = (await failure("getLegacy", { path: { id: "1" } })) as { body: unknown };
    expect(image).toMatchObject({ status: 409, declared: true });
    expect(image.body).toBeInstanceOf(Blob);
    server.respondWith({
      status: 409,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await failure("getLegacy", { path: { id: "1" } })).toMatchObject({
      status: 409,
      declared: false,
    });
  });
});

describe("getRaw: a file under */* (typed Blob)", () => {
  it("is listed as application/octet-stream, what it is read as", () => {
    expect(api.operations["getRaw"]!.responses["200"]).toEqual(["application/octet-stream"]);
  });

  it("a 200 without Content-Type resolves the bytes as a Blob, not a JSON parse failure", async () => {
    server.respondWith({ status: 200, body: "not json!" });
    const body = await call("getRaw", { path: { id: "1" } });
    expect(body).toBeInstanceOf(Blob);
    expect(await (body as Blob).text()).toBe("not json!");
  });
});
