/**
 * Redirects and methods fetch cannot send, against real local HTTP servers.
 *
 * Credentials are sent only to the configured base URL: fetch follows a 3xx by default and, on a redirect to
 * another origin, drops only `Authorization` (Fetch standard, HTTP-redirect fetch), so an apiKey in a header
 * would reach the other origin. A request that carries credentials is therefore sent with `redirect: "manual"`:
 * the 3xx is the call's ApiError. Two loopback servers on different ports are two origins (RFC 6454 §4).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import {
  ApiError,
  applyApiKey,
  applyAuthorization,
  applyBasic,
  createClient,
  createRuntimeClient,
  getEnvironmentSettings,
  queryParameter,
  revokeSessionById,
  send,
  type Middleware,
  type OperationMeta,
  type SecuritySchemeMeta,
} from "../generated/index.js";
import { jsonResponse, startRecordingServer, type RecordingServer } from "./helpers/http-server.js";

/** `api` is the configured base URL's server; `other` is another origin (another port). */
let api: RecordingServer;
let other: RecordingServer;

beforeAll(async () => {
  [api, other] = await Promise.all([startRecordingServer(), startRecordingServer()]);
});
afterAll(() => Promise.all([api.close(), other.close()]));
beforeEach(() => {
  api.reset();
  other.reset();
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

const SECRET = "s3cret-Credential";

const securitySchemes: Record<string, SecuritySchemeMeta> = {
  apiKeyCookie: { type: "apiKey", in: "cookie", name: "session", apply: applyApiKey },
  apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key", apply: applyApiKey },
  apiKeyQuery: { type: "apiKey", in: "query", name: "api_key", apply: applyApiKey },
  basicAuth: { type: "http", scheme: "basic", apply: applyBasic },
  bearerAuth: { type: "http", scheme: "bearer", apply: applyAuthorization },
};

/** GET /thing?q=1 secured by `scheme` alone (or by nothing, for `null`). */
function operationSecuredBy(scheme: string | null): OperationMeta {
  return {
    operationId: "getThing",
    method: "GET",
    path: "/thing",
    parameters: [
      {
        name: "q",
        in: "query",
        required: false,
        style: "form",
        explode: true,
        serialize: queryParameter,
      },
    ],
    requestBody: null,
    responses: { "200": ["application/json"] },
    security: scheme === null ? [] : [[scheme]],
  };
}

function callSecuredBy(scheme: string | null, middleware: Middleware[] = []): Promise<unknown> {
  const auth = {
    apiKeyCookie: SECRET,
    apiKeyHeader: SECRET,
    apiKeyQuery: SECRET,
    basicAuth: { username: "user", password: SECRET },
    bearerAuth: SECRET,
  };
  const client = createRuntimeClient({
    baseUrl: api.origin,
    auth,
    securitySchemes,
    retry: false,
    middleware,
  });
  const operation = operationSecuredBy(scheme);
  return send(operation, { query: { q: "1" } }, {}, client);
}

/** Everything a server received, as one text (URL and headers of every request). */
function received(server: RecordingServer): string {
  return server.requests
    .map((r) => [r.method, r.url, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)])
    .flat()
    .join("\n");
}

describe("a redirect to another origin never delivers a credential", () => {
  it("without credentials, fetch follows it (the two servers really are reachable origins)", async () => {
    api.respondWith({ status: 302, headers: { location: `${other.origin}/landing` } });
    other.respondWith(jsonResponse(200, { landed: true }));
    await expect(callSecuredBy(null)).resolves.toEqual({ landed: true });
    expect(api.requests).toHaveLength(1);
    expect(other.requests.map((r) => r.url)).toEqual(["/landing"]);
  });

  it.each(["bearerAuth", "basicAuth", "apiKeyHeader", "apiKeyQuery", "apiKeyCookie"])(
    "%s: the other origin receives nothing; the 3xx is an ApiError naming where it pointed",
    async (scheme) => {
      for (const status of [301, 302, 303, 307, 308]) {
        api.reset();
        api.respondWith({ status, headers: { location: `${other.origin}/steal` } });
        const error = await rejectionOf(callSecuredBy(scheme));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status, declared: false, operationId: "getThing" });
        expect((error as ApiError).headers.get("location")).toBe(`${other.origin}/steal`);
        // Not vacuous: the base URL's server did get the credential (in some form of it).
        expect(api.requests).toHaveLength(1);
        expect(received(api)).toMatch(/s3cret-Credential|Basic /);
      }
      expect(other.requests).toHaveLength(0);
    },
  );

  it("the generated client (bearer token) stops at the redirect too", async () => {
    api.respondWith({ status: 307, headers: { location: `${other.origin}/steal` } });
    const client = createClient({ baseUrl: api.origin, auth: { bearerAuth: SECRET } });
    const error = await rejectionOf(revokeSessionById({ path: { sessionId: "s1" } }, { client }));
    expect(error).toMatchObject({ name: "ApiError", status: 307 });
    expect(api.requests).toHaveLength(1); // a 307 is not retried
    expect(other.requests).toHaveLength(0);
  });

  it("an operation without security still follows redirects (security: [])", async () => {
    api.respondWith({ status: 301, headers: { location: `${other.origin}/settings` } });
    const client = createClient({ baseUrl: api.origin, auth: { bearerAuth: SECRET } });
    await getEnvironmentSettings({ path: { environmentId: "e" } }, { client });
    expect(other.requests.map((r) => r.url)).toEqual(["/settings"]);
    expect(received(other)).not.toContain(SECRET);
  });
});

