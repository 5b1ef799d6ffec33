/**
 * runtime-extras/spec.yaml on the wire, against real node:http servers: operation-level servers (and where
 * credentials may go), streamed responses (server-sent events, JSON lines, JSON text sequences) written in
 * chunks that split lines and UTF-8 characters, content-encoded parameters, per-part multipart content types
 * and form `encoding`. The spec's server hosts are replaced by local servers before generating.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import { importGeneratedClient } from "./helpers/generated-client.js";

type Call = (args?: unknown, options?: unknown) => Promise<unknown>;
type Api = Record<string, unknown> & {
  createClient: (o: unknown) => unknown;
  serverUrl: (server: unknown, values?: unknown) => string;
  operations: Record<"listFiles" | "uploadFiles", { servers: readonly { url: string }[] }>;
  send: (operation: unknown, args: unknown, options: unknown, client: unknown) => Promise<unknown>;
  createRuntimeClient: (config: unknown) => unknown;
};

let api: Api;
let main: RecordingServer; // the client's baseUrl
let files: RecordingServer; // the operations' own servers
let streams: StreamServer;
let dir: string;

const TOKEN = "tok-123";

beforeAll(async () => {
  main = await startRecordingServer();
  files = await startRecordingServer();
  streams = await startStreamServer();
  const port = new URL(files.origin).port;
  const text = readFileSync(join(FIXTURES, "runtime-extras/spec.yaml"), "utf8")
    .replace(
      "https://{region}.files.example.com/{version}",
      "http://127.0.0.1:{port}/{region}/{version}",
    )
    .replace(
      "version: { default: v2 }",
      `version: { default: v2 }\n          port: { default: "${port}" }`,
    )
    .replace("https://uploads.example.com", `${files.origin}/uploads`);
  dir = mkdtempSync(join(tmpdir(), "specfetch-extras-"));
  writeFileSync(join(dir, "spec.yaml"), text);
  ({ api } = await importGeneratedClient<Api>(join(dir, "spec.yaml"), dir));
});
afterAll(async () => {
  await Promise.all([main.close(), files.close(), streams.close()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  main.reset();
  files.reset();
});

const call = (name: string, args: unknown, options: unknown) => (api[name] as Call)(args, options);

describe("servers: an operation with its own servers", () => {
  const withAuth = () => api.createClient({ baseUrl: main.origin, auth: { bearerAuth: TOKEN } });

  it("goes to its first server with default variables (path-level servers), not to the client's baseUrl", async () => {
    files.respondWith({ status: 200, headers: { "content-type": "application/json" }, body: "[]" });
    const client = api.createClient({ baseUrl: main.origin });
    expect(await call("listFiles", {}, { client })).toEqual([]);
    expect(files.requests.map((r) => r.url)).toEqual(["/eu/v2/files"]);
    expect(main.requests).toEqual([]);
  });

  it("refuses to send credentials to that server when the client was not configured with it", async () => {
    const promise = call("listFiles", {}, { client: withAuth() });
    await expect(promise).rejects.toThrow(TypeError);
    await expect(promise).rejects.toThrow(/credentials are not sent to .*operationServers/);
    expect(files.requests).toEqual([]);
    expect(main.requests).toEqual([]);
  });

  it("goes, with credentials, to the URL the client's operationServers gives for it", async () => {
    files.respondWith({ status: 200, headers: { "content-type": "application/json" }, body: "[]" });
    const key = api.operations.listFiles.servers[0]!.url;
    expect(key).toBe("http://127.0.0.1:{port}/{region}/{version}");
    const client = api.createClient({
      baseUrl: main.origin,
      auth: { bearerAuth: TOKEN },
      operationServers: { [key]: `${files.origin}/custom/` },
    });
    await call("listFiles", {}, { client });
    expect(files.requests.map((r) => r.url)).toEqual(["/custom/files"]);
    expect(files.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("goes, with credentials, to a call's own baseUrl", async () => {
    await call("listFiles", {}, { client: withAuth(), baseUrl: `${main.origin}/mirror` });
    expect(main.requests.map((r) => r.url)).toEqual(["/mirror/files"]);
    expect(main.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("an operation-level server overrides the path-level one (uploadFiles), with credentials when configured", async () => {
    files.respondWith({ status: 204 });
    const key = api.operations.uploadFiles.servers[0]!.url;
    const client = api.createClient({
      baseUrl: main.origin,
      auth: { bearerAuth: TOKEN },
      operationServers: { [key]: key },
    });
    await call("uploadFiles", { body: { note: "n" } }, { client });
    expect(files.requests.map((r) => r.url)).toEqual(["/uploads/files"]);
    expect(files.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("operations without servers keep the client's baseUrl, with credentials", async () => {
    await call("getMe", {}, { client: withAuth() });
    expect(main.requests.map((r) => r.url)).toEqual(["/me"]);
    expect(main.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("a relative operation server is on the client's host, with credentials; a scheme-relative one (//host) is not trusted", async () => {
    const operation = (url: string) => ({
      operationId: "op",
      method: "GET",
      path: "/p",
      parameters: [],
      requestBody: null,
      responses: {},
      security: [["bearerAuth"]],
      servers: [{ url, variables: {} }],
      server: api.operationServer,
    });
    const client = api.createRuntimeClient({
      baseUrl: `${main.origin}/base`,
      auth: { bearerAuth: TOKEN },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", apply: api.applyAuthorization },
      },
    });
    const send = (url: string) => api.send(operation(url), {}, {}, client);
    await send("/rel");
    expect(main.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ["/rel/p", `Bearer ${TOKEN}`],
    ]);
    await expect(send(`//${new URL(files.origin).host}/x`)).rejects.toThrow(
      /credentials are not sent/,
    );
    expect(files.requests).toEqual([]);
  });

  it("serverUrl fills a template's variables, defaults for the others, and refuses a value outside its enum", () => {
    const server = api.operations.listFiles.servers[0]!;
    const port = new URL(files.origin).port;
    expect(api.serverUrl(server)).toBe(`http://127.0.0.1:${port}/eu/v2`);
    expect(api.serverUrl(server, { region: "us", version: "v3" })).toBe(
      `http://127.0.0.1:${port}/us/v3`,
    );
    expect(() => api.serverUrl(server, { region: "mars" })).toThrow(
      'server variable "region" must be one of eu, us',
    );
  });
});

// -------------------------------------------------------------------------------------------------------------
// Streams

/** A server that writes each path's response as a list of chunks, with a pause between them. */
interface StreamServer {
  readonly origin: string;
  /** Chunks for a path: strings or raw bytes; `"hold"` as the last one keeps the response open. */
  script(
    path: string,
    response: { status?: number; type: string; chunks: (string | Buffer | "hold")[] },
  ): void;
  /** Resolves when the client has closed the connection of the last response to `path`. */
  closed(path: string): Promise<void>;
  close(): Promise<void>;
}

