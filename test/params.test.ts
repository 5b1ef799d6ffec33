/**
 * params/spec.yaml on the wire, against a real node:http server: every parameter location with its style and
 * `explode` (OpenAPI 3.1 §4.8.12.4, "Style Examples": `color` = ["blue","black","brown"] or {R:100,G:200,B:150}
 * is `blue,black,brown` / `R,100,G,200,B,150` / `R=100,G=200,B=150` for style simple, `color=blue,black,brown` or
 * `color=blue&color=black&color=brown` for form, `color%5BR%5D=100…` for deepObject, `blue%7Cblack%7Cbrown` for
 * pipeDelimited). The raw request line and headers are compared exactly.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../generator/diagnostics.js";
import type { RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import { startClientAgainstServer, stopClientAgainstServer } from "./helpers/generated-client.js";

interface Api {
  createClient(o: unknown): unknown;
  operations: Record<string, { parameters: readonly { name: string; in: string }[] }>;
  [name: string]: unknown;
}
let api: Api;
let diagnostics: Diagnostic[];
let server: RecordingServer;
let dir: string;
let client: unknown;

beforeAll(async () => {
  ({ api, server, client, dir, diagnostics } = await startClientAgainstServer<Api>(
    join(FIXTURES, "params/spec.yaml"),
  ));
});
afterAll(() => stopClientAgainstServer({ server, dir }));
beforeEach(() => server.reset());

async function call(name: string, args: unknown) {
  await (api[name] as (a: unknown, o: unknown) => Promise<unknown>)(args, { client, retry: false });
  expect(server.requests).toHaveLength(1);
  return server.requests[0]!;
}

const color = { R: 100, G: 200 };

describe("getItemTag: path, query, header and cookie parameters, merged from path item and operation", () => {
  it("sends every parameter in its style: the exact URL, headers and Cookie", async () => {
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "blue" },
      query: {
        verbose: true,
        ids: [1, 2],
        sort: ["name", "-date"],
        filter: { color: "red" },
        legacy: "x",
      },
      header: {
        "X-Request-Id": "r-1",
        "X-Ids": [1, 2],
        "X-Color": color,
        "X-Color-Exploded": color,
      },
      cookie: { session: "a b;c", prefs: ["dark", "wide"], theme: color },
    });
    expect(request.method).toBe("GET");
    // label path segment `.blue`; form arrays not exploded (`ids=1,2`) and exploded (`sort=…&sort=…`, the
    // default); deepObject `filter[color]` with its brackets percent-encoded; spec order.
    expect(request.url).toBe(
      "/items/7/tags/.blue?verbose=true&ids=1,2&sort=name&sort=-date&filter%5Bcolor%5D=red&legacy=x",
    );
    expect(request.headers["x-request-id"]).toBe("r-1");
    expect(request.headers["x-ids"]).toBe("1,2");
    expect(request.headers["x-color"]).toBe("R,100,G,200");
    expect(request.headers["x-color-exploded"]).toBe("R=100,G=200");
    // Cookies (README "Parameters"): `name=value`, percent-encoded, an array or object comma-joined whatever
    // `explode` says (prefs leaves it at form's default, true), joined by `; ` (RFC 6265 §4.2.1).
    expect(request.headers.cookie).toBe("session=a%20b%3Bc; prefs=dark,wide; theme=R,100,G,200");
  });

  it("the operation's `verbose` replaces the path item's: one entry, required, sent once", async () => {
    const verbose = api.operations.getItemTag!.parameters.filter((p) => p.name === "verbose");
    expect(verbose).toEqual([expect.objectContaining({ in: "query", required: true })]);
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "blue" },
      query: { verbose: false },
    });
    expect(request.url).toBe("/items/7/tags/.blue?verbose=false");
  });

  it("leaves out every optional parameter it is not given: no extra header, no Cookie", async () => {
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "blue" },
      query: { verbose: true },
    });
    expect(Object.keys(request.headers).filter((name) => /^x-|^cookie$/.test(name))).toEqual([]);
  });

  it("percent-encodes a label path value", async () => {
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "a/b c" },
      query: { verbose: true },
    });
    expect(request.url).toBe("/items/7/tags/.a%2Fb%20c?verbose=true");
  });

  it("refuses a label value that makes the segment `..` (tag `.`) before sending", async () => {
    const getItemTag = api.getItemTag as (a: unknown, o: unknown) => Promise<unknown>;
    await expect(
      getItemTag({ path: { itemId: 7, tag: "." }, query: { verbose: true } }, { client }),
    ).rejects.toThrow('getItemTag: path parameter "tag" is missing, empty, "." or ".."');
    expect(server.requests).toHaveLength(0);
  });
});

describe("search: pipeDelimited, and a query string with reserved characters", () => {
  it("joins the array with %7C and percent-encodes every item", async () => {
    const request = await call("search", { query: { q: "x&y=z", tags: ["a", "b c"] } });
    expect(request.url).toBe("/search?q=x%26y%3Dz&tags=a%7Cb%20c");
  });

  it("sends no query string at all without arguments", async () => {
    const request = await call("search", undefined);
    expect(request.url).toBe("/search");
  });
});

describe("values RFC 6570 calls undefined, reserved text, and what cannot be encoded (triage 2026-12-06)", () => {
  it("empty arrays and objects are left out in the query, headers and cookies (RFC 6570 §2.3), not `ids=`", async () => {
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "blue" },
      query: { verbose: true, ids: [], sort: [], filter: {} },
      header: { "X-Ids": [], "X-Color": {} },
      cookie: { prefs: [], theme: {} },
    });
    expect(request.url).toBe("/items/7/tags/.blue?verbose=true");
    expect(Object.keys(request.headers).filter((name) => /^x-|^cookie$/.test(name))).toEqual([]);
  });

  it("allowReserved: reserved characters and %XX triples pass unchanged, a lone % is encoded", async () => {
    const request = await call("search", { query: { next: "a/b?c=%2B%zz" } });
    // `=` keeps its query meaning encoded; `%2B` passes; `%zz` is no triple: its `%` is `%25`.
    expect(request.url).toBe("/search?next=a/b?c%3D%2B%25zz");
  });

  it("a lone surrogate (no percent-encoding exists) fails with a URIError, and nothing is sent", async () => {
    const search = api.search as (a: unknown, o: unknown) => Promise<unknown>;
    const error = await search({ query: { q: "x\ud800" } }, { client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(URIError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("getMe: header parameters named Accept, Content-Type or Authorization (OpenAPI 3.1 §4.8.12.1: ignored)", () => {
  it("each is a located ignored-parameter warning, once per definition", () => {
    expect(
      diagnostics
        .filter((d) => d.code === "ignored-parameter")
        .map((d) => [d.severity, d.pointer, d.message.split(":")[0]]),
    ).toEqual([
      ["warning", "/paths/~1me/get/parameters/0", 'header parameter "Authorization" is ignored'],
      ["warning", "/components/parameters/Accept", 'header parameter "Accept" is ignored'],
    ]);
  });

  it("is not in the operations table and is never sent; the others are", async () => {
    expect(api.operations.getMe!.parameters.map((p) => p.name)).toEqual(["X-Trace"]);
    const request = await call("getMe", {
      header: { "X-Trace": "t", Authorization: "x", Accept: "y" },
    });
    expect(request.headers["x-trace"]).toBe("t");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers.accept).not.toBe("y");
  });
});

describe("deepObject with nested objects and arrays (Stripe's form; OpenAPI leaves it undefined)", () => {
  it("brackets all the way down, array items indexed, absent values left out", async () => {
    const request = await call("getItemTag", {
      path: { itemId: 7, tag: "blue" },
      query: {
        verbose: true,
        filter: { color: "red", size: { min: 1, max: null }, tags: ["x", null, "y z"], none: {} },
      },
    });
    expect(request.url).toBe(
      "/items/7/tags/.blue?verbose=true&filter%5Bcolor%5D=red&filter%5Bsize%5D%5Bmin%5D=1" +
        "&filter%5Btags%5D%5B0%5D=x&filter%5Btags%5D%5B1%5D=y%20z",
    );
  });
});
