/**
 * Timeouts, retries and cancellation of the generated Dashboard API client, against a real local HTTP server
 * that injects faults (held requests, resets, stalled bodies, 429/503 with Retry-After).
 *
 * Expected values come from the rules and the RFCs: idempotent methods (RFC 9110 §9.2.2), retryable
 * statuses 408/425/429/500/502/503/504, `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3),
 * and the documented backoff: wait n = random · min(maxDelayMs, baseDelayMs · 2^(n−1)), defaults 2 retries,
 * 500 ms base, 8 000 ms cap, 60 000 ms Retry-After cap. Waits are read from an injected clock; every test
 * counts the attempts the server saw.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AbortError,
  ApiError,
  createClient,
  deleteMemberById,
  encodeBody,
  getEnvironmentSettings,
  NetworkError,
  refreshAuth,
  revokeSessionById,
  send,
  SpecfetchError,
  TimeoutError,
  type Client,
  type HttpMethod,
  type OperationMeta,
  type ApiClientOptions,
} from "../generated/index.js";
import {
  fakeTimers,
  jsonResponse,
  startRecordingServer,
  type CannedResponse,
  type FakeTimers,
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

/** A timeout long enough never to fire by itself in these tests: the fake clock decides. */
const TIMEOUT = 30_000;

function localClient(options: ApiClientOptions = {}): Client {
  return createClient({ baseUrl, auth: { bearerAuth: "token" }, ...options });
}

