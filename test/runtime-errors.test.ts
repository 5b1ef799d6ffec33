/**
 * The runtime's error hierarchy against a real local HTTP server: what each error carries, and that none of
 * them — message, `toString()`, `JSON.stringify`, or Node's `util.inspect` as a logger prints it — ever shows a
 * credential (a bearer token, a basic password, an apiKey in a header, the query or a cookie), checked with
 * random secrets by fast-check.
 *
 * The credentialed operations are the security fixture's (`test/fixtures/security/spec.yaml`), written out
 * as the `OperationMeta` the generator emits for them, and sent with `send`.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AbortError,
  ApiError,
  applyApiKey,
  applyAuthorization,
  applyBasic,
  queryParameter,
  createClient,
  createRuntimeClient,
  getEnvironmentSettings,
  isApiErrorOf,
  NetworkError,
  percentEncode,
  ResponseParseError,
  revokeSessionById,
  send,
  SpecfetchError,
  TimeoutError,
  updateInvite,
  type CallOptions,
  type Client,
  type ClientOptions,
  type OperationMeta,
  type SecuritySchemeMeta,
} from "../generated/index.js";
import {
  fakeTimers,
  jsonResponse,
  startRecordingServer,
  type CannedResponse,
  type RecordingServer,
} from "./helpers/http-server.js";

let server: RecordingServer;
let baseUrl: string;

beforeAll(async () => {
  server = await startRecordingServer();
  baseUrl = `${server.origin}/api/v0`;
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

const dashboard = () => createClient({ baseUrl, auth: { bearerAuth: "token" }, retry: false });

// -------------------------------------------------------------------------------------------------
// What each error carries

describe("ApiError (non-2xx)", () => {
  it("carries status, response headers, the parsed body, operationId, method, url and declared", async () => {
    server.respondWith(jsonResponse(403, { error: "forbidden" }, { "x-request-id": "r-9" }));
    const error = await rejectionOf(
      revokeSessionById({ path: { sessionId: "s 1" } }, { client: dashboard() }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(SpecfetchError);
    expect(error).toBeInstanceOf(Error);
    const apiError = error as ApiError;
    expect(apiError).toMatchObject({
      name: "ApiError",
      status: 403,
      body: { error: "forbidden" },
      operationId: "revokeSessionById",
      method: "PUT",
      url: `${baseUrl}/sessions/s%201/revoke`,
      declared: true,
    });
    expect(apiError.headers.get("x-request-id")).toBe("r-9");
    expect(apiError.message).toBe(
      `PUT ${baseUrl}/sessions/s%201/revoke responded 403 (revokeSessionById)`,
    );
  });

  it("serialises to its fields and message, without headers or stack", () => {
    const error = new ApiError({
      status: 404,
      body: { error: "no such session" },
      headers: new Headers({ "set-cookie": "sid=abc" }),
      operationId: "revokeSessionById",
      declared: false,
      method: "PUT",
      url: "https://api.test/sessions/x/revoke",
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ApiError",
      message: "PUT https://api.test/sessions/x/revoke responded 404 (revokeSessionById)",
      status: 404,
      body: { error: "no such session" },
      operationId: "revokeSessionById",
      declared: false,
      method: "PUT",
      url: "https://api.test/sessions/x/revoke",
    });
  });
});

describe("ResponseParseError (a body that does not parse as its Content-Type says)", () => {
  it("a 200 application/json with invalid JSON carries the raw text, status and headers", async () => {
    server.respondWith({
      status: 200,
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    const error = await rejectionOf(
      getEnvironmentSettings({ path: { environmentId: "e" } }, { client: dashboard() }),
    );
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toBeInstanceOf(SpecfetchError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: "ResponseParseError",
      status: 200,
      text: "{oops",
      operationId: "getEnvironmentSettings",
      method: "GET",
    });
    expect((error as ResponseParseError).headers.get("content-type")).toBe("application/json");
    expect((error as ResponseParseError).cause).toBeInstanceOf(SyntaxError);
  });

  it("uses the spec's content type when the response has none (revokeSessionById 200 is application/json)", async () => {
    server.respondWith({ status: 200, body: "<html>proxy error</html>" });
    const error = await rejectionOf(
      revokeSessionById({ path: { sessionId: "s1" } }, { client: dashboard() }),
    );
    expect(error).toMatchObject({ name: "ResponseParseError", text: "<html>proxy error</html>" });
  });

  it("is not retried (the response arrived), even for a GET", async () => {
    server.respondWith({ status: 200, headers: { "content-type": "application/json" }, body: "[" });
    const client = createClient({ baseUrl, timers: { sleep: () => Promise.resolve() } });
    await rejectionOf(getEnvironmentSettings({ path: { environmentId: "e" } }, { client }));
    expect(server.requests).toHaveLength(1);
  });
});

describe("NetworkError", () => {
  it("a refused connection names the platform's reason (undici's cause: ECONNREFUSED)", async () => {
    const closed = await startRecordingServer();
    const origin = closed.origin;
    await closed.close();
    const client = createClient({ baseUrl: origin, retry: false });
    const error = await rejectionOf(
      getEnvironmentSettings({ path: { environmentId: "e" } }, { client }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(SpecfetchError);
    expect((error as NetworkError).message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/sdk\/e\/settings failed: /,
    );
    expect((error as NetworkError).message).toMatch(/ECONNREFUSED/);
    expect((error as NetworkError).cause).toBeUndefined(); // the platform's error is not kept: it may name the URL
  });
});

describe("the five kinds are one hierarchy, told apart by instanceof and name", () => {
  it.each([
    ["ApiError", ApiError],
    ["NetworkError", NetworkError],
    ["TimeoutError", TimeoutError],
    ["AbortError", AbortError],
    ["ResponseParseError", ResponseParseError],
  ] as const)("%s extends SpecfetchError and Error", (name, type) => {
    expect(type.prototype).toBeInstanceOf(SpecfetchError);
    expect(type.prototype).toBeInstanceOf(Error);
    const summary = { operationId: "op", method: "GET" as const, url: "https://api.test/x" };
    const error =
      type === ApiError
        ? new ApiError({
            ...summary,
            status: 500,
            body: null,
            headers: new Headers(),
            declared: false,
          })
        : new (type as typeof NetworkError)("failed", summary);
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: GET https://api.test/x `));
  });
});

// -------------------------------------------------------------------------------------------------
// Secrets never show. The fixture's schemes and operations, as the generator emits them.

const securitySchemes: Record<string, SecuritySchemeMeta> = {
  apiKeyCookie: { type: "apiKey", in: "cookie", name: "session", apply: applyApiKey },
  apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key", apply: applyApiKey },
  apiKeyQuery: { type: "apiKey", in: "query", name: "api_key", apply: applyApiKey },
  basicAuth: { type: "http", scheme: "basic", apply: applyBasic },
  bearerAuth: { type: "http", scheme: "bearer", apply: applyAuthorization },
};

/** A fixture operation (`getMe`, `getEither`, `getBoth`) that declares a JSON 200, so a bad body can be tried. */
function fixtureOperation(path: string, security: string[][]): OperationMeta {
  return {
    operationId: `get${path.slice(1)}`,
    method: "GET",
    path,
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
    security,
  };
}