describe("following same-origin redirects is the caller's choice (the README's middleware)", () => {
  // The README's "Redirects" example, verbatim in behaviour.
  const sameOriginRedirects: Middleware = {
    async onResponse({ request, response }) {
      const location = response.headers.get("location");
      if (![301, 302, 307, 308].includes(response.status) || location === null) return;
      const target = new URL(location, request.url);
      if (target.origin !== new URL(request.url).origin) return; // another origin: stays an ApiError
      return fetch(new Request(target, request));
    },
  };

  it("a credentialed redirect within the origin is followed, credential included", async () => {
    api.respondWithSequence({ status: 308, headers: { location: "/moved?q=1" } });
    api.respondWith(jsonResponse(200, { moved: true }));
    await expect(callSecuredBy("apiKeyHeader", [sameOriginRedirects])).resolves.toEqual({
      moved: true,
    });
    expect(api.requests.map((r) => [r.url, r.headers["x-api-key"]])).toEqual([
      ["/thing?q=1", SECRET],
      ["/moved?q=1", SECRET],
    ]);
  });

  it("a redirect to another origin is still refused", async () => {
    api.respondWith({ status: 302, headers: { location: `${other.origin}/steal` } });
    const error = await rejectionOf(callSecuredBy("apiKeyHeader", [sameOriginRedirects]));
    expect(error).toMatchObject({ name: "ApiError", status: 302 });
    expect(other.requests).toHaveLength(0);
  });
});

describe("TRACE (fetch cannot send it)", () => {
  it("a generated TRACE operation says so in its doc, and a call rejects with a TypeError, sending nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-trace-"));
    try {
      const spec = join(dir, "spec.yaml");
      writeFileSync(
        spec,
        [
          "openapi: 3.1.0",
          "info: { title: Trace, version: '1' }",
          "paths:",
          "  /echo:",
          "    trace:",
          "      operationId: traceEcho",
          "      responses: { '200': { description: ok } }",
        ].join("\n"),
      );
      const { files } = await generateFiles({ spec, displayPath: "spec.yaml" });
      for (const [name, content] of files) writeFileSync(join(dir, name), content);
      expect(files.get("client.ts")).toContain("`fetch` cannot send TRACE");
      const module = await import(pathToFileURL(join(dir, "index.ts")).href);
      const client = module.createClient({ baseUrl: api.origin });
      const error = await rejectionOf(module.traceEcho({}, { client }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/^traceEcho: .*TRACE/);
      expect(api.requests).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects with a TypeError naming the operation and the method, before sending anything", async () => {
    const operation: OperationMeta = { ...operationSecuredBy(null), method: "TRACE" };
    const client = createRuntimeClient({ baseUrl: api.origin, securitySchemes });
    const error = await rejectionOf(send(operation, {}, {}, client));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(/^getThing: .*TRACE/);
    expect(api.requests).toHaveLength(0);
  });
});
