/**
 * Middleware (`onRequest`, `onResponse`, `onError`), `withResponse`, and header validation of the generated
 * Dashboard API client, against a real local HTTP server. Header rules: RFC 9110 §5.6.2 (a field name is a
 * `token`) and §5.5 (no CR, LF or NUL in a field value).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ApiError,
  createClient,
  delegateOwnership,
  getEnvironmentSettings,
  NetworkError,
  refreshAuth,
  revokeSessionById,
  withResponse,
  type Client,
  type Middleware,
  type ApiClientOptions,
} from "../generated/index.js";
import {
  fakeTimers,
  jsonResponse,
  startRecordingServer,
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

function localClient(options: ApiClientOptions = {}): Client {
  return createClient({ baseUrl, auth: { bearerAuth: "token" }, ...options });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

const session = { id: "s1", revokedAt: "2024-05-02T08:30:00.000Z" };
const revoke = (client: Client) => revokeSessionById({ path: { sessionId: "s1" } }, { client });

// -------------------------------------------------------------------------------------------------
// Middleware

describe("onRequest", () => {
  it("can add a header to the request in place", async () => {
    const middleware: Middleware[] = [
      { onRequest: ({ request }) => request.headers.set("X-Request-Id", "req-1") },
    ];
    await revoke(localClient({ middleware }));
    expect(server.requests[0]!.headers["x-request-id"]).toBe("req-1");
  });

  it("can return a new Request that is sent instead", async () => {
    const middleware: Middleware[] = [
      {
        onRequest: ({ request }) =>
          new Request(request.url.replace("/s1/", "/s2/"), {
            method: request.method,
            headers: { Authorization: "Bearer replaced" },
          }),
      },
    ];
    await revoke(localClient({ middleware }));
    expect(server.requests[0]).toMatchObject({
      method: "PUT",
      url: "/api/v0/sessions/s2/revoke",
      headers: { authorization: "Bearer replaced" },
    });
  });

  it("is awaited, and sees the operation and the attempt number", async () => {
    const seen: string[] = [];
    const middleware: Middleware[] = [
      {
        async onRequest({ request, operation, attempt }) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          seen.push(`${operation.operationId}#${attempt}`);
          request.headers.set("X-Attempt", String(attempt));
        },
      },
    ];
    server.respondWithSequence(jsonResponse(503, {}));
    await revoke(localClient({ middleware, timers: fakeTimers().timers }));
    expect(seen).toEqual(["revokeSessionById#1", "revokeSessionById#2"]);
    expect(server.requests.map((r) => r.headers["x-attempt"])).toEqual(["1", "2"]);
  });

  it("a hook that throws rejects the call with its own error, unretried", async () => {
    const failure = new Error("no token available");
    const middleware: Middleware[] = [
      {
        onRequest: () => {
          throw failure;
        },
      },
    ];
    expect(await rejectionOf(revoke(localClient({ middleware })))).toBe(failure);
    expect(server.requests).toHaveLength(0);
  });
});

describe("onRequest and retries", () => {
  it("an Idempotency-Key added by onRequest makes a POST retryable", async () => {
    const middleware: Middleware[] = [
      { onRequest: ({ request }) => request.headers.set("Idempotency-Key", "k-1") },
    ];
    server.respondWith(jsonResponse(503, {}));
    const client = localClient({ middleware, timers: fakeTimers().timers });
    await rejectionOf(refreshAuth({ path: { environmentId: "e" } }, { client }));
    expect(server.requests.map((r) => [r.method, r.headers["idempotency-key"]])).toEqual([
      ["POST", "k-1"],
      ["POST", "k-1"],
      ["POST", "k-1"],
    ]);
  });
});

describe("hooks run in order", () => {
  it("every middleware's onRequest, in the order given, then every onResponse", async () => {
    const order: string[] = [];
    const named = (name: string): Middleware => ({
      onRequest: () => void order.push(`${name}.onRequest`),
      onResponse: () => void order.push(`${name}.onResponse`),
    });
    await revoke(localClient({ middleware: [named("a"), named("b")] }));
    expect(order).toEqual(["a.onRequest", "b.onRequest", "a.onResponse", "b.onResponse"]);
  });

  it("each onRequest gets the request the previous one returned", async () => {
    const middleware: Middleware[] = [
      { onRequest: ({ request }) => new Request(request, { headers: { "X-Step": "1" } }) },
      {
        onRequest: ({ request }) =>
          new Request(request, { headers: { "X-Step": `${request.headers.get("X-Step")}2` } }),
      },
    ];
    await revoke(localClient({ middleware }));
    expect(server.requests[0]!.headers["x-step"]).toBe("12");
  });
});

describe("onResponse", () => {
  it("sees every attempt's response, retried ones included", async () => {
    const statuses: [number, number][] = [];
    const middleware: Middleware[] = [
      { onResponse: ({ response, attempt }) => void statuses.push([attempt, response.status]) },
    ];
    server.respondWithSequence(jsonResponse(503, {}), jsonResponse(502, {}));
    server.respondWith(jsonResponse(200, session));
    await revoke(localClient({ middleware, timers: fakeTimers().timers }));
    expect(statuses).toEqual([
      [1, 503],
      [2, 502],
      [3, 200],
    ]);
  });

  it("can replace the response", async () => {
    const middleware: Middleware[] = [
      { onResponse: () => Response.json({ id: "from-cache" }, { status: 200 }) },
    ];
    server.respondWith(jsonResponse(500, {}));
    await expect(revoke(localClient({ middleware, retry: false }))).resolves.toEqual({
      id: "from-cache",
    });
  });

  /** The README's token refresh: on a 401, refresh once and resend the same request. */
  function refreshingClient(refresh: () => string): Client {
    let token = "expired";
    return createClient({
      baseUrl,
      auth: { bearerAuth: () => token },
      middleware: [
        {
          async onResponse({ request, response }) {
            if (response.status !== 401) return;
            token = refresh();
            const again = new Request(request);
            again.headers.set("Authorization", `Bearer ${token}`);
            return fetch(again);
          },
        },
      ],
    });
  }

  it("refreshing a token on 401: the request is resent once, body included, and succeeds", async () => {
    server.respondWith((request) =>
      request.headers.authorization === "Bearer fresh"
        ? { status: 204 }
        : jsonResponse(401, { error: "expired" }),
    );
    const client = refreshingClient(() => "fresh");
    const args = { path: { memberId: "m-1" }, body: { adminMemberIdToDelegate: "a-2" } };
    await expect(delegateOwnership(args, { client })).resolves.toBeUndefined();
    expect(server.requests.map((r) => [r.headers.authorization, r.body])).toEqual([
      ["Bearer expired", '{"adminMemberIdToDelegate":"a-2"}'],
      ["Bearer fresh", '{"adminMemberIdToDelegate":"a-2"}'],
    ]);
    await delegateOwnership(args, { client }); // the credential function now returns the fresh token
    expect(server.requests[2]!.headers.authorization).toBe("Bearer fresh");
  });

  it("refreshing a token on 401: a second 401 is final (no loop)", async () => {
    server.respondWith(jsonResponse(401, { error: "still expired" }));
    const client = refreshingClient(() => "also-rejected");
    const error = await rejectionOf(revoke(client));
    expect(error).toMatchObject({
      name: "ApiError",
      status: 401,
      body: { error: "still expired" },
    });
    expect(server.requests).toHaveLength(2);
  });
});