type Placement = "bearer" | "basic" | "apiKeyHeader" | "apiKeyQuery" | "apiKeyCookie";

/** Where the secret goes: the client's `auth`, the operation that uses it, and how it looks on the wire. */
function placed(placement: Placement, secret: string) {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`user:${secret}`)));
  const cases = {
    bearer: { auth: { bearerAuth: secret }, op: fixtureOperation("/me", [["bearerAuth"]]) },
    basic: {
      auth: { basicAuth: { username: "user", password: secret } },
      op: fixtureOperation("/either", [["apiKeyHeader"], ["basicAuth"]]),
    },
    apiKeyHeader: {
      auth: { apiKeyHeader: secret },
      op: fixtureOperation("/either", [["apiKeyHeader"], ["basicAuth"]]),
    },
    apiKeyQuery: {
      auth: { apiKeyQuery: secret, apiKeyCookie: "cookie-value" },
      op: fixtureOperation("/both", [["apiKeyCookie", "apiKeyQuery"]]),
    },
    apiKeyCookie: {
      auth: { apiKeyQuery: "query-value", apiKeyCookie: secret },
      op: fixtureOperation("/both", [["apiKeyCookie", "apiKeyQuery"]]),
    },
  } as const;
  return { ...cases[placement], forms: [secret, percentEncode(secret), basic] };
}

