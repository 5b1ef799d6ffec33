/**
 * A real local HTTP server for runtime tests: it records every request exactly as received and
 * answers with whatever the current test configured.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
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
  readonly body?: string;
  /** Record the request but never answer it (until the client aborts or the server closes). */
  readonly hang?: boolean;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** Every request since the last `reset()`, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** The response for every following request. */
  respondWith(response: CannedResponse): void;
  /** Forgets recorded requests and restores the default response (200, JSON `{}`). */
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

export async function startRecordingServer(): Promise<RecordingServer> {
  let requests: RecordedRequest[] = [];
  let response = defaultResponse;
  let waiters: { count: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      waiters = waiters.filter((waiter) => {
        if (requests.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      if (response.hang) return;
      res.writeHead(response.status, { ...response.headers });
      res.end(response.body ?? "");
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
      response = next;
    },
    reset() {
      requests = [];
      response = defaultResponse;
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
