/**
 * statuses/spec.yaml at run time: the runtime matches a status the way the generated types say it does (exact
 * code, then its range, then `default`; OpenAPI 3.1 §4.8.16), so the `status`/`body` pairs that `isApiErrorOf`
 * narrows to are the ones that arrive. Against a real node:http server.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jsonResponse, type RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import {
  startClientAgainstServer,
  stopClientAgainstServer,
  rejectionOf,
} from "./helpers/generated-client.js";

interface Api {
  createClient(o: unknown): unknown;
  isApiErrorOf(error: unknown, operation: string): boolean;
  [name: string]: unknown;
}
let api: Api;
let server: RecordingServer;
let dir: string;
let client: unknown;

beforeAll(async () => {
  ({ api, server, client, dir } = await startClientAgainstServer<Api>(
    join(FIXTURES, "statuses/spec.yaml"),
  ));
});
afterAll(() => stopClientAgainstServer({ server, dir }));
beforeEach(() => server.reset());

async function call(name: string, args: unknown): Promise<unknown> {
  return (api[name] as (a: unknown, o: unknown) => Promise<unknown>)(args, {
    client,
    retry: false,
  });
}

const failure = (name: string, args: unknown) => rejectionOf(call(name, args));

describe("getJob: 200 and 2XX succeed; 404, 409, 4XX and 5XX are declared errors", () => {
  it("a 201 (in 2XX) resolves with its body", async () => {
    server.respondWith(jsonResponse(201, { state: "pending" }));
    expect(await call("getJob", { path: { id: "j" } })).toEqual({ state: "pending" });
  });

  it.each([204, 205])(
    "a %i (in 2XX, not declared on its own) resolves undefined, as its type says",
    async (status) => {
      server.respondWith({ status, headers: { "content-type": "application/json" } });
      expect(await call("getJob", { path: { id: "j" } })).toBeUndefined();
    },
  );

  it.each([
    [404, { missing: "j" }],
    [409, { conflictsWith: "k" }],
    [418, { title: "teapot" }],
    [400, { title: "bad" }],
    [499, { title: "closed" }],
    [503, { retryAfter: 3 }],
  ])("a %i is a declared ApiError with its body", async (status, body) => {
    server.respondWith(jsonResponse(status, body));
    const error = await failure("getJob", { path: { id: "j" } });
    expect(api.isApiErrorOf(error, "getJob")).toBe(true);
    expect(error).toMatchObject({ status, body, declared: true, operationId: "getJob" });
  });

  it("a 300 is in no declared range: an ApiError that isApiErrorOf rejects", async () => {
    server.respondWith(jsonResponse(300, { choices: [] }));
    const error = await failure("getJob", { path: { id: "j" } });
    expect(error).toMatchObject({ name: "ApiError", status: 300, declared: false });
    expect(api.isApiErrorOf(error, "getJob")).toBe(false);
  });
});

describe("default", () => {
  it("listJobs: any non-2xx status is a declared error (status: number)", async () => {
    server.respondWith(jsonResponse(404, { title: "nope" }));
    const error = await failure("listJobs", {});
    expect(api.isApiErrorOf(error, "listJobs")).toBe(true);
    expect(error).toMatchObject({ status: 404, body: { title: "nope" } });
  });

  it("ping declares only default: a 200 resolves with the default body", async () => {
    server.respondWith(jsonResponse(200, { pong: true }));
    expect(await call("ping", {})).toEqual({ pong: true });
  });

  it("ping declares only default: a 204 resolves undefined, as its type says", async () => {
    server.respondWith({ status: 204 });
    expect(await call("ping", {})).toBeUndefined();
  });
});
