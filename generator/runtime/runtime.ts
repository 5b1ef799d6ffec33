/**
 * specfetch runtime: the hand-written part of every generated client, copied verbatim into `runtime.ts`.
 * It imports nothing and uses only what Node ≥ 18, browsers, Deno, Bun and edge workers all have
 * (`fetch`, `Headers`, `URLSearchParams`, `FormData`, `Blob`, `TextEncoder`).
 *
 * Size: a bundle holds only what the operations it calls need. The core (sending, retries, timeouts,
 * middleware, errors, path/query/header/cookie parameters, JSON and text responses) is always there; what only
 * some operations need is a *piece*, an exported function that the generated metadata references by name
 * (`requestBody.encode`, a security scheme's `apply`, `parameters[].serialize`, `server`, `read` and `streams`),
 * never the core, so a bundler drops the pieces of the operations it does not call.
 */

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
export type ParameterLocation = "path" | "query" | "header" | "cookie";
/** OpenAPI 3.1 §4.8.12.4 Style Values. */
export type ParameterStyle =
  "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";

/** What the runtime needs to know about one parameter (the generated `operations` table holds these). */
export interface ParameterMeta {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  readonly allowReserved?: boolean;
  /** A `content`-described parameter's media type: the value is written in it (JSON text), then encoded. */
  readonly contentType?: string;
  /**
   * Piece that sends the parameter: `queryParameter`, `headerParameter`, `cookieParameter`, `pathParameter` for
   * a label or matrix path parameter or one whose schema admits arrays or objects, or `contentParameter` for a
   * `content`-described one; absent for other path parameters (scalars in style simple), which fill the template.
   */
  readonly serialize?: ParameterSerializer;
}

/** A piece: adds one parameter's value (present, not null) to the request. */
export type ParameterSerializer = (
  meta: ParameterMeta,
  value: unknown,
  target: RequestTarget,
) => void;

/** `RequestInit["body"]` rather than `BodyInit`: Node's own types (without the DOM lib) have no global `BodyInit`. */
export type RequestBody = NonNullable<RequestInit["body"]>;

/** A piece: sets a request's body from `args.body` and `args.contentType` (`encodeBody`, `encodeForm`). */
export type BodyEncoder = (meta: RequestBodyMeta, args: OperationArgs, init: RequestInit) => void;

export interface RequestBodyMeta {
  readonly required: boolean;
  readonly contentTypes: readonly string[];
  /** Encoding Objects of form and multipart bodies: by media type, then by property name (read by `encodeForm`). */
  readonly encoding?: {
    readonly [mediaType: string]: { readonly [property: string]: PartEncoding };
  };
  /** `encodeForm` when a form or multipart type is listed, else `encodeBody`. */
  readonly encode: BodyEncoder;
}

/**
 * The parts of a request that parameters and credentials are added to; a scheme's `apply` also adds every form
 * of the credential it sends to `secrets`.
 */
export interface RequestTarget {
  readonly headers: Headers;
  /** Query pairs, already encoded (`name=value`). */
  readonly query: string[];
  readonly secrets: string[];
  /** The path parameters' values (`args.path`); `contentParameter` replaces one by its text. */
  path?: Readonly<Record<string, unknown>> | undefined;
  /** Path segments already written in their style by `pathParameter`, by parameter name. */
  segments?: Record<string, string>;
}

/** A piece: sends one credential as its scheme says (`applyAuthorization`, `applyBasic`, `applyApiKey`). */
export type ApplyCredential = (
  scheme: SecuritySchemeMeta,
  value: CredentialValue,
  target: RequestTarget,
) => void;

export type SecuritySchemeMeta = (
  | { readonly type: "http"; readonly scheme: string }
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string }
  | { readonly type: "oauth2" | "openIdConnect" | "mutualTLS" }
) & { readonly apply: ApplyCredential };

export interface OperationMeta {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly parameters: readonly ParameterMeta[];
  /** Absent (or `null`) when the operation takes no body. */
  readonly requestBody?: RequestBodyMeta | null;
  /**
   * The declared responses' media types by status: `"200"`, a range (`"4XX"`, upper case) or `"default"`; `[]`
   * for a response without a body. The first is the one the generated types are declared by (JSON when listed).
   */
  readonly responses: { readonly [status: string]: readonly string[] };
  /** Alternatives (any one suffices) of requirements (all schemes needed); `[]`: no authentication. */
  readonly security: readonly (readonly string[])[];
  /** The operation's (or its path item's) own servers: it is sent to the first unless configured otherwise. */
  readonly servers?: readonly ServerTemplate[];
  /** With `servers`: the piece that picks the base URL (`operationServer`). */
  readonly server?: ServerResolver;
  /** Readers of the streamed success media types, by media type (lower case): the call resolves to their iterable. */
  readonly streams?: { readonly [mediaType: string]: StreamReader };
  /** With `streams`: the piece that reads a response (`readStream`); without, the whole body is read. */
  readonly read?: BodyReader;
}

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}
export type CredentialValue = string | BasicCredentials;
/**
 * A credential, or a function that returns one (called for every request, e.g. to refresh a token). `Value` is
 * what the scheme takes: a string (a token, a key), `BasicCredentials` for http basic.
 */
export type Credential<Value extends CredentialValue = CredentialValue> =
  Value | (() => Value | Promise<Value>);

export type HeadersLike =
  Headers | Readonly<Record<string, string>> | readonly (readonly [string, string])[];

export interface ClientOptions<
  Scheme extends string = string,
  OperationServer extends string = string,
  Auth extends { readonly [K in Scheme]?: Credential } = { readonly [K in Scheme]?: Credential },
> {
  /** Prefix of every request URL; the path is appended to it as is (a base path is kept). */
  readonly baseUrl?: string;
  /**
   * Base URLs for operations that declare their own `servers`, keyed by their first server's URL as written in
   * the spec (`OperationMeta.servers[0].url`). Credentials are sent to these URLs.
   */
  readonly operationServers?: { readonly [K in OperationServer]?: string };
  /** Credentials keyed by security scheme name; sent only to operations whose `security` asks for them. */
  readonly auth?: Auth;
  /** Headers sent with every request. */
  readonly headers?: HeadersLike;
  /** A `fetch` implementation, called with one `Request` (default: the global one, looked up at call time). */
  readonly fetch?: typeof fetch;
  /** Milliseconds each attempt may take, from sending to the last byte of the body; `0` or absent: no limit. */
  readonly timeoutMs?: number;
  /** Retries of failed attempts (on by default, for requests that are safe to repeat); `false`: none. */
  readonly retry?: RetryOptions | false;
  /** Hooks run in order around every attempt. */
  readonly middleware?: readonly Middleware[];
  /** Replacements for the clock, the timers and the randomness (for tests, or a runtime without `setTimeout`). */
  readonly timers?: Partial<Timers>;
}