type Failure = "api" | "parse" | "network" | "timeout" | "abort" | "badUrl";

const responses: Record<Failure, CannedResponse> = {
  api: jsonResponse(401, { error: "denied" }),
  parse: { status: 200, headers: { "content-type": "application/json" }, body: "{not json" },
  network: { status: 200, fault: "reset" },
  timeout: { status: 200, hang: true },
  abort: { status: 200 },
  badUrl: { status: 200 },
};

/** Makes the call fail as `failure` says and returns what it rejected with. */
async function failWith(failure: Failure, placement: Placement, secret: string): Promise<unknown> {
  const { auth, op } = placed(placement, secret);
  server.respondWith(responses[failure]);
  // The timeout fires only once the server holds the request, so the credential is seen on the wire.
  const clock = fakeTimers({ hold: [30_000] });
  const config: ClientOptions = { auth, retry: false, timeoutMs: 30_000, timers: clock.timers };
  const client: Client = createRuntimeClient({
    ...config,
    baseUrl: failure === "badUrl" ? "http://[not-a-host" : baseUrl,
    securitySchemes,
  });
  const options: CallOptions =
    failure === "abort" ? { signal: AbortSignal.abort(new Error("stop")) } : {};
  const call = rejectionOf(send(op, { query: { q: "1" } }, options, client));
  if (failure === "timeout") {
    await server.waitForRequests(1);
    clock.expire();
  }
  return call;
}

/** Everything a program might print or ship about an error. */
function renderings(error: unknown): string[] {
  return [
    (error as Error).message,
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: false }),
  ];
}

/** Printable ASCII, no surrounding spaces (Headers trim those), long enough not to occur by chance. */
const secrets = fc
  .string({ minLength: 10, maxLength: 40 })
  .filter((s) => s.trim() === s && /[A-Za-z0-9]{3}/.test(s));

const placements = fc.constantFrom<Placement>(
  "bearer",
  "basic",
  "apiKeyHeader",
  "apiKeyQuery",
  "apiKeyCookie",
);
const failures = fc.constantFrom<Failure>("api", "parse", "network", "timeout", "abort", "badUrl");