async function startStreamServer(): Promise<StreamServer> {
  const scripts = new Map<
    string,
    { status?: number; type: string; chunks: (string | Buffer | "hold")[] }
  >();
  const closes = new Map<string, Promise<void>>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "";
    const script = scripts.get(path)!;
    closes.set(path, new Promise((resolve) => res.on("close", () => resolve())));
    res.writeHead(script.status ?? 200, { "content-type": script.type });
    res.flushHeaders();
    void (async () => {
      for (const chunk of script.chunks) {
        if (chunk === "hold") return;
        await new Promise((resolve) => setTimeout(resolve, 15));
        if (res.destroyed) return;
        res.write(chunk);
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    script: (path, response) => scripts.set(path, response),
    closed: (path) => closes.get(path) ?? Promise.reject(new Error(`no request to ${path}`)),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `text` as UTF-8 bytes, cut at the given byte offsets (to split characters and line breaks). */
function cut(text: string, ...offsets: number[]): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}

async function collect(iterable: unknown): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterable as AsyncIterable<unknown>) items.push(item);
  return items;
}

describe("streams", () => {
  const client = () => api.createClient({ baseUrl: streams.origin, retry: false });

  it("text/event-stream → events: BOM, CRLF/CR/LF, multi-line data, event, id, retry, comments; chunks split a character and a CRLF", async () => {
    const text =
      "\uFEFFdata: héllo\r\ndata: wörld\r\r" +
      'event: tick\nid: 7\nretry: 1500\ndata: {"n":1}\n\n' +
      ": a comment\ndata\n\n" +
      "id: 8\nevent: ignored\n\n" +
      "data:no space\nunknown: field\n\n" +
      "data: unfinished";
    const bytes = Buffer.from(text, "utf8");
    const e = bytes.indexOf(Buffer.from("é")) + 1; // inside the two bytes of é
    const crlf = bytes.indexOf(Buffer.from("\r\n")) + 1; // between CR and LF
    streams.script("/events", { type: "text/event-stream", chunks: cut(text, 2, e, crlf, 40, 60) });
    const events = await collect(await call("streamEvents", {}, { client: client() }));
    expect(events).toEqual([
      { event: "message", data: "héllo\nwörld", id: "" },
      { event: "tick", data: '{"n":1}', id: "7", retry: 1500 },
      { event: "message", data: "", id: "7", retry: 1500 },
      { event: "message", data: "no space", id: "8", retry: 1500 },
    ]);
  });

  it("application/x-ndjson → JSON values; a line and a 4-byte character split across chunks, CRLF and blank lines", async () => {
    const text =
      '{"level":"info","message":"a 😀"}\r\n\r\n{"level":"warn","message":"b"}\n{"level":"info","message":"c"}';
    const emoji = Buffer.from(text).indexOf(Buffer.from("😀")) + 2;
    streams.script("/logs", { type: "application/x-ndjson", chunks: cut(text, 10, emoji, 35, 36) });
    const items = await collect(await call("streamLogs", {}, { client: client() }));
    expect(items).toEqual([
      { level: "info", message: "a 😀" },
      { level: "warn", message: "b" },
      { level: "info", message: "c" },
    ]);
  });

  it("application/jsonl with an OpenAPI 3.2 itemSchema, CR line ends", async () => {
    const text = '{"level":"info","message":"x"}\r{"level":"warn","message":"y"}\r';
    streams.script("/items", { type: "application/jsonl; charset=utf-8", chunks: cut(text, 31) });
    const items = await collect(await call("streamItems", {}, { client: client() }));
    expect(items).toEqual([
      { level: "info", message: "x" },
      { level: "warn", message: "y" },
    ]);
  });

  it("application/json-seq (RFC 7464) → JSON texts, one spanning lines", async () => {
    streams.script("/records", {
      type: "application/json-seq",
      chunks: ["\x1e1\n\x1e[2,", "\n3]\n", "\x1e\n\x1e4\n"],
    });
    const items = await collect(await call("streamRecords", {}, { client: client() }));
    expect(items).toEqual([1, [2, 3], 4]);
  });

  it("an error status is read whole and thrown as ApiError, not streamed", async () => {
    streams.script("/logs", { status: 400, type: "application/json", chunks: ['{"error":"bad"}'] });
    await expect(call("streamLogs", {}, { client: client() })).rejects.toMatchObject({
      name: "ApiError",
      status: 400,
      body: { error: "bad" },
    });
  });

  it("a line that is not JSON ends the iteration with ResponseParseError carrying the line", async () => {
    streams.script("/logs", {
      type: "application/x-ndjson",
      chunks: ['{"level":"info","message":"ok"}\n', "{oops\n"],
    });
    const iterator = (await call("streamLogs", {}, { client: client() })) as AsyncIterable<unknown>;
    const seen: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const item of iterator) seen.push(item);
      } catch (e) {
        return e;
      }
    })();
    expect(seen).toEqual([{ level: "info", message: "ok" }]);
    expect(error).toMatchObject({ name: "ResponseParseError", text: "{oops", status: 200 });
  });

  it("resolves when the headers arrive; timeoutMs covers only that, not the body", async () => {
    streams.script("/logs", {
      type: "application/x-ndjson",
      chunks: [
        '{"level":"info","message":"1"}\n',
        ...Array(8).fill("\n"),
        '{"level":"info","message":"2"}\n',
      ],
    });
    // 9 pauses of 15 ms: the body takes longer than the 60 ms timeout.
    const started = Date.now();
    const items = await collect(await call("streamLogs", {}, { client: client(), timeoutMs: 60 }));
    expect(Date.now() - started).toBeGreaterThan(100);
    expect(items).toHaveLength(2);
  });

  it("break mid-stream cancels the body: the server sees the connection closed", async () => {
    streams.script("/logs", {
      type: "application/x-ndjson",
      chunks: ['{"level":"info","message":"first"}\n', "hold"],
    });
    const iterable = (await call("streamLogs", {}, { client: client() })) as AsyncIterable<unknown>;
    const seen: unknown[] = [];
    for await (const item of iterable) {
      seen.push(item);
      break;
    }
    expect(seen).toEqual([{ level: "info", message: "first" }]);
    await expect(withTimeout(streams.closed("/logs"), 2000)).resolves.toBe("closed");
  });

  it("the caller's signal aborts mid-stream: the iteration rejects with AbortError and the connection closes", async () => {
    streams.script("/events", { type: "text/event-stream", chunks: ["data: one\n\n", "hold"] });
    const controller = new AbortController();
    const iterable = (await call(
      "streamEvents",
      {},
      {
        client: client(),
        signal: controller.signal,
      },
    )) as AsyncIterable<unknown>;
    const iterator = iterable[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ data: "one" });
    const next = iterator.next();
    controller.abort(new Error("user left"));
    await expect(next).rejects.toMatchObject({ name: "AbortError" });
    await expect(withTimeout(streams.closed("/events"), 2000)).resolves.toBe("closed");
  });
});