/**
 * When a failed attempt is tried again. Only a request that is safe to repeat is: an idempotent method
 * (RFC 9110 §9.2.2) or a request carrying `idempotencyHeader`, and never one whose body is a `ReadableStream`
 * (it cannot be read twice). Retried: network errors, timeouts, and 408, 425, 429, 500, 502, 503, 504.
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 2): at most `maxRetries + 1` attempts. */
  readonly maxRetries?: number;
  /** The wait before retry n is random in [0, min(maxDelayMs, baseDelayMs · 2^(n−1))) (default 500). */
  readonly baseDelayMs?: number;
  /** The cap of that wait (default 8 000). */
  readonly maxDelayMs?: number;
  /** The longest `Retry-After` waited for (default 60 000); a longer one ends the retries at once. */
  readonly maxRetryAfterMs?: number;
  /** A header that makes any method retryable when the request carries it (default `Idempotency-Key`). */
  readonly idempotencyHeader?: string;
}

/** The clock, the timers and the randomness the runtime uses; `ClientOptions.timers` replaces any of them. */
export interface Timers {
  /** Resolves after `ms`; rejects with `signal.reason` (and clears its timer) as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Milliseconds since the epoch, to turn a `Retry-After` date into a wait. */
  now(): number;
  /** A number in [0, 1), for the backoff's jitter. */
  random(): number;
}

/** What every hook is given. `attempt` is 1 for the first attempt, 2 for the first retry, … */
export interface MiddlewareContext {
  readonly operation: OperationMeta;
  readonly request: Request;
  readonly attempt: number;
}

/**
 * Hooks around every attempt, run in the order given; each may be async. `onRequest` may change `request`
 * or return a new one; `onResponse` sees every response (retried ones too) and may return a replacement;
 * `onError` sees every attempt that ended without a response (`NetworkError`, `TimeoutError`, `AbortError`).
 */
export interface Middleware {
  onRequest?(context: MiddlewareContext): Request | void | Promise<Request | void>;
  onResponse?(
    context: MiddlewareContext & { readonly response: Response },
  ): Response | void | Promise<Response | void>;
  onError?(context: MiddlewareContext & { readonly error: SpecfetchError }): void | Promise<void>;
}

export interface RuntimeClientConfig extends ClientOptions {
  readonly baseUrl: string;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeMeta>>;
}

export interface Client {
  readonly config: RuntimeClientConfig;
}

/** `withResponse`'s hook is no public option: it is keyed by a symbol only this module has. */
const RESPONSE_HOOK: unique symbol = Symbol();

export interface CallOptions {
  /** The client to send through (default: the generated `defaultClient`). */
  readonly client?: Client;
  /** This call's base URL, whatever the operation's servers; credentials are sent to it. */
  readonly baseUrl?: string;
  readonly signal?: AbortSignal;
  /** Headers for this call only; they override the client's. */
  readonly headers?: HeadersLike;
  /** Overrides the client's `timeoutMs` for this call (`0`: no limit). */
  readonly timeoutMs?: number;
  /** Overrides the client's retry options for this call, field by field; `false`: no retries. */
  readonly retry?: RetryOptions | false;
  /** Set by `withResponse`: receives the final response of a successful call. */
  readonly [RESPONSE_HOOK]?: (response: Response) => void;
}

/** The grouped inputs of one call, as the generated `XArgs` types describe them. */
export interface OperationArgs {
  readonly path?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly cookie?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
  /** Which of the operation's request media types `body` is in (default: JSON when listed, else the first). */
  readonly contentType?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: one hierarchy. No error holds a request header or a platform error, and `url` shows credential
// values as `[REDACTED]`, so printing, logging or serialising an error never reveals a secret.

/** The request an error is about. */
export type RequestSummary = {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The request URL with credential values replaced by `[REDACTED]`. */
  readonly url: string;
};

/** The base of every error a call rejects with, besides a `TypeError` for arguments it cannot send. */
export class SpecfetchError extends Error {
  override readonly name: string = "SpecfetchError";
  declare readonly operationId: string;
  declare readonly method: HttpMethod;
  declare readonly url: string;

  /** `fields` (the summary and the subclass's own fields) become properties of the error. */
  constructor(what: string, fields: RequestSummary & Record<string, unknown>, cause?: unknown) {
    super(
      `${fields.method} ${fields.url} ${what} (${fields.operationId})`,
      cause === undefined ? undefined : { cause },
    );
    Object.assign(this, fields);
  }

