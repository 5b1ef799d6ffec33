/**
 * Runtime tests of the generated Dashboard API client against a real local HTTP server.
 *
 * Every expected wire value below comes from the OpenAPI specification (3.1.1 / 3.2.0, §"Style Examples"
 * and the Parameter Object's `allowReserved` text), RFC 3986 or the operation table in
 * `generated/operations.ts` — never from running the runtime.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  createClient,
  defaultClient,
  delegateOwnership,
  encodeForm,
  getAccountBalances,
  getEmailProvider,
  getEnvironmentSettings,
  isApiErrorOf,
  oauthRedirectApple,
  operations,
  pathParameter,
  percentEncode,
  revokeSessionById,
  send,
  serializePath,
  serializeQuery,
  servers,
  type Client,
  type GetAccountBalancesArgs,
  type OperationMeta,
  type ParameterMeta,
  type ParameterStyle,
  type RequestTarget,
  type ApiClientOptions,
} from "../generated/index.js";
import {
  jsonResponse,
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
} from "./helpers/http-server.js";

const TOKEN = "test-token-123";

let server: RecordingServer;
/** The client's base URL: the local server plus the spec's base path, which must be kept. */
let baseUrl: string;

beforeAll(async () => {
  server = await startRecordingServer();
  baseUrl = `${server.origin}/api/v0`;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

/** A client for the local server with a bearer token, plus any overrides. */
function localClient(options: ApiClientOptions = {}): Client {
  return createClient({ baseUrl, auth: { bearerAuth: TOKEN }, ...options });
}

/** The one request the server received (fails if there were none or several). */
function onlyRequest(): RecordedRequest {
  expect(server.requests).toHaveLength(1);
  return server.requests[0]!;
}

/** The query string of a recorded request, exactly as received ("" when there is none). */
function rawQuery(request: RecordedRequest): string {
  const index = request.url.indexOf("?");
  return index === -1 ? "" : request.url.slice(index + 1);
}

/** What a call rejected with (fails if it resolved). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject");
}

// -------------------------------------------------------------------------------------------------
// revokeSessionById: PUT /sessions/{sessionId}/revoke, declares 200/401/403/500, security bearerAuth

describe("revokeSessionById request (PUT /sessions/{sessionId}/revoke)", () => {
  it("sends PUT to the base path with the sessionId percent-encoded", async () => {
    await revokeSessionById({ path: { sessionId: "a/b?c" } }, { client: localClient() });
    const request = onlyRequest();
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("/api/v0/sessions/a%2Fb%3Fc/revoke");
  });

  it("sends Authorization: Bearer <token> from a string credential", async () => {
    await revokeSessionById({ path: { sessionId: "s1" } }, { client: localClient() });
    expect(onlyRequest().headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("calls a synchronous token function for every request", async () => {
    let issued = 0;
    const token = vi.fn(() => `sync-${++issued}`);
    const client = localClient({ auth: { bearerAuth: token } });
    await revokeSessionById({ path: { sessionId: "s1" } }, { client });
    await revokeSessionById({ path: { sessionId: "s2" } }, { client });
    expect(token).toHaveBeenCalledTimes(2);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer sync-1",
      "Bearer sync-2",
    ]);
  });

  it("awaits an asynchronous token function for every request", async () => {
    let issued = 0;
    const token = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `async-${++issued}`;
    });
    const client = localClient({ auth: { bearerAuth: token } });
    await revokeSessionById({ path: { sessionId: "s1" } }, { client });
    await revokeSessionById({ path: { sessionId: "s2" } }, { client });
    expect(token).toHaveBeenCalledTimes(2);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer async-1",
      "Bearer async-2",
    ]);
  });

  it("sends no body and no content-type (the operation has no requestBody)", async () => {
    await revokeSessionById({ path: { sessionId: "s1" } }, { client: localClient() });
    const request = onlyRequest();
    expect(request.body).toBe("");
    expect(request.headers["content-type"]).toBeUndefined();
  });
});

describe("revokeSessionById responses", () => {
  const session = {
    id: "0b5c3f4e-1d2a-4e5f-8a9b-0c1d2e3f4a5b",
    createdAt: "2024-05-01T12:00:00.000Z",
    ipAddress: "203.0.113.7",
    userAgent: null,
    revokedAt: "2024-05-02T08:30:00.000Z",
  };

  it("resolves a 200 application/json Session to the parsed object", async () => {
    server.respondWith(jsonResponse(200, session));
    const result = await revokeSessionById(
      { path: { sessionId: "s1" } },
      { client: localClient() },
    );
    expect(result).toEqual(session);
  });

  it.each([401, 403, 500])(
    "throws a declared ApiError for %i with the parsed body, headers and operationId",
    async (status) => {
      server.respondWith(
        jsonResponse(status, { error: `failed with ${status}` }, { "x-request-id": "req-42" }),
      );
      const error = await rejectionOf(
        revokeSessionById({ path: { sessionId: "s1" } }, { client: localClient() }),
      );
      expect(error).toBeInstanceOf(ApiError);
      const apiError = error as ApiError;
      expect(apiError.status).toBe(status);
      expect(apiError.body).toEqual({ error: `failed with ${status}` });
      expect(apiError.headers).toBeInstanceOf(Headers);
      expect(apiError.headers.get("x-request-id")).toBe("req-42");
      expect(apiError.operationId).toBe("revokeSessionById");
      expect(apiError.declared).toBe(true);
      expect(apiError.method).toBe("PUT");
      expect(isApiErrorOf(error, "revokeSessionById")).toBe(true);
    },
  );

  it("isApiErrorOf narrows a 403 so a switch on status reaches the typed body", async () => {
    server.respondWith(jsonResponse(403, { error: "Access Forbidden" }));
    const error = await rejectionOf(
      revokeSessionById({ path: { sessionId: "s1" } }, { client: localClient() }),
    );
    if (!isApiErrorOf(error, "revokeSessionById")) throw new Error("expected a declared ApiError");
    // Type-level checks too: these lines only compile if the narrowing works.
    const status: 401 | 403 | 500 = error.status;
    let message: string | undefined;
    switch (error.status) {
      case 401:
      case 403:
      case 500:
        message = error.body.error;
        break;
    }
    expect(status).toBe(403);
    expect(message).toBe("Access Forbidden");
  });

  it("throws an undeclared ApiError for 404 (declared false, isApiErrorOf false)", async () => {
    server.respondWith(jsonResponse(404, { error: "no such session" }));
    const error = await rejectionOf(
      revokeSessionById({ path: { sessionId: "s1" } }, { client: localClient() }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      declared: false,
      operationId: "revokeSessionById",
      body: { error: "no such session" },
    });
    expect(isApiErrorOf(error, "revokeSessionById")).toBe(false);
  });

  it("resolves a 204 (no content) to undefined", async () => {
    server.respondWith({ status: 204 });
    const result = await revokeSessionById(
      { path: { sessionId: "s1" } },
      { client: localClient() },
    );
    expect(result).toBeUndefined();
  });

  it("resolves a 204 to undefined whatever Content-Type it names (no body, not an empty text or Blob)", async () => {
    for (const type of ["text/plain", "image/png"]) {
      server.respondWith({ status: 204, headers: { "content-type": type } });
      const args = { path: { sessionId: "s1" } };
      expect(await revokeSessionById(args, { client: localClient() })).toBeUndefined();
    }
  });

  it.each([
    ["application/json", undefined],
    [undefined, undefined],
    ["text/plain", ""],
  ])("resolves an empty 200 body of type %s to %j", async (type, expected) => {
    server.respondWith({ status: 200, body: "", headers: type ? { "content-type": type } : {} });
    const operation: OperationMeta = {
      operationId: "getEmpty",
      method: "GET",
      path: "/empty",
      parameters: [],
      requestBody: null,
      responses: {},
      security: [],
    };
    expect(await send(operation, undefined, undefined, localClient())).toBe(expected);
  });

  it("resolves a HEAD response to undefined, though it names a type and a length", async () => {
    server.respondWith({
      status: 200,
      headers: { "content-type": "image/png", "content-length": "1234" },
    });
    const operation: OperationMeta = {
      operationId: "headImage",
      method: "HEAD",
      path: "/image",
      parameters: [],
      requestBody: null,
      responses: { "200": ["image/png"] },
      security: [],
    };
    expect(await send(operation, undefined, undefined, localClient())).toBeUndefined();
    expect(onlyRequest().method).toBe("HEAD");
  });
});

// -------------------------------------------------------------------------------------------------
// Clients

describe("createClient / defaultClient", () => {
  it("defaultClient's baseUrl is the spec's first server", () => {
    expect(servers[0]).toBe("https://app.dynamicauth.com/api/v0");
    expect(defaultClient.config.baseUrl).toBe(servers[0]);
  });

  it("revokeSessionById keeps the base path when baseUrl ends with a slash", async () => {
    const client = createClient({ baseUrl: `${baseUrl}/` });
    await revokeSessionById({ path: { sessionId: "s1" } }, { client });
    expect(onlyRequest().url).toBe("/api/v0/sessions/s1/revoke");
  });
});

// -------------------------------------------------------------------------------------------------
// Request bodies

describe("delegateOwnership JSON body (PUT /members/{memberId}/delegateOwnership)", () => {
  it("sends content-type application/json and the exact JSON text", async () => {
    server.respondWith({ status: 204 });
    await delegateOwnership(
      {
        path: { memberId: "m-1" },
        body: { adminMemberIdToDelegate: "7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" },
      },
      { client: localClient() },
    );
    const request = onlyRequest();
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("/api/v0/members/m-1/delegateOwnership");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toBe('{"adminMemberIdToDelegate":"7f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"}');
  });

  it("resolves its declared 204 to undefined", async () => {
    server.respondWith({ status: 204 });
    const result = await delegateOwnership(
      { path: { memberId: "m-1" }, body: { adminMemberIdToDelegate: "x" } },
      { client: localClient() },
    );
    expect(result).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------------------
// Query parameters (all form/explode=true in the table)

describe("getAccountBalances query (GET /sdk/{environmentId}/chains/{chainName}/balances)", () => {
  const path = { environmentId: "env-1", chainName: "EVM" } as const;

  it("serializes scalars as form explode=true in parameter order", async () => {
    await getAccountBalances(
      {
        path,
        query: {
          networkId: 1,
          accountAddress: "0xabc",
          includePrices: true,
          includeNative: false,
          filterSpamTokens: true,
          forceRefresh: false,
        },
      },
      { client: localClient() },
    );
    const request = onlyRequest();
    expect(request.method).toBe("GET");
    expect(request.url).toBe(
      "/api/v0/sdk/env-1/chains/EVM/balances?networkId=1&accountAddress=0xabc" +
        "&includePrices=true&includeNative=false&filterSpamTokens=true&forceRefresh=false",
    );
  });

  it("repeats the whitelistedContracts array as name=a&name=b", async () => {
    await getAccountBalances(
      { path, query: { accountAddress: "0xabc", whitelistedContracts: ["0xA1", "0xB2"] } },
      { client: localClient() },
    );
    expect(rawQuery(onlyRequest())).toBe(
      "accountAddress=0xabc&whitelistedContracts=0xA1&whitelistedContracts=0xB2",
    );
  });

  it("omits query parameters whose value is undefined", async () => {
    // exactOptionalPropertyTypes forbids explicit `undefined`, but values built at run time carry them.
    const query = {
      networkId: undefined,
      accountAddress: "0xabc",
      includePrices: undefined,
      whitelistedContracts: undefined,
    } as unknown as GetAccountBalancesArgs["query"];
    await getAccountBalances({ path, query }, { client: localClient() });
    expect(rawQuery(onlyRequest())).toBe("accountAddress=0xabc");
  });

  it("percent-encodes space, '&', '=', '/' and non-ASCII in a value (RFC 3986, UTF-8)", async () => {
    const accountAddress = "a b&c=d/é€";
    await getAccountBalances({ path, query: { accountAddress } }, { client: localClient() });
    const request = onlyRequest();
    expect(rawQuery(request)).toBe("accountAddress=a%20b%26c%3Dd%2F%C3%A9%E2%82%AC");
    expect(new URLSearchParams(rawQuery(request)).get("accountAddress")).toBe(accountAddress);
  });
});

describe("getEmailProvider allowReserved query (GET /sdk/{environmentId}/emailProvider)", () => {
  it("sends the reserved '@' as is", async () => {
    await getEmailProvider(
      { path: { environmentId: "env-1" }, query: { email: "user@example.com" } },
      { client: localClient() },
    );
    expect(rawQuery(onlyRequest())).toBe("email=user@example.com");
  });

  it("still percent-encodes '+' so the server reads the same email back", async () => {
    // OAS 3.1.1/3.2 allowReserved: "Applications are still responsible for percent-encoding reserved
    // characters that ... have a special meaning in application/x-www-form-urlencoded (-, &, +)".
    const email = "first+tag@example.com";
    await getEmailProvider(
      { path: { environmentId: "env-1" }, query: { email } },
      { client: localClient() },
    );
    const request = onlyRequest();
    expect(rawQuery(request)).toBe("email=first%2Btag@example.com");
    expect(new URLSearchParams(rawQuery(request)).get("email")).toBe(email);
  });
});

// -------------------------------------------------------------------------------------------------
// Security

describe("getEnvironmentSettings with security: [] (GET /sdk/{environmentId}/settings)", () => {
  it("the table really declares no security for it", () => {
    expect(operations.getEnvironmentSettings.security).toEqual([]);
  });

  it("sends no Authorization header even when the client has a bearer token", async () => {
    const token = vi.fn(() => TOKEN);
    await getEnvironmentSettings(
      { path: { environmentId: "env-1" } },
      { client: localClient({ auth: { bearerAuth: token } }) },
    );
    expect(onlyRequest().headers.authorization).toBeUndefined();
    expect(token).not.toHaveBeenCalled();
  });
});

// -------------------------------------------------------------------------------------------------
// Path parameter guards

describe("revokeSessionById path parameter guards", () => {
  it.each([".", "..", ""])(
    "rejects sessionId %j with a TypeError before sending anything",
    async (sessionId) => {
      const error = await rejectionOf(
        revokeSessionById({ path: { sessionId } }, { client: localClient() }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(server.requests).toHaveLength(0);
    },
  );

  it("rejects a missing sessionId with a TypeError before sending anything", async () => {
    const args = { path: {} } as unknown as Parameters<typeof revokeSessionById>[0];
    const error = await rejectionOf(revokeSessionById(args, { client: localClient() }));
    expect(error).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});

// -------------------------------------------------------------------------------------------------
// Headers and cancellation

describe("revokeSessionById headers and abort", () => {
  it("sends the client-level headers", async () => {
    const client = localClient({ headers: { "x-client": "client-value" } });
    await revokeSessionById({ path: { sessionId: "s1" } }, { client });
    expect(onlyRequest().headers["x-client"]).toBe("client-value");
  });

  it("sends per-call headers, which override client-level ones of the same name", async () => {
    const client = localClient({ headers: { "x-client": "client-value", "x-shared": "client" } });
    await revokeSessionById(
      { path: { sessionId: "s1" } },
      {
        client,
        headers: [
          ["X-Call", "call-value"],
          ["X-Shared", "call"],
        ],
      },
    );
    const { headers } = onlyRequest();
    expect(headers["x-client"]).toBe("client-value");
    expect(headers["x-call"]).toBe("call-value");
    expect(headers["x-shared"]).toBe("call");
  });

  it("a signal aborts a request the server holds open (AbortError)", async () => {
    server.respondWith({ status: 200, hang: true });
    const controller = new AbortController();
    const call = revokeSessionById(
      { path: { sessionId: "s1" } },
      { client: localClient(), signal: controller.signal },
    );
    await server.waitForRequests(1);
    controller.abort();
    const error = await rejectionOf(call);
    expect(error).toMatchObject({ name: "AbortError" });
  });
});

// -------------------------------------------------------------------------------------------------
// Serializers, against OpenAPI 3.1.1 / 3.2.0 "Style Examples" (parameter `color`):
//   string -> "blue", array -> ["blue","black","brown"], object -> { "R": 100, "G": 200, "B": 150 }
// The `?` prefix the table shows for query styles is left out (serializeQuery returns the pieces).

const colorValues = {
  empty: "",
  string: "blue",
  array: ["blue", "black", "brown"],
  object: { R: 100, G: 200, B: 150 },
} as const;
type Column = keyof typeof colorValues;

interface StyleExample {
  style: ParameterStyle;
  explode: boolean;
  column: Column;
  expected: string;
}

/**
 * A path parameter `color` serialized as a call does (template `/{color}`, leading `/` dropped): label, matrix
 * and the array and object values by their piece, `pathParameter` (as the generator's metadata names it for
 * those styles and for a schema that admits arrays or objects), then `serializePath`; a scalar in style simple
 * without a piece, as the generator leaves it when the schema proves it a scalar.
 */
function pathSerialization({ style, explode, column }: StyleExample): string {
  const structured = column === "array" || column === "object";
  const piece = style !== "simple" || structured ? { serialize: pathParameter } : {};
  const meta: ParameterMeta = {
    name: "color",
    in: "path",
    required: true,
    style,
    explode,
    ...piece,
  };
  const operation: OperationMeta = {
    operationId: "styleExample",
    method: "GET",
    path: "/{color}",
    parameters: [meta],
    requestBody: null,
    responses: {},
    security: [],
  };
  const values = { color: colorValues[column] };
  const target: RequestTarget = { headers: new Headers(), query: [], secrets: [], path: values };
  meta.serialize?.(meta, values.color, target);
  return serializePath(operation, target.path, target.segments).slice(1);
}

/** A query parameter `color` serialized by `serializeQuery`, pieces joined with `&`. */
function querySerialization({ style, explode, column }: StyleExample): string {
  const parameters = [{ name: "color", in: "query", required: false, style, explode }] as const;
  return serializeQuery(parameters, { color: colorValues[column] }).join("&");
}

describe("serializePath vs the OAS Style Examples table (path styles)", () => {
  const rows: StyleExample[] = [
    { style: "matrix", explode: false, column: "string", expected: ";color=blue" },
    { style: "matrix", explode: false, column: "array", expected: ";color=blue,black,brown" },
    { style: "matrix", explode: false, column: "object", expected: ";color=R,100,G,200,B,150" },
    { style: "matrix", explode: true, column: "string", expected: ";color=blue" },
    {
      style: "matrix",
      explode: true,
      column: "array",
      expected: ";color=blue;color=black;color=brown",
    },
    { style: "matrix", explode: true, column: "object", expected: ";R=100;G=200;B=150" },
    { style: "label", explode: false, column: "string", expected: ".blue" },
    { style: "label", explode: false, column: "array", expected: ".blue,black,brown" },
    { style: "label", explode: false, column: "object", expected: ".R,100,G,200,B,150" },
    { style: "label", explode: true, column: "string", expected: ".blue" },
    { style: "label", explode: true, column: "array", expected: ".blue.black.brown" },
    { style: "label", explode: true, column: "object", expected: ".R=100.G=200.B=150" },
    { style: "simple", explode: false, column: "string", expected: "blue" },
    { style: "simple", explode: false, column: "array", expected: "blue,black,brown" },
    { style: "simple", explode: false, column: "object", expected: "R,100,G,200,B,150" },
    { style: "simple", explode: true, column: "string", expected: "blue" },
    { style: "simple", explode: true, column: "array", expected: "blue,black,brown" },
    { style: "simple", explode: true, column: "object", expected: "R=100,G=200,B=150" },
    // 3.1.1 "empty" column (the empty string; RFC 6570 §3.2.7 also gives `;name` for an empty value).
    { style: "matrix", explode: false, column: "empty", expected: ";color" },
    { style: "matrix", explode: true, column: "empty", expected: ";color" },
  ];
  it.each(rows)("$style explode=$explode, $column value → $expected", (row) => {
    expect(pathSerialization(row)).toBe(row.expected);
  });
});

describe("pathParameter in style simple (a schema that admits arrays or objects, given a scalar)", () => {
  it("writes the scalar as the template alone would, percent-encoded", () => {
    const meta: ParameterMeta = {
      name: "c",
      in: "path",
      required: true,
      style: "simple",
      explode: false,
    };
    const target: RequestTarget = { headers: new Headers(), query: [], secrets: [], path: {} };
    pathParameter(meta, "a/b c", target);
    expect(target.segments).toEqual({ c: "a%2Fb%20c" });
  });
});

describe("serializeQuery vs the OAS Style Examples table (query styles)", () => {
  const rows: StyleExample[] = [
    { style: "form", explode: false, column: "empty", expected: "color=" },
    { style: "form", explode: false, column: "string", expected: "color=blue" },
    { style: "form", explode: false, column: "array", expected: "color=blue,black,brown" },
    { style: "form", explode: false, column: "object", expected: "color=R,100,G,200,B,150" },
    { style: "form", explode: true, column: "empty", expected: "color=" },
    { style: "form", explode: true, column: "string", expected: "color=blue" },
    {
      style: "form",
      explode: true,
      column: "array",
      expected: "color=blue&color=black&color=brown",
    },
    { style: "form", explode: true, column: "object", expected: "R=100&G=200&B=150" },
    {
      style: "spaceDelimited",
      explode: false,
      column: "array",
      expected: "color=blue%20black%20brown",
    },
    {
      style: "spaceDelimited",
      explode: false,
      column: "object",
      expected: "color=R%20100%20G%20200%20B%20150",
    },
    {
      style: "pipeDelimited",
      explode: false,
      column: "array",
      expected: "color=blue%7Cblack%7Cbrown",
    },
    {
      style: "pipeDelimited",
      explode: false,
      column: "object",
      expected: "color=R%7C100%7CG%7C200%7CB%7C150",
    },
    {
      style: "deepObject",
      explode: true,
      column: "object",
      expected: "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
    },
  ];
  it.each(rows)("$style explode=$explode, $column value → $expected", (row) => {
    expect(querySerialization(row)).toBe(row.expected);
  });
});

describe("percentEncode (RFC 3986 §2)", () => {
  it("keeps the unreserved characters ALPHA / DIGIT / - . _ ~", () => {
    const unreserved = "ABCXYZabcxyz0189-._~";
    expect(percentEncode(unreserved)).toBe(unreserved);
  });

  it("encodes every reserved character, including !'()* that encodeURIComponent keeps", () => {
    expect(percentEncode(":/?#[]@")).toBe("%3A%2F%3F%23%5B%5D%40");
    expect(percentEncode("!$&'()*+,;=")).toBe("%21%24%26%27%28%29%2A%2B%2C%3B%3D");
  });

  it("encodes space, '%' and non-ASCII as UTF-8 octets with upper-case hex", () => {
    expect(percentEncode("a b%c")).toBe("a%20b%25c");
    expect(percentEncode("é€😀")).toBe("%C3%A9%E2%82%AC%F0%9F%98%80");
  });
});

describe("form bodies", () => {
  it("a client-wide Content-Type the operation does not take does not pick the body's encoding", async () => {
    server.respondWith({
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<p>ok</p>",
    });
    const client = localClient({ headers: { "Content-Type": "application/json" } });
    await oauthRedirectApple(
      { path: { environmentId: "e1" }, body: { code: "abcde", state: "s" } },
      { client },
    );
    const request = onlyRequest();
    // The operation lists application/x-www-form-urlencoded only (spec/dashboard-api.yaml).
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.body).toBe("code=abcde&state=s");
  });

  it("an object property of a URL-encoded body without an Encoding Object: its JSON text (OpenAPI 3.1 §4.8.15)", async () => {
    const operation: OperationMeta = {
      operationId: "postForm",
      method: "POST",
      path: "/form",
      parameters: [],
      requestBody: {
        required: true,
        contentTypes: ["application/x-www-form-urlencoded"],
        encode: encodeForm,
      },
      responses: { "204": [] },
      security: [],
    };
    server.respondWith({ status: 204 });
    await send(operation, { body: { a: 1, nested: { x: 1 } } }, undefined, localClient());
    // Encoding Object `contentType` defaults to application/json for an object; `{"x":1}` form-urlencoded.
    expect(onlyRequest().body).toBe("a=1&nested=%7B%22x%22%3A1%7D");
  });
});