async function withTimeout(promise: Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>(
    (resolve) => (timer = setTimeout(() => resolve("timeout"), ms)),
  );
  const result = await Promise.race([promise.then(() => "closed"), timeout]);
  clearTimeout(timer);
  return result;
}

// -------------------------------------------------------------------------------------------------------------
// content-encoded parameters, multipart parts, form encoding

describe("content-encoded parameters (search): JSON text, then encoded for the location", () => {
  const filter = { name: "a b", max: 2 };
  const encoded = "%7B%22name%22%3A%22a%20b%22%2C%22max%22%3A2%7D";

  it("path segment and query value percent-encoded, header as is, cookie percent-encoded", async () => {
    main.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: main.origin });
    await call(
      "search",
      {
        path: { filter },
        query: { where: filter },
        header: { "X-Filter": filter },
        cookie: { prefs: filter },
      },
      { client },
    );
    const request = main.requests[0]!;
    expect(request.url).toBe(`/search/${encoded}?where=${encoded}`);
    expect(request.headers["x-filter"]).toBe('{"name":"a b","max":2}');
    expect(request.headers.cookie).toBe(`prefs=${encoded}`);
  });

  it("a header value the JSON text makes invalid (a character above U+00FF) is refused before sending", async () => {
    const client = api.createClient({ baseUrl: main.origin });
    await expect(
      call("search", { path: { filter }, header: { "X-Filter": { name: "€" } } }, { client }),
    ).rejects.toThrow('invalid name or value of header "X-Filter"');
    expect(main.requests).toEqual([]);
  });
});