  /** The own fields and `message`; response `headers` are left out (a `Headers` serialises as `{}`). */
  toJSON(): object {
    return { ...this, message: this.message, headers: undefined };
  }
}

/** Thrown for every non-2xx response. `body` is parsed by content type; `declared` says whether the spec lists the status. */
export class ApiError<
  Status extends number = number,
  Body = unknown,
  Operation extends string = string,
> extends SpecfetchError {
  override readonly name = "ApiError";
  declare readonly status: Status;
  declare readonly body: Body;
  declare readonly headers: Headers;
  declare readonly operationId: Operation;
  declare readonly declared: boolean;

  constructor(
    init: RequestSummary & {
      status: Status;
      body: Body;
      headers: Headers;
      operationId: Operation;
      declared: boolean;
    },
  ) {
    super(`responded ${init.status}`, init);
  }
}

/** No response: refused, reset, DNS, TLS, CORS, … The message names the platform's reasons (credentials scrubbed). */
export class NetworkError extends SpecfetchError {
  override readonly name = "NetworkError";
}

/** An attempt took longer than `timeoutMs`. */
export class TimeoutError extends SpecfetchError {
  override readonly name = "TimeoutError";
  declare readonly timeoutMs: number;
}

/** The caller's `signal` aborted the call; `cause` is the signal's `reason`. Never retried. */
export class AbortError extends SpecfetchError {
  override readonly name = "AbortError";
}

/** The body does not parse as its `Content-Type` says (e.g. invalid JSON); `text` is the body as received. */
export class ResponseParseError extends SpecfetchError {
  override readonly name = "ResponseParseError";
  declare readonly status: number;
  declare readonly headers: Headers;
  declare readonly text: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

export function createRuntimeClient(config: RuntimeClientConfig): Client {
  return { config: { ...config, baseUrl: trimSlashes(config.baseUrl) } };
}

/**
 * The status, headers and `Response` of a successful call: `const { data, response } = await
 * withResponse((o) => revokeSessionById(args, o))`. `call` must pass `o` on (spread it into your own options);
 * `response`'s body has already been read into `data`.
 */
export async function withResponse<T>(
  call: (options: CallOptions) => Promise<T>,
  options: CallOptions = {},
): Promise<{ data: T; response: Response }> {
  let response: Response | undefined;
  const data = await call({ ...options, [RESPONSE_HOOK]: (r: Response) => (response = r) });
  if (!response) throw new TypeError("withResponse: the call did not pass its options on");
  return { data, response };
}

/** What decides whether an attempt is retried: the request as sent (a middleware may change it). */
type Sent = Pick<Request, "method" | "headers">;

/** What a body reader (`OperationMeta.read`, `readBody`) is given about its call. */
export interface Call {
  readonly operation: OperationMeta;
  readonly options: CallOptions;
  readonly summary: RequestSummary;
  /** Credential values as sent, longest first, to scrub from anything an error shows. */
  readonly secrets: readonly string[];
}

/**
 * A response, its body as read (a string for JSON and text, a Blob otherwise, undefined when empty; a streamed
 * success's items, read as the caller iterates) and type.
 */
export interface Received {
  readonly response: Response;
  readonly raw: string | Blob | AsyncIterable<unknown> | undefined;
  /** The response's `Content-Type`, else the spec's for its status, else `""`. */
  readonly type: string;
}

/** Methods RFC 9110 §9.2.2 defines as idempotent (TRACE among them, but `fetch` cannot send it). */
const IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/** 408 (RFC 9110 §15.5.9), 425 (RFC 8470 §5.2), 429 (RFC 6585 §4), and the 5xx that say "try later". */
const RETRY_STATUSES = [408, 425, 429, 500, 502, 503, 504];

/**
 * Sends one operation: builds the request from the metadata and `args`, sends it (timeouts, retries,
 * middleware), then resolves to the parsed body or throws. One function with its steps as closures over the
 * call's state: the request it prepared holds credentials, and never leaves it except to `fetch`.
 */
export async function send<T>(
  operation: OperationMeta,
  /**
   * `OperationArgs` in shape. Typed `unknown` on purpose: checking each generated call's `XArgs` against it
   * would make `tsc` resolve every operation's types, even in a project that calls one operation.
   */
  args: unknown,
  options: CallOptions = {},
  client: Client,
): Promise<T> {
  const input = (args ?? {}) as OperationArgs;
  const { config } = options.client ?? client;
  const { signal: callerSignal } = options;
  const { operationId, method } = operation;
  const headers = mergeHeaders(config.headers, options.headers);
  const target: RequestTarget = { headers, query: [], secrets: [], path: input.path };
  for (const meta of operation.parameters) {
    const value = input[meta.in]?.[meta.name];
    if (isPresent(value)) meta.serialize?.(meta, value, target);
  }
  await applySecurity(operation, config, target);
  const { query, secrets } = target;
  // Longest first, so that a secret containing another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  // The call's base URL; else, for an operation with its own servers, the one its piece resolves; else the client's.
  const base =
    trimSlashes(options.baseUrl) ??
    operation.server?.(operation, config, secrets) ??
    config.baseUrl;
  const path = base + serializePath(operation, target.path, target.segments);
  const search = query.length ? `?${query.join("&")}` : "";
  const init: RequestInit = { method, headers };
  // Credentials go to the base URL only: fetch would follow a redirect to another origin with them (it drops
  // only `Authorization`), so a request that carries any follows none, and a 3xx is the call's ApiError.
  if (secrets.length) init.redirect = "manual";
  const { requestBody } = operation;
  if (requestBody && input.body !== undefined) requestBody.encode(requestBody, input, init);
  const summary: RequestSummary = { operationId, method, url: path + scrub(search, secrets) };
  const call: Call = { operation, options, summary, secrets };
  const { sleep, now, random } = { ...defaultTimers, ...config.timers };
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const middleware = config.middleware ?? [];
  // The call's options override the client's field by field; `false` turns retries off (the call's counts first).
  const retry: RetryOptions | false =
    (options.retry ?? config.retry ?? {}) ? { ...config.retry, ...options.retry } : false;
  // A body that can be read only once: the request is never retried.
  const oneShot = init.body instanceof ReadableStream;

  /** Milliseconds to wait before the next attempt, or `undefined` when this outcome is final. */
  const retryDelay = (
    attempt: number,
    request: Sent,
    result: Received | SpecfetchError,
  ): number | undefined => {
    if (!retry || attempt > (retry.maxRetries ?? 2) || oneShot) return;
    const key = retry.idempotencyHeader ?? "Idempotency-Key";
    if (!IDEMPOTENT.includes(request.method) && !request.headers.has(key)) return;
    // An attempt ends in a NetworkError, a TimeoutError, an AbortError (never retried) or a response.
    if (result instanceof AbortError) return;
    if (!(result instanceof SpecfetchError)) {
      const { status, headers } = result.response;
      if (!RETRY_STATUSES.includes(status)) return;
      // RFC 9110 §10.2.3: `Retry-After` is delay-seconds or an HTTP-date; a date in the past means now.
      const after = headers.get("Retry-After") ?? "";
      const ms = /^\s*\d+\s*$/.test(after)
        ? Number(after) * 1000
        : Math.max(0, Date.parse(after) - now()); // NaN when absent or unparseable
      if (ms >= 0) return ms > (retry.maxRetryAfterMs ?? 60_000) ? undefined : ms;
    }
    // Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
    const cap = retry.maxDelayMs ?? 8000;
    return random() * Math.min(cap, (retry.baseDelayMs ?? 500) * 2 ** (attempt - 1));
  };

  const url = path + search;
  // Without a caller's signal, a timeout or a streamed body, nothing aborts a request: no signal to follow.
  const abortable = callerSignal || timeoutMs || operation.read;
  // Without middleware or a `fetch` of the client's, no Request object is made: `fetch` gets the URL and init,
  // and makes the only one (the platform's cost of a call is then a hand-written fetch's).
  const direct = !middleware.length && !config.fetch;
  /** The Request for `url`; the platform's error would quote the URL, credentials included. */
  const requestOf = (requestInit: RequestInit): Request => {
    try {
      return new Request(url, requestInit);
    } catch (error) {
      throw new TypeError(`${operationId}: ${scrub(String(error), secrets)}`);
    }
  };

  /**
   * One attempt: a fresh Request through `onRequest`, then fetch (a clone, so that `onResponse` may still resend
   * `request`), `onResponse`, and the body; or `onError`. Returns the request sent and how it ended.
   */
  const attemptOnce = async (attempt: number): Promise<[Sent, Received | SpecfetchError]> => {
    // The request's signal: aborted by the caller's signal or by the timeout (with a TimeoutError).
    const controller = new AbortController();
    const { signal } = controller;
    // Aborted when the attempt ends (a streamed body is read after): stops the timeout and following the caller.
    const end = new AbortController();
    const follow = (): void => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) follow();
    callerSignal?.addEventListener("abort", follow, { signal: end.signal });
    const timeout = (): void =>
      controller.abort(
        new TimeoutError(`timed out after ${timeoutMs} ms`, { ...summary, timeoutMs }),
      );
    if (timeoutMs) sleep(timeoutMs, end.signal).then(timeout, () => {});
    /** Runs a step that talks to the network; its failure becomes an AbortError, a TimeoutError or a NetworkError. */
    const transport = async <R>(step: () => Promise<R>): Promise<R | SpecfetchError> => {
      try {
        return await step();
      } catch (error) {
        if (callerSignal?.aborted) return abortError(call);
        if (signal.reason instanceof TimeoutError) return signal.reason;
        return networkError(call, error);
      }
    };
    try {
      const requestInit = abortable ? { ...init, signal } : init;
      // Made whenever there is middleware (`direct` is false), so the hooks below always have it.
      let request = direct ? undefined : requestOf(requestInit);
      for (const hooks of middleware)
        request = (await hooks.onRequest?.({ operation, request: request!, attempt })) ?? request;
      const context = { operation, request: request!, attempt };
      // A clone, so that `onResponse` may still resend `request` (a stream body cannot be cloned).
      const sent = oneShot || !middleware.length ? request : request?.clone();
      let result: Response | Received | SpecfetchError = await transport(() =>
        sent ? (config.fetch ?? fetch)(sent) : fetch(url, requestInit),
      );
      // `fetch` rejects a URL it cannot parse as it rejects a network failure: `requestOf` tells them apart.
      if (direct && result instanceof NetworkError) requestOf(requestInit);
      if (!(result instanceof SpecfetchError)) {
        let response = result as Response;
        for (const hooks of middleware)
          response = (await hooks.onResponse?.({ ...context, response })) ?? response;
        result = await transport(() => (operation.read ?? readBody)(response, call, controller));
      }
      if (result instanceof SpecfetchError)
        for (const hooks of middleware) await hooks.onError?.({ ...context, error: result });
      return [request ?? (init as Sent), result as Received | SpecfetchError];
    } finally {
      // Any reason but `undefined`, for which the platform would make (and capture the stack of) a DOMException.
      end.abort(0);
    }
  };