describe("onError", () => {
  it("sees each attempt that got no response, with its NetworkError", async () => {
    const failures: [number, unknown][] = [];
    const middleware: Middleware[] = [
      { onError: ({ error, attempt }) => void failures.push([attempt, error]) },
    ];
    server.respondWithSequence({ status: 200, fault: "reset" }, { status: 200, fault: "reset" });
    server.respondWith(jsonResponse(200, session));
    await revoke(localClient({ middleware, timers: fakeTimers().timers }));
    expect(failures.map(([attempt]) => attempt)).toEqual([1, 2]);
    expect(failures.every(([, error]) => error instanceof NetworkError)).toBe(true);
  });

  it("is not called for a response, whatever its status", async () => {
    let calls = 0;
    const middleware: Middleware[] = [{ onError: () => void calls++ }];
    server.respondWith(jsonResponse(404, {}));
    expect(await rejectionOf(revoke(localClient({ middleware })))).toBeInstanceOf(ApiError);
    expect(calls).toBe(0);
  });
});

// -------------------------------------------------------------------------------------------------
// withResponse

describe("withResponse: status, headers and the Response of a successful call", () => {
  it("gives the parsed data and the final Response", async () => {
    server.respondWith(jsonResponse(200, session, { "x-request-id": "abc" }));
    const client = localClient();
    const { data, response } = await withResponse((o) =>
      revokeSessionById({ path: { sessionId: "s1" } }, { ...o, client }),
    );
    expect(data).toEqual(session);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("abc");
  });

  it("takes call options as its second argument", async () => {
    server.respondWith({ status: 204 });
    const { data, response } = await withResponse(
      (o) => revokeSessionById({ path: { sessionId: "s1" } }, o),
      { client: localClient() },
    );
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
  });

  it("after retries, the Response is the last one", async () => {
    server.respondWithSequence(jsonResponse(503, {}));
    server.respondWith(jsonResponse(200, session));
    const client = localClient({ timers: fakeTimers().timers });
    const { response } = await withResponse((o) =>
      revokeSessionById({ path: { sessionId: "s1" } }, { ...o, client }),
    );
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("rejects as the call does", async () => {
    server.respondWith(jsonResponse(403, { error: "forbidden" }));
    const client = localClient();
    const error = await rejectionOf(
      withResponse((o) => revokeSessionById({ path: { sessionId: "s1" } }, { ...o, client })),
    );
    expect(error).toMatchObject({ name: "ApiError", status: 403 });
  });

  it("a call that drops its options is a TypeError, not a silent undefined response", async () => {
    const client = localClient();
    const error = await rejectionOf(
      withResponse(() => revokeSessionById({ path: { sessionId: "s1" } }, { client })),
    );
    expect(error).toBeInstanceOf(TypeError);
  });
});

// -------------------------------------------------------------------------------------------------
// Header validation

describe("header names are RFC 9110 tokens (§5.6.2), checked before anything is sent", () => {
  it.each(["X Bad", "X-Bad:", "", "(x)", "X-Ünïcode", "X-Bad\r\nInjected"])(
    "refuses the name %j",
    async (name) => {
      const error = await rejectionOf(
        getEnvironmentSettings(
          { path: { environmentId: "e" } },
          { client: localClient(), headers: { [name]: "v" } },
        ),
      );
      expect(error).toBeInstanceOf(TypeError);
      // Our own message (the platform's Headers refuses some of these too, in its own words).
      expect((error as TypeError).message).toBe(
        `invalid name or value of header ${JSON.stringify(name)}`,
      );
      expect(server.requests).toHaveLength(0);
    },
  );

  it("accepts every tchar: ! # $ % & ' * + - . ^ _ ` | ~ digits letters", async () => {
    const name = "!#$%&'*+-.^_`|~09azAZ";
    await revoke(localClient({ headers: { [name]: "v" } }));
    expect(server.requests[0]!.headers[name.toLowerCase()]).toBe("v");
  });
});

describe("header values have no CR, LF or NUL (RFC 9110 §5.5), and the refusal does not echo them", () => {
  const secret = "s3cr3t-value";
  // CR, LF and NUL (injection); DEL and other controls, and characters beyond U+00FF, are not field-vchar either.
  it.each([
    `${secret}\r\nX-Injected: 1`,
    `${secret}\nmore`,
    `${secret}\0`,
    `${secret}\x7F`,
    `${secret}€`,
  ])("refuses the client header value %j", async (value) => {
    const error = await rejectionOf(revoke(localClient({ headers: { "X-Custom": value } })));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('invalid name or value of header "X-Custom"');
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a per-call header given as pairs", async () => {
    const error = await rejectionOf(
      revokeSessionById(
        { path: { sessionId: "s1" } },
        { client: localClient(), headers: [["X-Call", "a\rb"]] },
      ),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a bearer token with a line break without showing the token", async () => {
    const client = createClient({ baseUrl, auth: { bearerAuth: `${secret}\r\nX-Evil: 1` } });
    const error = await rejectionOf(revoke(client));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('invalid name or value of header "Authorization"');
    expect(server.requests).toHaveLength(0);
  });
});