describe("path parameters in style simple (getPaint): structured schemas expanded, scalars as is", () => {
  it("an array is comma-joined, an exploded object is key=value pairs, scalars are percent-encoded", async () => {
    main.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: main.origin });
    const path = {
      colors: ["red", "dark blue"],
      rgb: { r: 1, g: 2, b: 3 },
      code: "a/b c",
      shade: 7,
    };
    await call("getPaint", { path }, { client });
    expect(main.requests.map((r) => r.url)).toEqual([
      "/paints/red,dark%20blue/r=1,g=2,b=3/a%2Fb%20c/7",
    ]);
  });

  it("the metadata names the piece only for the structured ones", () => {
    const { parameters } = (api.operations as unknown as Record<string, { parameters: object[] }>)
      .getPaint!;
    const serialized = parameters.map((p) => "serialize" in p);
    expect(serialized).toEqual([true, true, false, false]);
  });

  it("a scalar segment is still refused when it is `..`", async () => {
    const client = api.createClient({ baseUrl: main.origin });
    const path = { colors: ["red"], rgb: { r: 1 }, code: "..", shade: 7 };
    await expect(call("getPaint", { path }, { client })).rejects.toThrow(
      'getPaint: path parameter "code" is missing, empty, "." or ".."',
    );
    expect(main.requests).toEqual([]);
  });
});