  // Attempts until one succeeds, fails for good, or the retries run out, waiting in between.
  for (let attempt = 1; ; attempt++) {
    const [sent, result] = await attemptOnce(attempt);
    const wait = retryDelay(attempt, sent, result);
    if (wait !== undefined) {
      await sleep(wait, callerSignal).catch(() => {
        throw abortError(call);
      });
      continue;
    }
    if (result instanceof SpecfetchError) throw result;
    const { response, raw, type } = result;
    const { status, headers, ok } = response;
    const declaredTypes = matchResponse(operation, status);
    // JSON → value, text → string, anything else the Blob. An empty body is undefined when JSON or untyped, where
    // the spec promises no content (none declared for the status, or the status not declared); where it does,
    // it is parsed, and fails as JSON: its type would lie.
    const json = typeof raw === "string" && JSON_TYPE.test(type);
    let body: unknown = raw === "" && (json || !type) && !declaredTypes?.length ? undefined : raw;
    let failure: unknown;
    try {
      if (json && body !== undefined) body = JSON.parse(raw);
    } catch (error) {
      failure = error;
    }
    if (failure && ok) {
      const fields = { ...summary, status, headers, text: raw as string };
      throw new ResponseParseError(`responded ${status} with invalid JSON`, fields, failure);
    }
    if (!ok) {
      // Declared: the spec lists the status, and the body is what its type says: read as one of its media types
      // is (a JSON value, text or a Blob; `application/json` for a declared `application/problem+json` is), and
      // parsed; no body where it lists none. `isApiErrorOf` then narrows to a type that holds.
      // A range is read as `readAs` says (`*\/*` and `application/*` JSON, `text/*` text, `image/*` a Blob), as
      // the generated types say.
      const declared =
        !failure &&
        !!declaredTypes &&
        (declaredTypes.length
          ? raw !== undefined && declaredTypes.some((t) => readAs(declaredAs(t)) === readAs(type))
          : !raw);
      throw new ApiError({ ...summary, status, body, headers, declared });
    }
    options[RESPONSE_HOOK]?.(response);
    return body as T;
  }
}

/** A base URL without its trailing slashes (the path is appended to it). */
function trimSlashes<S extends string | undefined>(url: S): S {
  return url?.replace(/\/+$/, "") as S;
}

/** Replaces every credential value in `text` by `[REDACTED]`. */
function scrub(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) if (secret) text = text.split(secret).join("[REDACTED]");
  return text;
}

const defaultTimers: Timers = {
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const abort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", abort);
        resolve();
      }, ms);
      if (signal?.aborted) abort();
      else signal?.addEventListener("abort", abort);
    }),
  // Neither uses `this`: they work detached.
  now: Date.now,
  random: Math.random,
};

function abortError(call: Call): AbortError {
  return new AbortError("aborted", call.summary, call.options.signal?.reason);
}

/** No response: the message names the platform's reasons, credentials scrubbed. */
function networkError(call: Call, error: unknown): NetworkError {
  // The messages along the `cause` chain (undici's "fetch failed" says why only in its cause).
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 4; e = e.cause)
    messages.push(e.message);
  return new NetworkError(`failed: ${scrub(messages.join(": "), call.secrets)}`, call.summary);
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/**
 * Sets a header after checking it, so a bad name or an injected line break fails with a clear TypeError. The name
 * is an RFC 9110 §5.6.2 `token`; the value is HTAB, SP, VCHAR and obs-text (§5.5): CR, LF and NUL above all must
 * never pass (header injection). Neither may hold a LF, so one test of both joined by one covers them. The value
 * is not shown: it may be a credential.
 */