describe("no error shows a credential", () => {
  it("property: message, toString, JSON and inspect of every failure omit a random secret", async () => {
    await fc.assert(
      fc.asyncProperty(secrets, placements, failures, async (secret, placement, failure) => {
        server.reset();
        const error = await failWith(failure, placement, secret);
        expect(error).toBeInstanceOf(failure === "badUrl" ? TypeError : SpecfetchError);
        const { forms } = placed(placement, secret);
        for (const text of renderings(error))
          for (const form of forms) expect(text).not.toContain(form);
        if (["api", "parse", "network", "timeout"].includes(failure)) {
          // Not vacuous: the credential really was sent, in the form the scheme asks for.
          const [request] = server.requests;
          const wire = [request!.url, ...Object.values(request!.headers)].join("\n");
          expect(forms.some((form) => wire.includes(form))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("an apiKey in the query shows as [REDACTED] in url and message; other parameters stay", async () => {
    const error = await failWith("api", "apiKeyQuery", "k3y-Value/+=");
    expect(error).toMatchObject({ url: `${baseUrl}/both?q=1&api_key=[REDACTED]` });
    expect((error as ApiError).message).toContain("/both?q=1&api_key=[REDACTED] responded 401");
    expect(server.requests[0]!.url).toBe("/api/v0/both?q=1&api_key=k3y-Value%2F%2B%3D");
  });

  it("a fetch whose error (and its cause) quotes the credentials: the NetworkError shows them scrubbed", async () => {
    const token = "tok-Very-Secret";
    const leakyFetch = (request: Request): Promise<Response> => {
      const cause = new Error(`header was ${request.headers.get("authorization")}`);
      throw new TypeError(`error sending request for url (${request.url})`, { cause });
    };
    const client = createRuntimeClient({
      baseUrl,
      auth: { bearerAuth: token },
      fetch: leakyFetch as typeof fetch,
      retry: false,
      securitySchemes,
    });
    const operation = fixtureOperation("/me", [["bearerAuth"]]);
    const error = await rejectionOf(send(operation, undefined, {}, client));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toBe(
      `GET ${baseUrl}/me failed: error sending request for url (${baseUrl}/me): ` +
        "header was Bearer [REDACTED] (getme)",
    );
  });

  it("a URL the platform refuses: its own message names the URL, the TypeError we throw does not", async () => {
    const secret = "very-secret-key";
    expect(() => new Request(`http://[not-a-host/both?api_key=${secret}`)).toThrow(secret);
    const error = await failWith("badUrl", "apiKeyQuery", secret);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("api_key=[REDACTED]");
    expect((error as TypeError).message).not.toContain(secret);
  });
});

/**
 * A response the spec does not describe: the client says so instead of handing out a type that would lie
 * (README "Errors": `isApiErrorOf` narrows only to a body the status declares).
 */
describe("responses that are not as the spec declares them", () => {
  const session = { path: { sessionId: "s1" } };
  const caught = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable("resolved"),
      (error: unknown) => error,
    );

  it("a 401 labelled JSON whose body is not: ApiError with the text, not declared", async () => {
    server.respondWith({
      status: 401,
      headers: { "content-type": "application/json" },
      body: "Unauthorized",
    });
    const error = await caught(revokeSessionById(session, { client: dashboard() }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, body: "Unauthorized", declared: false });
    expect(isApiErrorOf(error, "revokeSessionById")).toBe(false);
  });

  it("a 500 as an HTML page where the spec declares JSON: not declared", async () => {
    server.respondWith({
      status: 500,
      headers: { "content-type": "text/html" },
      body: "<h1>oops</h1>",
    });
    const error = await caught(revokeSessionById(session, { client: dashboard() }));
    expect(error).toMatchObject({ status: 500, body: "<h1>oops</h1>", declared: false });
  });

  it("a 403 as the spec declares it (JSON, with a charset): declared", async () => {
    server.respondWith(
      jsonResponse(403, { error: "no" }, { "content-type": "application/json; charset=utf-8" }),
    );
    const error = await caught(revokeSessionById(session, { client: dashboard() }));
    expect(error).toMatchObject({ status: 403, body: { error: "no" }, declared: true });
    expect(isApiErrorOf(error, "revokeSessionById")).toBe(true);
  });

  it("a 404 with a body where the spec declares none: not declared; without one: declared", async () => {
    const args = { path: { inviteId: "i1" }, body: { status: "accepted" as const } };
    server.respondWith(jsonResponse(404, { error: "nf" }));
    const withBody = await caught(updateInvite(args, { client: dashboard() }));
    expect(withBody).toMatchObject({ status: 404, body: { error: "nf" }, declared: false });
    server.respondWith({ status: 404 });
    const without = await caught(updateInvite(args, { client: dashboard() }));
    expect(without).toMatchObject({ status: 404, body: undefined, declared: true });
  });

  it("a 200 labelled JSON with an empty body where the spec declares JSON: ResponseParseError", async () => {
    server.respondWith({ status: 200, headers: { "content-type": "application/json" }, body: "" });
    const error = await caught(revokeSessionById(session, { client: dashboard() }));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toMatchObject({ status: 200, text: "" });
    expect(String(error)).toContain("responded 200 with invalid JSON");
  });
});