describe("request bodies with encoding", () => {
  it("multipart: a part with a declared contentType carries it (JSON object, text items); a Blob keeps its own", async () => {
    files.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: main.origin });
    const file = new Blob(["%PDF"], { type: "application/pdf" });
    await call(
      "uploadFiles",
      { body: { file, meta: { title: "Tö" }, note: "n", tags: ["a", "b"] } },
      { client },
    );
    const request = files.requests[0]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(
      String(request.headers["content-type"]),
    )![1]!;
    const parts = request.body.split(`--${boundary}`).slice(1, -1);
    const parsed = parts.map((part) => {
      const [head, ...body] = part.replace(/^\r\n/, "").replace(/\r\n$/, "").split("\r\n\r\n");
      return { head: head!.split("\r\n"), body: body.join("\r\n\r\n") };
    });
    expect(parsed).toEqual([
      {
        head: [
          'Content-Disposition: form-data; name="file"; filename="blob"',
          "Content-Type: application/pdf",
        ],
        body: "%PDF",
      },
      {
        head: [
          'Content-Disposition: form-data; name="meta"; filename="blob"',
          "Content-Type: application/json",
        ],
        body: '{"title":"Tö"}',
      },
      { head: ['Content-Disposition: form-data; name="note"'], body: "n" },
      {
        head: [
          'Content-Disposition: form-data; name="tags"; filename="blob"',
          "Content-Type: text/plain",
        ],
        body: "a",
      },
      {
        head: [
          'Content-Disposition: form-data; name="tags"; filename="blob"',
          "Content-Type: text/plain",
        ],
        body: "b",
      },
    ]);
  });

  it("application/x-www-form-urlencoded: style/explode per property, JSON contentType, the rest as before", async () => {
    main.respondWith({ status: 204 });
    const client = api.createClient({ baseUrl: main.origin });
    await call(
      "submitForm",
      { body: { ids: [1, 2, 3], color: { r: 1, g: 2 }, plain: "a b&c", doc: { a: "x" } } },
      { client },
    );
    const request = main.requests[0]!;
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.body).toBe(
      "ids=1%7C2%7C3&color%5Br%5D=1&color%5Bg%5D=2&plain=a+b%26c&doc=%7B%22a%22%3A%22x%22%7D",
    );
    // What a server's form parser reads back.
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      ids: "1|2|3",
      "color[r]": "1",
      "color[g]": "2",
      plain: "a b&c",
      doc: '{"a":"x"}',
    });
  });
});