function setHeader(headers: Headers, name: string, value: string): void {
  if (!/^[!#$%&'*+.^_`|~\w-]+\n[\t\x20-\x7E\x80-\xFF]*$/.test(`${name}\n${value}`))
    throw new TypeError(`invalid name or value of header ${JSON.stringify(name)}`);
  headers.set(name, value);
}

/** The client's headers, then the call's (a `Headers`, `[name, value]` pairs or a record), each checked. */
function mergeHeaders(...sources: (HeadersLike | undefined)[]): Headers {
  const headers = new Headers();
  for (const source of sources)
    for (const [name, value] of (source instanceof Headers || Array.isArray(source)
      ? source
      : Object.entries(source ?? {})) as Iterable<[string, string]>)
      setHeader(headers, name, value);
  return headers;
}

function appendCookie(headers: Headers, pair: string): void {
  const existing = headers.get("Cookie");
  headers.set("Cookie", existing ? `${existing}; ${pair}` : pair);
}

// ---------------------------------------------------------------------------------------------------------------
// Security (OpenAPI 3.1 §4.8.27 Security Requirement Object)

/** Applies the first alternative the client has every credential for (`{}`, no authentication, only if none). */
async function applySecurity(
  operation: OperationMeta,
  config: RuntimeClientConfig,
  target: RequestTarget,
): Promise<void> {
  const auth: Readonly<Record<string, Credential | undefined>> = config.auth ?? {};
  const usable = operation.security.find(
    (alternative) =>
      alternative.length > 0 && alternative.every((name) => auth[name] !== undefined),
  );
  for (const name of usable ?? []) {
    const scheme = config.securitySchemes[name];
    const credential = auth[name]!;
    const value = typeof credential === "function" ? await credential() : credential;
    scheme?.apply(scheme, value, target);
  }
}

/** The text a credential sends (a basic credential's secret part is its password). */
function secretOf(value: CredentialValue, target: RequestTarget): string {
  const text = typeof value === "string" ? value : value.password;
  target.secrets.push(text, percentEncode(text));
  return text;
}

/**
 * Piece for http schemes other than basic, oauth2 and openIdConnect: `Authorization: <scheme> <token>`,
 * `Bearer` whatever the spec's case, and for oauth2 and openIdConnect.
 */
export function applyAuthorization(
  scheme: SecuritySchemeMeta,
  value: CredentialValue,
  target: RequestTarget,
): void {
  const prefix = scheme.type === "http" ? scheme.scheme : "Bearer";
  const text = secretOf(value, target);
  setHeader(
    target.headers,
    "Authorization",
    `${/^bearer$/i.test(prefix) ? "Bearer" : prefix} ${text}`,
  );
}

/** Piece for http basic (RFC 7617): `Authorization: Basic base64(username:password)`, UTF-8. */
export function applyBasic(
  _scheme: SecuritySchemeMeta,
  value: CredentialValue,
  target: RequestTarget,
): void {
  secretOf(value, target);
  let binary = "";
  const pair = typeof value === "string" ? value : `${value.username}:${value.password}`;
  for (const byte of new TextEncoder().encode(pair)) binary += String.fromCharCode(byte);
  const encoded = btoa(binary);
  target.secrets.push(encoded);
  setHeader(target.headers, "Authorization", `Basic ${encoded}`);
}

/**
 * Piece for apiKey schemes: the key in a header (as is), the query (percent-encoded) or a cookie (as is when made
 * of cookie-octets, else percent-encoded).
 */
export function applyApiKey(
  scheme: SecuritySchemeMeta,
  value: CredentialValue,
  target: RequestTarget,
): void {
  const text = secretOf(value, target);
  if (scheme.type !== "apiKey") return;
  const name = percentEncode(scheme.name);
  if (scheme.in === "header") setHeader(target.headers, scheme.name, text);
  // A cookie as it was set: a key of cookie-octets (RFC 6265 §4.1.1: a base64 `+/=` token) is sent as it is, since
  // a server compares it as set; only one a cookie cannot carry is percent-encoded.
  if (scheme.in === "cookie")
    appendCookie(
      target.headers,
      `${name}=${/^[!#-+\--:<-[\]-~]*$/.test(text) ? text : percentEncode(text)}`,
    );
  if (scheme.in === "query") target.query.push(`${name}=${percentEncode(text)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter serialization (OpenAPI 3.1 §4.8.12.4 Style Values and Style Examples)

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (also `!'()*`, unlike encodeURIComponent). */
export function percentEncode(value: string): string {
  // A lone UTF-16 surrogate has no UTF-8 form: encodeURIComponent throws its URIError (README, Parameters).
  const encoded = encodeURIComponent(value);
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `allowReserved`: RFC 3986 reserved characters pass unencoded, except those with a meaning in a query string
 * (`[`, `]`, `#`, `&`, `=`, `+`), which the 3.1.1/3.2 texts leave the application to encode; so do
 * percent-encoded triples (`%2B` stays `%2B`), while a `%` outside one is encoded.
 */
function encodeAllowReserved(value: string): string {
  // : / ? @ ! $ ' ( ) * , ;
  return percentEncode(value)
    .replace(/%(2[14789ACF]|3[ABF]|40)/g, decodeURIComponent)
    .replace(/%25([\dA-F]{2})/gi, "%$1");
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** An object value (not an array or a Date): its entries are serialized as name/value pairs. */
function isRecord(value: unknown): value is object {
  return typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A style as an RFC 6570 operator: what precedes the value, what joins exploded items, and whether items are
 * named (`name=value`). `queryPairs` adds what the query-only styles change; label and matrix are
 * `pathParameter`'s.
 */
type Operator = readonly [prefix: string, separator: string, named: boolean];

/**
 * One parameter value in its style: a path segment, a header value, or `&`-joined query pairs. Non-exploded
 * items are joined by `delimiter`. The operator is simple's for style simple, else form's. An array or object
 * with no (present) item is undefined (RFC 6570 §2.3): nothing is sent for it.
 */
function expand(
  meta: ParameterMeta,
  value: unknown,
  encode: (text: string) => string,
  delimiter = ",",
  [prefix, separator, named]: Operator = meta.style === "simple"
    ? ["", ",", false]
    : ["", "&", true],
): string | undefined {
  const name = percentEncode(meta.name);
  const record = isRecord(value);
  const entries: [string, unknown][] = record
    ? Object.entries(value)
    : [value].flat().map((v) => [name, v]);
  const pairs = entries
    .filter(([, v]) => isPresent(v))
    .map(([k, v]) => [record ? encode(k) : k, encode(scalar(v))]);
  if (!pairs.length && (record || Array.isArray(value))) return undefined;
  if (meta.explode && (record || Array.isArray(value)))
    return prefix + pairs.map(([k, v]) => (record || named ? `${k}=${v}` : v)).join(separator);
  const joined = pairs.flatMap((pair) => (record ? pair : pair.slice(1))).join(delimiter);
  return named ? `${prefix}${name}=${joined}` : prefix + joined;
}

/**
 * Fills the path template; every value is percent-encoded, and `.`/`..`/empty segments are refused. A value
 * `pathParameter` wrote (a schema that admits arrays or objects, or style label or matrix) is used as written;
 * any other is a scalar in style simple (also for a placeholder without a parameter, which the generator reports).
 */
export function serializePath(
  operation: OperationMeta,
  values: Readonly<Record<string, unknown>> | undefined,
  segments?: Readonly<Record<string, string>>,
): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = values?.[name];
    const text = isPresent(value) ? (segments?.[name] ?? percentEncode(scalar(value))) : "";
    if (/^\.?\.?$/.test(text))
      throw new TypeError(
        `${operation.operationId}: path parameter "${name}" is missing, empty, "." or ".."`,
      );
    return text;
  });
}

/** Query string pairs (`name=value`, already encoded) in parameter order. */
export function serializeQuery(
  parameters: readonly ParameterMeta[],
  values: Readonly<Record<string, unknown>> | undefined,
): string[] {
  return parameters.flatMap((meta) => {
    const value = values?.[meta.name];
    return meta.in === "query" && isPresent(value) ? queryPairs(meta, value) : [];
  });
}

/**
 * A query parameter's pairs. deepObject sends an object as `name[key]=value` pairs, nested objects and arrays
 * as deeper brackets (`a[b][c]=v`, `a[0]=v`: OpenAPI leaves them undefined; this is what Stripe, Rails' and
 * `qs`'s readers take); the delimited styles join non-exploded items with `%20` or `%7C` (`|` is
 * percent-encoded since 3.1.1: RFC 3986 does not allow it bare).
 */
function queryPairs(meta: ParameterMeta, value: unknown): string[] {
  const encode = meta.allowReserved ? encodeAllowReserved : percentEncode;
  const { style } = meta;
  if (style === "deepObject" && typeof value === "object" && !(value instanceof Date))
    return deepPairs(percentEncode(meta.name), value, encode);
  const delimiter = style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "%7C" : ",";
  return (expand(meta, value, encode, delimiter) ?? "").split("&").filter((pair) => pair !== "");
}

/** deepObject's pairs under `prefix` (encoded): brackets for object keys and array indexes, absent values left out. */
function deepPairs(prefix: string, value: unknown, encode: (text: string) => string): string[] {
  if (typeof value !== "object" || value === null || value instanceof Date)
    return [`${prefix}=${encode(scalar(value))}`];
  const entries = Array.isArray(value)
    ? value.filter(isPresent).map((item, i): [string, unknown] => [String(i), item])
    : Object.entries(value).filter(([, item]) => isPresent(item));
  return entries.flatMap(([key, item]) => deepPairs(`${prefix}%5B${encode(key)}%5D`, item, encode));
}

/** Piece for query parameters: `name=value` pairs in the parameter's style. */
export function queryParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  target.query.push(...queryPairs(meta, value));
}

/**
 * Piece for path parameters whose schema admits arrays or objects (style simple: items comma-joined), and for
 * styles label (`.`-prefixed) and matrix (`;name=`): writes the segment, which `serializePath` then puts in the
 * template (and checks like any other).
 */
export function pathParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  const { style } = meta;
  const matrix = style === "matrix";
  const operator: Operator =
    style === "simple" ? ["", ",", false] : matrix ? [";", ";", true] : [".", ".", false];
  // Undefined (an empty array or object): an empty segment, which `serializePath` refuses.
  const text = expand(meta, value, percentEncode, ",", operator) ?? "";
  const exploded = meta.explode && (isRecord(value) || Array.isArray(value));
  // RFC 6570 §3.2.7: an empty matrix value is `;name`, without `=`.
  const empty = matrix && !exploded && text === `;${percentEncode(meta.name)}=`;
  target.segments = { ...target.segments, [meta.name]: empty ? text.slice(0, -1) : text };
}

/** Piece for header parameters: style `simple`, sent as is (checked like every header). */
export function headerParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  const text = expand(meta, value, String);
  if (text !== undefined) setHeader(target.headers, meta.name, text);
}

/** Piece for cookie parameters: `name=value`, percent-encoded, arrays and objects comma-joined (style form). */
export function cookieParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  const pair = expand({ ...meta, style: "form", explode: false }, value, percentEncode);
  if (pair !== undefined) appendCookie(target.headers, pair);
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies

const JSON_TYPE = /^(application|text)\/([\w.-]+\+)?json(\s*;|$)/i;

/**
 * Piece for request bodies: what `fetch` takes as a body (Blob, ArrayBuffer, typed array, stream,
 * URLSearchParams, FormData) is sent as it is; JSON types as JSON; anything else as text.
 */
export function encodeBody(meta: RequestBodyMeta, args: OperationArgs, init: RequestInit): void {
  sendBody(meta, args, init, plainBody);
}

/**
 * Piece for operations with a form body: `application/x-www-form-urlencoded` and `multipart/form-data` send one
 * field per property, repeated for each item of an array (style form, explode true); other types as `encodeBody`.
 */
export function encodeForm(meta: RequestBodyMeta, args: OperationArgs, init: RequestInit): void {
  sendBody(meta, args, init, (body, type) => {
    const multipart = /^multipart\/form-data/i.test(type);
    if (!multipart && !/^application\/x-www-form-urlencoded/i.test(type))
      return plainBody(body, type);
    const encoding = meta.encoding?.[type];
    if (!multipart && encoding) return encodeFormWith(body as object, encoding);
    const form = multipart ? new FormData() : new URLSearchParams();
    for (const [key, value] of Object.entries(body as object)) {
      // OpenAPI 3.1: a styled property of a multipart body is form fields in that style, one part each (the
      // generator keeps `style` for multipart only in 3.1 and later documents; 3.0 ignores it there). Files stay
      // parts of their own. Encoded without `allowReserved` (no meaning inside a part), so decoding restores it.
      const styled =
        multipart &&
        isPresent(value) &&
        ![value].flat().some((item) => item instanceof Blob) &&
        styledPairs(key, encoding?.[key], value, false);
      if (styled)
        for (const pair of styled) {
          const [name, text] = pair.split("=").map(decodeURIComponent);
          form.append(name!, text!);
        }
      else
        for (const item of [value].flat())
          if (isPresent(item))
            (form as FormData).append(key, formPart(item, encoding?.[key], multipart));
    }
    return form;
  });
}

/**
 * Sets `init.body` and its `Content-Type` for the media type picked: the caller's `contentType`, else a
 * `Content-Type` header the caller set when the operation lists its type, else JSON when listed, else the first
 * listed. A Blob of that type (or of any type the listed range takes) is sent with its own, parameters included
 * (a `boundary`, a `charset`); a range (`*\/*`, `image/*`) is no `Content-Type`: `fetch` sets the body's own.
 */
function sendBody(
  meta: RequestBodyMeta,
  args: OperationArgs,
  init: RequestInit,
  /** Given the listed media type picked (the caller's `Content-Type` spelling is the header's only). */
  encode: (body: unknown, contentType: string) => RequestBody,
): void {
  const headers = init.headers as Headers;
  const types = meta.contentTypes;
  // A client-wide `Content-Type` (a common habit) must not pick a type the operation does not take.
  const wanted = headers.get("Content-Type");
  const type =
    args.contentType ??
    (wanted !== null && mediaTypeIn(types, wanted) ? wanted : undefined) ??
    types.find((t) => JSON_TYPE.test(t)) ??
    types[0];
  if (type === undefined) return;
  const body = args.body;
  const own = body instanceof Blob && body.type;
  // The caller's own header, when it picked the type, is sent as they wrote it.
  if (type !== wanted)
    if (own && mediaTypeIn([type], own)) headers.set("Content-Type", own);
    else if (type.includes("*")) headers.delete("Content-Type");
    else headers.set("Content-Type", type);
  // What `fetch` takes as a body is sent as it is, whatever the content type.
  const passThrough = [Blob, ArrayBuffer, ReadableStream, URLSearchParams, FormData];
  init.body =
    passThrough.some((t) => body instanceof t) || ArrayBuffer.isView(body)
      ? (body as RequestBody)
      : // By the listed type: a `Content-Type` the caller spelled with a charset is still that type.
        encode(body, types.find((t) => !t.includes("*") && mediaTypeIn([t], type)) ?? type);
  // multipart: fetch writes the Content-Type itself, with the boundary.
  if (init.body instanceof FormData) headers.delete("Content-Type");
  // Fetch standard, RequestInit `duplex`: a stream body must be sent half-duplex, and say so.
  if (init.body instanceof ReadableStream) Object.assign(init, { duplex: "half" });
}

function plainBody(body: unknown, contentType: string): RequestBody {
  return JSON_TYPE.test(contentType) ? JSON.stringify(body) : scalar(body);
}

/**
 * Reads the whole body: JSON and text as a string, anything else as a Blob. No body (a HEAD request; 204, 205 and
 * 304, which `fetch` gives a null body) is undefined.
 */
async function readBody(response: Response, { operation }: Call): Promise<Received> {
  const type =
    response.headers.get("Content-Type") ??
    declaredAs(matchResponse(operation, response.status)?.[0]);
  const raw = !response.body
    ? undefined
    : readAs(type)
      ? await response.text()
      : await response.blob();
  return { response, raw, type };
}

/**
 * A declared media type as the body is read by it: a range typed by its schema (`*\/*`, `application/*`) as JSON
 * (the generated table lists a range whose schema is bytes as `application/octet-stream`). Not for a received
 * `Content-Type`, which is read as it says.
 */
function declaredAs(type = ""): string {
  return /^(\*|application)\/\*($|;)/i.test(type) ? "application/json" : type;
}

/** How a body of this media type is read and handed out: 2 a JSON value, 1 text (text, XML, no type), 0 a Blob. */
function readAs(type: string): number {
  return JSON_TYPE.test(type)
    ? 2
    : /^(text\/|application\/([\w.-]+\+)?xml(\s*;|$)|$)/i.test(type)
      ? 1
      : 0;
}

/**
 * Whether `type` (a `Content-Type`, parameters ignored) is one of `types`; a range among them takes the types it
 * covers (`*\/*` any, `image/*` `image/png`).
 */
function mediaTypeIn(types: readonly string[], type: string): boolean {
  const essence = (t: string) => t.split(";")[0]!.trim().toLowerCase();
  const given = essence(type);
  return types.some((t) => {
    const listed = essence(t);
    return (
      listed === given ||
      listed === "*/*" ||
      (listed.endsWith("/*") && given.startsWith(listed.slice(0, -1)))
    );
  });
}

/** The declared response's media types: exact status first, then its range (`4XX`), then `default` (OpenAPI 3.1 §4.8.16). */
function matchResponse(
  { responses }: OperationMeta,
  status: number,
): readonly string[] | undefined {
  return responses[status] ?? responses[`${`${status}`[0]}XX`] ?? responses["default"];
}

// ---------------------------------------------------------------------------------------------------------------
// Servers, streams, content-encoded values, form encodings: pieces (`OperationMeta.server`, `.read`, `.streams`,
// `ParameterMeta.serialize`) and what only they use, so a bundle without an operation that needs them drops them.

/** A Server Object as the generated `serverTemplates` and `OperationMeta.servers` hold it (OpenAPI 3.1 §4.8.5). */
export interface ServerTemplate {
  readonly url: string;
  readonly variables: { readonly [name: string]: ServerVariable };
}
export interface ServerVariable {
  readonly default: string;
  readonly enum?: readonly string[];
}
/**
 * The values `serverUrl` takes for a template: its variable names, each one of its `enum` when there is one (a
 * server without variables takes no key: `{}` alone would accept any).
 */
export type ServerVariableValues<S extends ServerTemplate> = [keyof S["variables"]] extends [never]
  ? { readonly [name: string]: never }
  : {
      readonly [K in keyof S["variables"]]?: S["variables"][K] extends {
        readonly enum: readonly (infer E extends string)[];
      }
        ? E
        : string;
    };

/**
 * A server's URL with its variables filled: `serverUrl(serverTemplates[0], { region: "us" })`; a variable left
 * out takes its default. A value outside the variable's `enum` is a TypeError.
 */
export function serverUrl<S extends ServerTemplate>(
  server: S,
  values: ServerVariableValues<S> = {},
): string {
  const given: Readonly<Record<string, string | undefined>> = values;
  return server.url.replace(/\{([^}]+)\}/g, (match, name: string) => {
    const variable = server.variables[name];
    const value = given[name] ?? variable?.default ?? match;
    if (variable?.enum && !variable.enum.includes(value))
      throw new TypeError(`server variable "${name}" must be one of ${variable.enum.join(", ")}`);
    return value;
  });
}