/** A client on a fake clock with `TIMEOUT` held (it fires only on `clock.expire()`). */
function clockedClient(clock: FakeTimers, options: ApiClientOptions = {}): Client {
  return localClient({ timers: clock.timers, ...options });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

/** GET /sdk/{environmentId}/settings (security: []). */
const getSettings = (client: Client, options: { signal?: AbortSignal } = {}) =>
  getEnvironmentSettings({ path: { environmentId: "env-1" } }, { client, ...options });

const status = (code: number, headers: Record<string, string> = {}): CannedResponse =>
  jsonResponse(code, { error: `status ${code}` }, headers);

/** Lets the event loop run (server replies, timers of 0 ms) so a test can see that nothing more happens. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

// -------------------------------------------------------------------------------------------------
// Timeouts

describe("timeoutMs", () => {
  it("a held request fails with TimeoutError after the client's timeoutMs (real timers)", async () => {
    server.respondWith({ status: 200, hang: true });
    // 500 ms, not less: on a loaded machine a shorter limit can expire before the request reaches the server.
    const error = await rejectionOf(getSettings(localClient({ timeoutMs: 500, retry: false })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(SpecfetchError);
    expect(error).not.toBeInstanceOf(AbortError);
    expect(error).toMatchObject({
      name: "TimeoutError",
      timeoutMs: 500,
      operationId: "getEnvironmentSettings",
      method: "GET",
      url: `${baseUrl}/sdk/env-1/settings`,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("is per attempt: two timed-out attempts are retried and the third answers", async () => {
    server.respondWithSequence({ status: 200, hang: true }, { status: 200, hang: true });
    server.respondWith(jsonResponse(200, { ok: true }));
    const clock = fakeTimers({ hold: [TIMEOUT] });
    const call = getSettings(clockedClient(clock, { timeoutMs: TIMEOUT }));
    for (const attempt of [1, 2]) {
      await server.waitForRequests(attempt);
      expect(clock.held()).toBe(1); // this attempt's timeout, and only it, is running
      clock.expire();
    }
    await expect(call).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(clock.waits).toEqual([250, 500]); // random 0.5 · 500 · 2^0, 0.5 · 500 · 2^1
    expect(clock.held()).toBe(0); // the last attempt's timer was cleared when it ended
  });

  it("covers the body: a response whose body stalls times out", async () => {
    server.respondWith({ ...jsonResponse(200, { long: "x".repeat(64) }), fault: "stall-body" });
    const clock = fakeTimers({ hold: [TIMEOUT] });
    const call = getSettings(clockedClient(clock, { timeoutMs: TIMEOUT, retry: false }));
    await server.waitForRequests(1);
    await settle(); // the status and headers have arrived; the body has not ended
    clock.expire();
    expect(await rejectionOf(call)).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("a per-call timeoutMs overrides the client's (real timers)", async () => {
    server.respondWith({ status: 200, hang: true });
    const client = localClient({ timeoutMs: 60_000, retry: false });
    const error = await rejectionOf(
      revokeSessionById({ path: { sessionId: "s1" } }, { client, timeoutMs: 40 }),
    );
    expect(error).toMatchObject({ name: "TimeoutError", timeoutMs: 40 });
  });

  it("a per-call timeoutMs of 0 turns the client's off: no timer is started", async () => {
    const clock = fakeTimers({ hold: [TIMEOUT] });
    const client = clockedClient(clock, { timeoutMs: TIMEOUT });
    await revokeSessionById({ path: { sessionId: "s1" } }, { client, timeoutMs: 0 });
    expect(clock.held()).toBe(0);
    expect(clock.waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

// -------------------------------------------------------------------------------------------------
// The caller's signal

describe("abort by the caller's signal", () => {
  it("is an AbortError carrying the signal's reason, distinct from TimeoutError, and not retried", async () => {
    server.respondWith({ status: 200, hang: true });
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    const clock = fakeTimers({ hold: [TIMEOUT] });
    const client = clockedClient(clock, { timeoutMs: TIMEOUT });
    const call = getSettings(client, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort(reason);
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: "AbortError", operationId: "getEnvironmentSettings" });
    expect((error as AbortError).cause).toBe(reason);
    await settle();
    expect(server.requests).toHaveLength(1); // GET is retryable, but never after the caller aborted
    expect(clock.held()).toBe(0);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await rejectionOf(
      getSettings(localClient(), { signal: AbortSignal.abort(new Error("too late")) }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("aborting while the body streams in (a slow body) is an AbortError", async () => {
    server.respondWith({ ...jsonResponse(200, { long: "x".repeat(64) }), fault: "stall-body" });
    const controller = new AbortController();
    // Without retries, the attempt's own error is what the call rejects with.
    const call = getSettings(localClient({ retry: false }), { signal: controller.signal });
    await server.waitForRequests(1);
    await settle();
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(AbortError);
    await settle();
    expect(server.requests).toHaveLength(1);
  });

  it("aborting during the wait before a retry ends the call at once (real timers)", async () => {
    server.respondWith(status(503));
    const controller = new AbortController();
    // A 10 s backoff (random · 10 000 with a real Math.random can be small: pin it with timers.random).
    const client = localClient({ retry: { baseDelayMs: 10_000 }, timers: { random: () => 1 } });
    const call = getSettings(client, { signal: controller.signal });
    await server.waitForRequests(1);
    await settle(); // the 503 has arrived; the runtime is waiting
    const started = Date.now();
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });
});

// -------------------------------------------------------------------------------------------------
// Retries

describe("retries: on by default, 2 of them, with full-jitter exponential backoff", () => {
  it("GET answered 503, 503, 200 resolves after 3 attempts and waits 250 then 500 ms", async () => {
    server.respondWithSequence(status(503), status(503));
    server.respondWith(jsonResponse(200, { ok: true }));
    const clock = fakeTimers({ random: 0.5 });
    await expect(getSettings(clockedClient(clock))).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(clock.waits).toEqual([250, 500]);
  });

  it("gives up after 2 retries: 3 attempts, then the last ApiError", async () => {
    server.respondWith(status(500));
    const clock = fakeTimers();
    const error = await rejectionOf(getSettings(clockedClient(clock)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, declared: true, body: { error: "status 500" } });
    expect(server.requests).toHaveLength(3);
    expect(clock.waits).toHaveLength(2);
  });

  it("the wait is random in [0, min(cap, base · 2^(n−1))): doubling, then capped", async () => {
    server.respondWith(status(503));
    const clock = fakeTimers({ random: 0.5 });
    const retry = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 500 };
    await rejectionOf(getSettings(clockedClient(clock, { retry })));
    expect(server.requests).toHaveLength(6);
    // 0.5 · min(500, 100, 200, 400, 800, 1600)
    expect(clock.waits).toEqual([50, 100, 200, 250, 250]);
  });

  it("the jitter comes from timers.random: random 0 retries at once", async () => {
    server.respondWithSequence(status(503));
    const clock = fakeTimers({ random: 0 });
    await getSettings(clockedClient(clock));
    expect(clock.waits).toEqual([0]);
    expect(server.requests).toHaveLength(2);
  });

  it.each([408, 425, 429, 500, 502, 503, 504])("retries a %i", async (code) => {
    server.respondWithSequence(status(code));
    await expect(getSettings(clockedClient(fakeTimers()))).resolves.toEqual({});
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422, 501, 505])("does not retry a %i", async (code) => {
    server.respondWith(status(code));
    const error = await rejectionOf(getSettings(clockedClient(fakeTimers())));
    expect(error).toMatchObject({ name: "ApiError", status: code });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a connection reset before any response (NetworkError) and then succeeds", async () => {
    server.respondWithSequence({ status: 200, fault: "reset" }, { status: 200, fault: "reset" });
    server.respondWith(jsonResponse(200, { ok: true }));
    await expect(getSettings(clockedClient(fakeTimers()))).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  it("retries a connection reset in the middle of the body", async () => {
    server.respondWithSequence({
      ...jsonResponse(200, { long: "x".repeat(64) }),
      fault: "reset-mid-body",
    });
    server.respondWith(jsonResponse(200, { ok: true }));
    await expect(getSettings(clockedClient(fakeTimers()))).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("after the retries, a reset is a NetworkError naming the request", async () => {
    server.respondWith({ status: 200, fault: "reset" });
    const error = await rejectionOf(getSettings(clockedClient(fakeTimers())));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      name: "NetworkError",
      operationId: "getEnvironmentSettings",
      method: "GET",
      url: `${baseUrl}/sdk/env-1/settings`,
    });
    expect(server.requests).toHaveLength(3);
  });
});

describe("retries only what is safe to repeat", () => {
  it("PUT and DELETE (idempotent, RFC 9110 §9.2.2) are retried", async () => {
    server.respondWithSequence(status(503), status(503));
    server.respondWith({ status: 204 });
    const client = clockedClient(fakeTimers());
    await revokeSessionById({ path: { sessionId: "s1" } }, { client });
    await deleteMemberById({ path: { memberId: "m1" } }, { client });
    expect(server.requests.map((r) => r.method)).toEqual(["PUT", "PUT", "PUT", "DELETE"]);
  });

  it("a POST answered 500 is not retried", async () => {
    server.respondWith(status(500));
    const error = await rejectionOf(
      refreshAuth({ path: { environmentId: "env-1" } }, { client: clockedClient(fakeTimers()) }),
    );
    expect(error).toMatchObject({ name: "ApiError", status: 500, method: "POST" });
    expect(server.requests).toHaveLength(1);
  });

  it("a POST whose connection resets is not retried either", async () => {
    server.respondWith({ status: 200, fault: "reset" });
    const client = clockedClient(fakeTimers());
    const error = await rejectionOf(refreshAuth({ path: { environmentId: "env-1" } }, { client }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(1);
  });

  it("a POST carrying an Idempotency-Key is retried, with the same key each time", async () => {
    server.respondWith(status(500));
    const client = clockedClient(fakeTimers());
    const headers = { "Idempotency-Key": "key-1" };
    await rejectionOf(refreshAuth({ path: { environmentId: "env-1" } }, { client, headers }));
    expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      "key-1",
      "key-1",
      "key-1",
    ]);
  });

  it("the idempotency header's name is configurable", async () => {
    server.respondWith(status(502));
    const client = clockedClient(fakeTimers(), { retry: { idempotencyHeader: "X-Request-Key" } });
    const path = { environmentId: "env-1" };
    await rejectionOf(refreshAuth({ path }, { client, headers: { "X-Request-Key": "k" } }));
    expect(server.requests).toHaveLength(3);
    server.reset();
    server.respondWith(status(502));
    await rejectionOf(refreshAuth({ path }, { client, headers: { "Idempotency-Key": "k" } }));
    expect(server.requests).toHaveLength(1); // the default name no longer counts
  });

  const methods: [HttpMethod, number][] = [
    ["GET", 2],
    ["HEAD", 2],
    ["OPTIONS", 2],
    ["PUT", 2],
    ["DELETE", 2],
    ["POST", 1],
    ["PATCH", 1],
  ];
  it.each(methods)("%s answered 503: %i attempt(s) with maxRetries 1", async (method, count) => {
    server.respondWith(status(503));
    const operation: OperationMeta = {
      operationId: "anyMethod",
      method,
      path: "/thing",
      parameters: [],
      requestBody: null,
      responses: {},
      security: [],
    };
    const client = clockedClient(fakeTimers(), { retry: { maxRetries: 1 } });
    await rejectionOf(send(operation, undefined, undefined, client));
    expect(server.requests).toHaveLength(count);
    expect(server.requests.every((r) => r.method === method)).toBe(true);
  });

  it("a ReadableStream body (one-shot) is never retried, even on a PUT", async () => {
    server.respondWith(status(503));
    const operation: OperationMeta = {
      operationId: "uploadBlob",
      method: "PUT",
      path: "/blobs/{id}",
      parameters: [{ name: "id", in: "path", required: true, style: "simple", explode: false }],
      requestBody: {
        required: true,
        contentTypes: ["application/octet-stream"],
        encode: encodeBody,
      },
      responses: { "204": [] },
      security: [],
    };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed bytes"));
        controller.close();
      },
    });
    const client = clockedClient(fakeTimers());
    const args = { path: { id: "b1" }, body };
    const error = await rejectionOf(send(operation, args, undefined, client));
    expect(error).toMatchObject({ name: "ApiError", status: 503 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toBe("streamed bytes");
  });
});

describe("Retry-After (RFC 9110 §10.2.3)", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it("429 with delay-seconds: waits exactly that long", async () => {
    server.respondWithSequence(status(429, { "retry-after": "3" }));
    const clock = fakeTimers({ now });
    await expect(getSettings(clockedClient(clock))).resolves.toEqual({});
    expect(clock.waits).toEqual([3000]);
    expect(server.requests).toHaveLength(2);
  });

  it("503 with an HTTP-date: waits until that date on the injected clock", async () => {
    const date = new Date(now + 5_000).toUTCString(); // IMF-fixdate, e.g. "Wed, 01 Jan 2025 12:00:05 GMT"
    server.respondWithSequence(status(503, { "retry-after": date }));
    const clock = fakeTimers({ now });
    await getSettings(clockedClient(clock));
    expect(clock.waits).toEqual([5000]);
    expect(server.requests).toHaveLength(2);
  });

  it("an HTTP-date in the past means now", async () => {
    const date = new Date(now - 60_000).toUTCString();
    server.respondWithSequence(status(503, { "retry-after": date }));
    const clock = fakeTimers({ now });
    await getSettings(clockedClient(clock));
    expect(clock.waits).toEqual([0]);
  });

  it("an unparseable Retry-After falls back to the backoff", async () => {
    server.respondWithSequence(status(503, { "retry-after": "soon" }));
    const clock = fakeTimers({ now, random: 0.5 });
    await getSettings(clockedClient(clock));
    expect(clock.waits).toEqual([250]);
  });

  it("is capped: asked to wait longer than maxRetryAfterMs (60 s), the call fails at once", async () => {
    server.respondWith(status(503, { "retry-after": "120" }));
    const clock = fakeTimers({ now });
    const error = await rejectionOf(getSettings(clockedClient(clock)));
    expect(error).toMatchObject({ name: "ApiError", status: 503 });
    expect((error as ApiError).headers.get("retry-after")).toBe("120");
    expect(clock.waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("the cap is configurable", async () => {
    server.respondWithSequence(status(429, { "retry-after": "120" }));
    const clock = fakeTimers({ now });
    await getSettings(clockedClient(clock, { retry: { maxRetryAfterMs: 120_000 } }));
    expect(clock.waits).toEqual([120_000]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("retry configuration, client and per call", () => {
  it("retry: false on the client: one attempt", async () => {
    server.respondWith(status(503));
    await rejectionOf(getSettings(clockedClient(fakeTimers(), { retry: false })));
    expect(server.requests).toHaveLength(1);
  });

  it("retry: false on one call, while the client retries", async () => {
    server.respondWith(status(503));
    const client = clockedClient(fakeTimers());
    await rejectionOf(
      getEnvironmentSettings({ path: { environmentId: "e" } }, { client, retry: false }),
    );
    expect(server.requests).toHaveLength(1);
  });

  it("a call's retry options turn retries on for a client that has them off", async () => {
    server.respondWith(status(503));
    const client = clockedClient(fakeTimers(), { retry: false });
    await rejectionOf(
      getEnvironmentSettings(
        { path: { environmentId: "e" } },
        { client, retry: { maxRetries: 1 } },
      ),
    );
    expect(server.requests).toHaveLength(2);
  });

  it("a call's options override the client's field by field", async () => {
    server.respondWith(status(503));
    const clock = fakeTimers({ random: 0.5 });
    const client = clockedClient(clock, { retry: { maxRetries: 1, baseDelayMs: 100 } });
    await rejectionOf(
      getEnvironmentSettings(
        { path: { environmentId: "e" } },
        { client, retry: { maxRetries: 3 } },
      ),
    );
    expect(server.requests).toHaveLength(4);
    expect(clock.waits).toEqual([50, 100, 200]); // the client's base delay, the call's count
  });

  it("maxRetries 0: one attempt", async () => {
    server.respondWith({ status: 200, fault: "reset" });
    await rejectionOf(getSettings(clockedClient(fakeTimers(), { retry: { maxRetries: 0 } })));
    expect(server.requests).toHaveLength(1);
  });
});
