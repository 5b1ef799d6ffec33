/**
 * A real local HTTP server for runtime tests: it records every request exactly as received and
 * answers with whatever the current test configured.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  /** Path and query exactly as received on the wire (`req.url`), not normalised or decoded. */
  readonly url: string;
  /** Header names are lower-case (Node's `req.headers`). */
  readonly headers: IncomingHttpHeaders;
  /** The raw body, decoded as UTF-8 ("" when there is none). */
  readonly body: string;
}

export interface CannedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Text is sent as UTF-8; bytes as they are. */
  readonly body?: string | Uint8Array;
  /** Record the request but never answer it (until the client aborts or the server closes). */
  readonly hang?: boolean;
  /**
   * A transport failure after recording the request: `reset` closes the connection without a response;
   * `reset-mid-body` sends the status, the headers (with the full Content-Length) and half the body, then
   * closes the connection; `stall-body` sends the same half and then nothing more.
   */
  readonly fault?: "reset" | "reset-mid-body" | "stall-body";
}

/** A fixed response, or one computed from the request (e.g. 401 unless it carries the right token). */
export type Responder = CannedResponse | ((request: RecordedRequest) => CannedResponse);

export interface RecordingServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** Every request since the last `reset()`, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** The response for every following request. */
  respondWith(response: Responder): void;
  /** Responses for the next requests, one each, in order; after them, `respondWith`'s again. */
  respondWithSequence(...responses: CannedResponse[]): void;
  /** Forgets recorded requests and queued responses, and restores the default response (200, JSON `{}`). */
  reset(): void;
  /** Resolves once at least `count` requests have been recorded since the last `reset()`. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A JSON response with `content-type: application/json`. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): CannedResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(value),
  };
}

const defaultResponse: CannedResponse = jsonResponse(200, {});

/** Answers `res` as `response` says, faults included. */
function answer(res: ServerResponse, response: CannedResponse): void {
  if (response.hang) return;
  if (response.fault === "reset") {
    res.socket?.destroy();
    return;
  }
  const body =
    typeof response.body === "string" || response.body === undefined
      ? Buffer.from(response.body ?? "")
      : Buffer.from(response.body);
  if (response.fault === undefined) {
    res.writeHead(response.status, { ...response.headers });
    res.end(body);
    return;
  }
  res.writeHead(response.status, { ...response.headers, "content-length": String(body.length) });
  res.write(body.subarray(0, Math.floor(body.length / 2)));
  if (response.fault === "reset-mid-body") setTimeout(() => res.socket?.destroy(), 20);
}

export async function startRecordingServer(): Promise<RecordingServer> {
  let requests: RecordedRequest[] = [];
  let responder: Responder = defaultResponse;
  let queue: CannedResponse[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      waiters = waiters.filter((waiter) => {
        if (requests.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      const next = queue.shift() ?? responder;
      answer(res, typeof next === "function" ? next(request) : next);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    respondWith(next) {
      responder = next;
    },
    respondWithSequence(...responses) {
      queue = [...responses];
    },
    reset() {
      requests = [];
      responder = defaultResponse;
      queue = [];
      waiters = [];
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

// -------------------------------------------------------------------------------------------------
// A clock the runtime tests drive (`ClientOptions.timers`), so waits are asserted, not waited for.

export interface FakeTimers {
  /** Pass as `ClientOptions.timers`. */
  readonly timers: {
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
    now(): number;
    random(): number;
  };
  /** Every wait that was not held (retry backoffs), in the order the runtime asked for them. */
  readonly waits: readonly number[];
  /** How many held sleeps are pending: running timeouts. */
  readonly held: () => number;
  /** Ends every pending held sleep, as if that much time had passed: each running timeout fires. */
  expire(): void;
}

/**
 * `hold` lists the durations that do not end by themselves (the `timeoutMs` under test); every other sleep
 * ends on the next macrotask. Like the real timers, a sleep rejects with its signal's reason when it aborts.
 */
export function fakeTimers(
  options: { now?: number; random?: number; hold?: readonly number[] } = {},
): FakeTimers {
  const waits: number[] = [];
  let pending: (() => void)[] = [];
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const held = options.hold?.includes(ms) ?? false;
      const end = (): void => {
        pending = pending.filter((p) => p !== end);
        resolve();
      };
      signal?.addEventListener("abort", () => {
        pending = pending.filter((p) => p !== end);
        reject(signal.reason);
      });
      if (signal?.aborted) reject(signal.reason);
      else if (held) pending.push(end);
      else {
        waits.push(ms);
        setImmediate(end);
      }
    });
  return {
    timers: {
      sleep,
      now: () => options.now ?? Date.UTC(2025, 0, 1),
      random: () => options.random ?? 0.5,
    },
    waits,
    held: () => pending.length,
    expire: () => [...pending].forEach((end) => end()),
  };
}