/** A piece: the base URL of an operation with its own `servers` (throws when credentials may not go there). */
export type ServerResolver = (
  operation: OperationMeta,
  config: RuntimeClientConfig,
  secrets: readonly string[],
) => string;

/**
 * Piece for operations with their own servers (OpenAPI 3.1 §4.8.10: they override the document's), used unless
 * the call gives a `baseUrl`: the client's `operationServers` entry for the first one, else that server's URL
 * with default variables. Credentials go only to a URL the caller configured or to the origin of the client's
 * `baseUrl`; a call that carries any to another server is a TypeError.
 */
export function operationServer(
  operation: OperationMeta,
  config: RuntimeClientConfig,
  secrets: readonly string[],
): string {
  const trim = (url: string): string => url.replace(/\/+$/, "");
  const server = operation.servers?.[0];
  if (server === undefined) return config.baseUrl;
  const configured = config.operationServers?.[server.url];
  if (configured !== undefined) return trim(configured);
  let url = trim(serverUrl(server));
  // A relative server URL (`/uploads`) is on the client's host.
  if (isPathOnly(url)) url = originOf(config.baseUrl) + url;
  const origin = originOf(url);
  const sameOrigin = origin !== "" && origin === originOf(config.baseUrl);
  // Both relative (a browser client with `baseUrl: ""`): both on the page's origin.
  const trusted = sameOrigin || (isPathOnly(url) && isPathOnly(config.baseUrl));
  if (!trusted && secrets.length > 0) throw untrustedServer(operation, url);
  return url;
}

/** `""` or `/path`, but not `//host/path` (a URL that names a host, relative only in scheme). */
function isPathOnly(url: string): boolean {
  return url === "" || (url.startsWith("/") && !url.startsWith("//"));
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

function untrustedServer(operation: OperationMeta, url: string): TypeError {
  const key = operation.servers?.[0]?.url ?? url;
  return new TypeError(
    `${operation.operationId}: credentials are not sent to the operation's server ${url}, which is not the ` +
      `client's baseUrl; to trust it, configure it: createClient({ operationServers: { ${JSON.stringify(key)}: ${JSON.stringify(url)} } })`,
  );
}

/** Reads a streamed response body item by item. */
export type StreamReader = (response: Response) => AsyncIterable<unknown>;

/** One event of a `text/event-stream` (HTML Living Standard §9.2.6), `data` as sent (lines joined by `\n`). */
export interface ServerSentEvent {
  /** The `event` field, `"message"` when absent. */
  readonly event: string;
  readonly data: string;
  /** The last event ID so far (`id` fields persist across events), `""` when none. */
  readonly id: string;
  /** The reconnection time the stream last set with `retry`, in milliseconds. */
  readonly retry?: number;
}

/** A piece: reads a response's body (`OperationMeta.read`), given the request's controller. */
export type BodyReader = (
  response: Response,
  call: Call,
  controller: AbortController,
) => Promise<Received>;

/**
 * Piece for operations that stream: a successful response in one of `OperationMeta.streams`' media types
 * resolves the call to its items, read as the caller iterates (the timeout covered only getting the response);
 * any other response is read whole. Ending the iteration early (`break`, `return`, a throw) or the caller's
 * `signal` cancels the body and closes the connection; a failure while reading becomes an `AbortError`, a
 * `NetworkError` or, for an item that does not parse, a `ResponseParseError`.
 */
export async function readStream(
  response: Response,
  call: Call,
  controller: AbortController,
): Promise<Received> {
  const { operation, options } = call;
  // As `readBody`: the response's type, else the spec's for its status.
  const type =
    response.headers.get("Content-Type") ??
    declaredAs(matchResponse(operation, response.status)?.[0]);
  const reader = operation.streams?.[type.split(";")[0]!.trim().toLowerCase()];
  if (!response.ok || response.body === null || !reader) return readBody(response, call);
  // The attempt is over, and stopped following the caller's signal: the iteration follows it until it ends.
  const follow = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", follow, { signal: controller.signal });
  const items = async function* (): AsyncGenerator<unknown, void, undefined> {
    try {
      yield* reader(response);
    } catch (error) {
      if (options.signal?.aborted) throw abortError(call);
      const { status, headers } = response;
      if (error instanceof SyntaxError) {
        const text = (error as SyntaxError & { text?: string }).text ?? "";
        const fields = { ...call.summary, status, headers, text };
        throw new ResponseParseError(`streamed an item that is not JSON`, fields, error);
      }
      throw networkError(call, error);
    } finally {
      controller.abort();
    }
  };
  return { response, raw: items(), type };
}

/**
 * The lines of a UTF-8 body (a leading BOM dropped), split at CRLF, LF or CR, a break split across chunks
 * counted once; the last line is given even without a line break. Cancels the body when the caller stops early.
 */
async function* linesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = "";
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      let text = rest + (done ? decoder.decode() : decoder.decode(chunk.value, { stream: true }));
      // A CR at the end may be the first half of a CRLF: it is kept until the next chunk says.
      const cr = !done && text.endsWith("\r");
      if (cr) text = text.slice(0, -1);
      const lines = text.split(/\r\n|\r|\n/);
      rest = lines.pop()! + (cr ? "\r" : "");
      yield* lines;
    }
    if (rest !== "") yield rest;
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * `text/event-stream` → events, as the HTML Living Standard's "event stream interpretation" (§9.2.6) says:
 * `data` lines joined by `\n`, `event` (default `"message"`), `id` (kept for the following events; a value with
 * NUL is ignored), `retry` (digits only), `:` comments and unknown fields ignored, one leading space of a value
 * dropped; an event is dispatched at a blank line, and one without `data` is not; an unfinished event at the
 * end is discarded.
 */
export async function* readEventStream(
  response: Response,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  if (response.body === null) return;
  let data: string[] = [];
  let event = "";
  let id = "";
  let retry: number | undefined;
  for await (const line of linesOf(response.body)) {
    if (line === "") {
      if (data.length > 0)
        yield {
          event: event || "message",
          data: data.join("\n"),
          id,
          ...(retry === undefined ? {} : { retry }),
        };
      data = [];
      event = "";
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) id = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }
}

/** A JSON text, or a SyntaxError that carries it (`text`) for the caller's `ResponseParseError`. */
function parseItem(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw Object.assign(new SyntaxError(`invalid JSON item: ${String(error)}`), { text });
  }
}

/** `application/x-ndjson`, `application/jsonl`: one JSON value per line; blank lines are skipped. */
export async function* readJsonLines(response: Response): AsyncGenerator<unknown, void, undefined> {
  if (response.body === null) return;
  for await (const line of linesOf(response.body)) if (line.trim() !== "") yield parseItem(line);
}

/**
 * `application/json-seq` (RFC 7464): each JSON text follows a RS (U+001E); a record may span lines. The text
 * before the first RS, and empty records, are skipped.
 */
export async function* readJsonSeq(response: Response): AsyncGenerator<unknown, void, undefined> {
  if (response.body === null) return;
  let record: string | undefined;
  for await (const line of linesOf(response.body)) {
    const parts = line.split("\x1e");
    for (const [i, part] of parts.entries()) {
      if (i > 0) {
        if (record !== undefined && record.trim() !== "") yield parseItem(record);
        record = "";
      }
      if (record !== undefined) record += (i === 0 ? "\n" : "") + part;
    }
  }
  if (record !== undefined && record.trim() !== "") yield parseItem(record);
}

/**
 * Piece for `content`-described parameters (OpenAPI 3.1 §4.8.12.3), of any location: the value is written in the
 * parameter's media type (JSON text for JSON, else as a string), then sent as that string: percent-encoded in the
 * path, the query or a cookie, as is in a header.
 */
export function contentParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  const text = JSON_TYPE.test(meta.contentType ?? "") ? JSON.stringify(value) : scalar(value);
  if (meta.in === "path") target.path = { ...target.path, [meta.name]: text };
  else if (meta.in === "query") queryParameter(meta, text, target);
  else if (meta.in === "header") headerParameter(meta, text, target);
  else cookieParameter(meta, text, target);
}

/** An Encoding Object (OpenAPI 3.1 §4.8.15) of one property of a form or multipart body. */
export interface PartEncoding {
  /** Multipart: the part's `Content-Type`; form: JSON text for a JSON type. A list (`a, b`): the first. */
  readonly contentType?: string;
  /** `application/x-www-form-urlencoded`: the property is written as a query parameter in this style. */
  readonly style?: ParameterStyle;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
}

/**
 * A multipart part: a Blob as given; with a declared `contentType`, any other value as a Blob of that type; without
 * one, an object or array as JSON (the default for objects, OpenAPI 3.1 §4.8.15), anything else as text. A
 * URL-encoded field (`multipart` false): the same text, as the field's value.
 */
function formPart(
  item: unknown,
  encoding: PartEncoding | undefined,
  multipart = true,
): Blob | string {
  const declared = encoding?.contentType?.split(",")[0]!.trim();
  // A Blob keeps its own type; one without (`new Blob([bytes])`, a File made without) takes the declared one, a
  // File its name too. (`File` is no global in Node 18, where no File is passed.)
  if (item instanceof Blob)
    return item.type || !declared || declared.includes("*")
      ? item
      : typeof File === "function" && item instanceof File
        ? new File([item], item.name, { type: declared })
        : new Blob([item], { type: declared });
  const type =
    declared || (typeof item === "object" && !(item instanceof Date) ? "application/json" : "");
  if (!type) return scalar(item);
  const text = JSON_TYPE.test(type) ? JSON.stringify(item) : scalar(item);
  // A URL-encoded field is text: the value itself, not a part with a type.
  return multipart ? new Blob([text], { type }) : text;
}

/**
 * A property written as a query parameter of its Encoding Object's style, when it has any of `style`, `explode`
 * and `allowReserved` (the others then take their defaults, OpenAPI 3.1.1 §4.8.15): its encoded pairs.
 */
function styledPairs(
  key: string,
  part: PartEncoding | undefined,
  value: unknown,
  reserved = true,
): string[] | undefined {
  if (part?.style === undefined && part?.explode === undefined && part?.allowReserved === undefined)
    return undefined;
  const style = part.style ?? "form";
  const explode = part.explode ?? style === "form";
  const meta = { name: key, in: "query", required: false, style, explode } as const;
  return queryPairs({ ...meta, allowReserved: reserved && part.allowReserved === true }, value);
}

/**
 * `application/x-www-form-urlencoded` with Encoding Objects: a property with a `style` or `explode` is written
 * as a query parameter of that style (default `form`, exploded); one with a JSON `contentType` as JSON text;
 * the others as without `encoding` (arrays repeated).
 */
function encodeFormWith(
  body: object,
  encoding: { readonly [property: string]: PartEncoding },
): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!isPresent(value)) continue;
    const part = encoding[key];
    const styled = styledPairs(key, part, value);
    if (styled) pairs.push(...styled);
    else if (part?.contentType && JSON_TYPE.test(part.contentType))
      pairs.push(`${percentEncode(key)}=${percentEncode(JSON.stringify(value))}`);
    else
      for (const item of [value].flat())
        if (isPresent(item)) pairs.push(new URLSearchParams([[key, scalar(item)]]).toString());
  }
  return pairs.join("&");
}

// ---------------------------------------------------------------------------------------------------------------
// Status ranges (used by the generated error and response types)

type StatusDigit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";

/** The hundred statuses of a response range (OpenAPI 3.1 §4.8.16): `StatusRange<"4">` is 400 | 401 | … | 499. */
export type StatusRange<Class extends "1" | "2" | "3" | "4" | "5"> =
  StatusNumber<`${Class}${StatusDigit}${StatusDigit}`>;

/** Distributes over a union of three-digit strings: each becomes its number literal. */
type StatusNumber<Code> = Code extends `${infer Status extends number}` ? Status : never;
