/**
 * specfetch runtime: the hand-written part of every generated client, copied verbatim into `runtime.ts`.
 * It imports nothing and uses only what Node ≥ 18, browsers, Deno, Bun and edge workers all have
 * (`fetch`, `Headers`, `URLSearchParams`, `FormData`, `Blob`, `TextEncoder`).
 *
 * Size: a bundle holds only what the operations it calls need. The core (sending, retries, timeouts,
 * middleware, errors, path/query/header/cookie parameters, JSON and text responses) is always there; what only
 * some operations need is a *piece*, an exported function that the generated metadata references by name
 * (`requestBody.encode`, a security scheme's `apply`), never the core, so a bundler drops the pieces of the
 * operations it does not call.
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
  /**
   * Piece that sends a query, header or cookie parameter (`queryParameter`, `headerParameter`,
   * `cookieParameter`); absent for path parameters, which fill the path template.
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
  /** `encodeForm` when a form or multipart type is listed, else `encodeBody`. */
  readonly encode: BodyEncoder;
}

export interface ResponseMeta {
  /** `"200"`, `"4XX"` or `"default"`. */
  readonly status: string;
  readonly contentTypes: readonly string[];
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
  readonly requestBody: RequestBodyMeta | null;
  readonly responses: readonly ResponseMeta[];
  /** Alternatives (any one suffices) of requirements (all schemes needed); `[]`: no authentication. */
  readonly security: readonly (readonly string[])[];
}

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}
export type CredentialValue = string | BasicCredentials;
/** A credential, or a function that returns one (called for every request, e.g. to refresh a token). */
export type Credential = CredentialValue | (() => CredentialValue | Promise<CredentialValue>);

export type HeadersLike =
  Headers | Readonly<Record<string, string>> | readonly (readonly [string, string])[];

export interface ClientOptions<Scheme extends string = string> {
  /** Prefix of every request URL; the path is appended to it as is (a base path is kept). */
  readonly baseUrl?: string;
  /** Credentials keyed by security scheme name; sent only to operations whose `security` asks for them. */
  readonly auth?: { readonly [K in Scheme]?: Credential };
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
  return { config: { ...config, baseUrl: config.baseUrl.replace(/\/+$/, "") } };
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

/** One call, prepared once and shared by its attempts. */
interface Call {
  readonly operation: OperationMeta;
  readonly config: RuntimeClientConfig;
  readonly options: CallOptions;
  /** The real URL and request init: they hold credentials, and never reach an error. */
  readonly url: string;
  readonly init: RequestInit;
  /** Credential values as sent, longest first, to scrub from anything an error shows. */
  readonly secrets: readonly string[];
  readonly summary: RequestSummary;
  readonly timers: Timers;
  readonly retry: Required<RetryOptions> | false;
  readonly timeoutMs: number | undefined;
}

/** A response, its body as read (a string for JSON and text, a Blob otherwise, undefined when empty) and type. */
interface Received {
  readonly response: Response;
  readonly raw: string | Blob | undefined;
  /** The response's `Content-Type`, else the spec's for its status, else `""`. */
  readonly type: string;
}

/**
 * Sends one operation: builds the request from the metadata and `args`, sends it (timeouts, retries,
 * middleware), then resolves to the parsed body or throws.
 */
export async function send<T>(request: {
  operation: OperationMeta;
  /**
   * `OperationArgs` in shape. Typed `unknown` on purpose: checking each generated call's `XArgs` against it
   * would make `tsc` resolve every operation's types, even in a project that calls one operation.
   */
  args: unknown;
  options: CallOptions | undefined;
  client: Client;
}): Promise<T> {
  const call = await prepareCall(request);
  // Attempts until one succeeds, fails for good, or the retries run out, waiting in between.
  for (let attempt = 1; ; attempt++) {
    const [sent, result] = await attemptOnce(call, attempt);
    const wait = retryDelay(call, attempt, sent, result);
    if (wait !== undefined) {
      await call.timers.sleep(wait, call.options.signal).catch(() => {
        throw abortError(call);
      });
      continue;
    }
    if (result instanceof SpecfetchError) throw result;
    const { response } = result;
    const body = parseBody(call, result);
    if (!response.ok) {
      const { status, headers } = response;
      const declared = matchResponse(call.operation, status) !== undefined;
      throw new ApiError({ ...call.summary, status, body, headers, declared });
    }
    call.options[RESPONSE_HOOK]?.(response);
    return body as T;
  }
}

async function prepareCall({
  operation,
  args,
  options = {},
  client,
}: {
  operation: OperationMeta;
  args: unknown;
  options: CallOptions | undefined;
  client: Client;
}): Promise<Call> {
  const input = (args ?? {}) as OperationArgs;
  const { config } = options.client ?? client;
  const headers = mergeHeaders(config.headers, options.headers);
  const target: RequestTarget = { headers, query: [], secrets: [] };
  for (const meta of operation.parameters) {
    const value = meta.in === "path" ? null : input[meta.in]?.[meta.name];
    if (isPresent(value)) meta.serialize?.(meta, value, target);
  }
  await applySecurity(operation, config, target);
  const { query, secrets } = target;
  // Longest first, so that a secret containing another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  const path = config.baseUrl + serializePath(operation, input.path);
  const search = query.length > 0 ? `?${query.join("&")}` : "";
  const init: RequestInit = { method: operation.method, headers };
  // Credentials go to the base URL only: fetch would follow a redirect to another origin with them (it drops
  // only `Authorization`), so a request that carries any follows none, and a 3xx is the call's ApiError.
  if (secrets.length > 0) init.redirect = "manual";
  const { requestBody } = operation;
  if (requestBody && input.body !== undefined) requestBody.encode(requestBody, input, init);
  const { operationId, method } = operation;
  return {
    ...{ operation, config, options, init, secrets, url: path + search },
    summary: { operationId, method, url: path + scrub(search, secrets) },
    timers: { ...defaultTimers, ...config.timers },
    retry: retryPolicy(config.retry, options.retry),
    timeoutMs: options.timeoutMs ?? config.timeoutMs,
  };
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
      signal?.addEventListener("abort", abort);
    }),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** The call's options override the client's field by field; `false` turns retries off (the call's counts first). */
function retryPolicy(
  client: RetryOptions | false | undefined,
  call: RetryOptions | false | undefined,
): Required<RetryOptions> | false {
  if (call === false || (call === undefined && client === false)) return false;
  const defaults = {
    maxRetries: 2,
    baseDelayMs: 500,
    maxDelayMs: 8000,
    maxRetryAfterMs: 60_000,
    idempotencyHeader: "Idempotency-Key",
  };
  return { ...defaults, ...client, ...call };
}

/** Methods RFC 9110 §9.2.2 defines as idempotent (TRACE among them, but `fetch` cannot send it). */
const IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/** 408 (RFC 9110 §15.5.9), 425 (RFC 8470 §5.2), 429 (RFC 6585 §4), and the 5xx that say "try later". */
const RETRY_STATUSES = [408, 425, 429, 500, 502, 503, 504];

/** Milliseconds to wait before the next attempt, or `undefined` when this outcome is final. */
function retryDelay(
  call: Call,
  attempt: number,
  request: Request,
  result: Received | SpecfetchError,
): number | undefined {
  const { retry, timers } = call;
  if (!retry || attempt > retry.maxRetries || isOneShot(call)) return;
  if (!IDEMPOTENT.includes(request.method) && !request.headers.has(retry.idempotencyHeader)) return;
  // An attempt ends in a NetworkError, a TimeoutError, an AbortError (never retried) or a response.
  if (result instanceof AbortError) return;
  if (!(result instanceof SpecfetchError)) {
    const { status, headers } = result.response;
    if (!RETRY_STATUSES.includes(status)) return;
    // RFC 9110 §10.2.3: `Retry-After` is delay-seconds or an HTTP-date; a date in the past means now.
    const after = headers.get("Retry-After") ?? "";
    const ms = /^\s*\d+\s*$/.test(after)
      ? Number(after) * 1000
      : Math.max(0, Date.parse(after) - timers.now()); // NaN when absent or unparseable
    if (ms >= 0) return ms > retry.maxRetryAfterMs ? undefined : ms;
  }
  // Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
  return timers.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
}

/** A body that can be read only once: the request is never retried. */
function isOneShot(call: Call): boolean {
  return call.init.body instanceof ReadableStream;
}

/**
 * One attempt: a fresh Request through `onRequest`, then fetch (a clone, so that `onResponse` may still resend
 * `request`), `onResponse`, and the body; or `onError`. Returns the request sent and how it ended.
 */
async function attemptOnce(
  call: Call,
  attempt: number,
): Promise<[Request, Received | SpecfetchError]> {
  const { operation, config, options, timeoutMs } = call;
  // The attempt's signal: aborted by the caller's signal, by the timeout (with a TimeoutError), or at the end.
  const controller = new AbortController();
  const { signal } = controller;
  const follow = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) follow();
  options.signal?.addEventListener("abort", follow, { signal });
  const timeout = (): void =>
    controller.abort(
      new TimeoutError(`timed out after ${timeoutMs} ms`, { ...call.summary, timeoutMs }),
    );
  if (timeoutMs) call.timers.sleep(timeoutMs, signal).then(timeout, () => {});
  /** Runs a step that talks to the network; its failure becomes an AbortError, a TimeoutError or a NetworkError. */
  const transport = async <T>(step: () => Promise<T>): Promise<T | SpecfetchError> => {
    try {
      return await step();
    } catch (error) {
      if (options.signal?.aborted) return abortError(call);
      if (signal.reason instanceof TimeoutError) return signal.reason;
      return new NetworkError(`failed: ${scrub(reasons(error), call.secrets)}`, call.summary);
    }
  };
  try {
    let request: Request;
    try {
      request = new Request(call.url, { ...call.init, signal });
    } catch (error) {
      // The platform's message may quote the URL, credentials included.
      throw new TypeError(`${operation.operationId}: ${scrub(String(error), call.secrets)}`);
    }
    const middleware = config.middleware ?? [];
    for (const hooks of middleware)
      request = (await hooks.onRequest?.({ operation, request, attempt })) ?? request;
    const context: MiddlewareContext = { operation, request, attempt };
    const sent = isOneShot(call) ? request : request.clone();
    let result: Response | Received | SpecfetchError = await transport(() =>
      (config.fetch ?? fetch)(sent),
    );
    if (!(result instanceof SpecfetchError)) {
      let response = result as Response;
      for (const hooks of middleware)
        response = (await hooks.onResponse?.({ ...context, response })) ?? response;
      result = await transport(() => readBody(response, operation));
    }
    if (result instanceof SpecfetchError)
      for (const hooks of middleware) await hooks.onError?.({ ...context, error: result });
    return [request, result as Received | SpecfetchError];
  } finally {
    controller.abort(); // The attempt is over: clears its timeout and stops following the caller's signal.
  }
}

function abortError(call: Call): AbortError {
  return new AbortError("aborted", call.summary, call.options.signal?.reason);
}

/** The messages along an error's `cause` chain (undici's "fetch failed" says why only in its cause). */
function reasons(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 4; e = e.cause)
    messages.push(e.message);
  return messages.join(": ");
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/** Sets a header after checking it, so a bad name or an injected line break fails with a clear TypeError. */
function setHeader(headers: Headers, name: string, value: string): void {
  // RFC 9110 §5.6.2 `token`: the characters a field name may have.
  if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name))
    throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
  // RFC 9110 §5.5: a field value is HTAB, SP, VCHAR and obs-text; CR, LF and NUL above all must never pass
  // (header injection). The value is not shown: it may be a credential.
  if (/[^\t\x20-\x7E\x80-\xFF]/.test(value))
    throw new TypeError(`invalid character in the value of header ${name}`);
  headers.set(name, value);
}

function mergeHeaders(...sources: (HeadersLike | undefined)[]): Headers {
  const headers = new Headers();
  for (const source of sources) {
    if (source instanceof Headers) source.forEach((value, name) => setHeader(headers, name, value));
    else
      for (const [name, value] of Array.isArray(source) ? source : Object.entries(source ?? {}))
        setHeader(headers, name, value);
  }
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

/** Piece for apiKey schemes: the key in a header (as is), the query or a cookie (percent-encoded). */
export function applyApiKey(
  scheme: SecuritySchemeMeta,
  value: CredentialValue,
  target: RequestTarget,
): void {
  const text = secretOf(value, target);
  if (scheme.type !== "apiKey") return;
  const pair = `${percentEncode(scheme.name)}=${percentEncode(text)}`;
  if (scheme.in === "header") setHeader(target.headers, scheme.name, text);
  if (scheme.in === "cookie") appendCookie(target.headers, pair);
  if (scheme.in === "query") target.query.push(pair);
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter serialization (OpenAPI 3.1 §4.8.12.4 Style Values and Style Examples)

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (also `!'()*`, unlike encodeURIComponent). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `allowReserved`: RFC 3986 reserved characters pass unencoded, except those with a meaning in a query string
 * (`[`, `]`, `#`, `&`, `=`, `+`), which the 3.1.1/3.2 texts leave the application to encode.
 */
function encodeAllowReserved(value: string): string {
  // : / ? @ ! $ ' ( ) * , ;
  return percentEncode(value).replace(/%(2[14789ACF]|3[ABF]|40)/g, decodeURIComponent);
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
 * The path styles as RFC 6570 operators: what precedes the value, what joins exploded items, and whether items
 * are named (`name=value`). Every other style is form's `["", "&", true]` here; `queryPairs` adds what the
 * query-only styles change.
 */
const STYLES: Readonly<Partial<Record<ParameterStyle, readonly [string, string, boolean]>>> = {
  simple: ["", ",", false],
  label: [".", ".", false],
  matrix: [";", ";", true],
};

/**
 * One parameter value in its style: a path segment, a header value, or `&`-joined query pairs. Non-exploded
 * items are joined by `delimiter`.
 */
function expand(
  meta: ParameterMeta,
  value: unknown,
  encode: (text: string) => string,
  delimiter = ",",
): string {
  const [prefix, separator, named] = STYLES[meta.style] ?? ["", "&", true];
  const name = percentEncode(meta.name);
  const record = isRecord(value);
  const entries: [string, unknown][] = record
    ? Object.entries(value)
    : [value].flat().map((v) => [name, v]);
  const pairs = entries
    .filter(([, v]) => isPresent(v))
    .map(([k, v]) => [record ? encode(k) : k, encode(scalar(v))]);
  if (meta.explode && (record || Array.isArray(value)))
    return prefix + pairs.map(([k, v]) => (record || named ? `${k}=${v}` : v)).join(separator);
  const joined = pairs.flatMap((pair) => (record ? pair : pair.slice(1))).join(delimiter);
  if (!named) return prefix + joined;
  // RFC 6570 §3.2.7: an empty matrix value is `;name`, without `=`.
  return meta.style === "matrix" && joined === "" ? `;${name}` : `${prefix}${name}=${joined}`;
}

/** Fills the path template; every value is percent-encoded, and `.`/`..`/empty segments are refused. */
export function serializePath(
  operation: OperationMeta,
  values: Readonly<Record<string, unknown>> | undefined,
): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const meta = operation.parameters.find((p) => p.in === "path" && p.name === name);
    const value = values?.[name];
    const problem = `${operation.operationId}: path parameter "${name}"`;
    if (!isPresent(value)) throw new TypeError(`${problem} is required`);
    // A placeholder without a parameter (the generator reports one) is style simple.
    const text = expand(meta ?? ({ name, style: "simple" } as ParameterMeta), value, percentEncode);
    if (/^\.?\.?$/.test(text)) throw new TypeError(`${problem} must not be empty, "." or ".."`);
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
 * A query parameter's pairs. deepObject sends an object as `name[key]=value` pairs; the delimited styles join
 * non-exploded items with `%20` or `%7C` (`|` is percent-encoded since 3.1.1: RFC 3986 does not allow it bare).
 */
function queryPairs(meta: ParameterMeta, value: unknown): string[] {
  const encode = meta.allowReserved ? encodeAllowReserved : percentEncode;
  const { style } = meta;
  const delimiter = style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "%7C" : ",";
  const deep = style === "deepObject" && isRecord(value);
  const pairs = expand(deep ? { ...meta, explode: true } : meta, value, encode, delimiter)
    .split("&")
    .filter((pair) => pair !== "");
  const name = percentEncode(meta.name);
  return deep ? pairs.map((pair) => `${name}%5B${pair.replace("=", "%5D=")}`) : pairs;
}

/** Piece for query parameters: `name=value` pairs in the parameter's style. */
export function queryParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  target.query.push(...queryPairs(meta, value));
}

/** Piece for header parameters: style `simple`, sent as is (checked like every header). */
export function headerParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  setHeader(target.headers, meta.name, expand(meta, value, String));
}

/** Piece for cookie parameters: `name=value`, percent-encoded, arrays and objects comma-joined (style form). */
export function cookieParameter(meta: ParameterMeta, value: unknown, target: RequestTarget): void {
  const pair = expand({ ...meta, style: "form", explode: false }, value, percentEncode);
  appendCookie(target.headers, pair);
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
    const form = multipart ? new FormData() : new URLSearchParams();
    for (const [key, value] of Object.entries(body as object))
      for (const item of [value].flat())
        if (isPresent(item))
          (form as FormData).append(key, item instanceof Blob ? item : scalar(item));
    return form;
  });
}

/**
 * Sets `init.body` and its `Content-Type` for the media type picked: the caller's `contentType`, else a
 * `Content-Type` header the caller set, else JSON when listed, else the first listed.
 */
function sendBody(
  meta: RequestBodyMeta,
  args: OperationArgs,
  init: RequestInit,
  encode: (body: unknown, contentType: string) => RequestBody,
): void {
  const headers = init.headers as Headers;
  const types = meta.contentTypes;
  const type =
    args.contentType ??
    headers.get("Content-Type") ??
    types.find((t) => JSON_TYPE.test(t)) ??
    types[0];
  if (type === undefined) return;
  headers.set("Content-Type", type);
  // What `fetch` takes as a body is sent as it is, whatever the content type.
  const passThrough = [Blob, ArrayBuffer, ReadableStream, URLSearchParams, FormData];
  const body = args.body;
  init.body =
    passThrough.some((t) => body instanceof t) || ArrayBuffer.isView(body)
      ? (body as RequestBody)
      : encode(body, type);
  // multipart: fetch writes the Content-Type itself, with the boundary.
  if (init.body instanceof FormData) headers.delete("Content-Type");
  // Fetch standard, RequestInit `duplex`: a stream body must be sent half-duplex, and say so.
  if (init.body instanceof ReadableStream) Object.assign(init, { duplex: "half" });
}

function plainBody(body: unknown, contentType: string): RequestBody {
  return JSON_TYPE.test(contentType) ? JSON.stringify(body) : scalar(body);
}

/** Reads the whole body: JSON and text as a string, anything else as a Blob, no body as undefined. */
async function readBody(response: Response, operation: OperationMeta): Promise<Received> {
  const type =
    response.headers.get("Content-Type") ??
    matchResponse(operation, response.status)?.contentTypes[0] ??
    "";
  let raw: Received["raw"];
  if (operation.method === "HEAD" || [204, 205, 304].includes(response.status))
    await response.body?.cancel();
  else if (/^(text\/|application\/([\w.-]+\+)?(json|xml)(\s*;|$))/i.test(type) || type === "")
    raw = await response.text();
  else raw = await response.blob();
  return { response, raw, type };
}

/** JSON → value (an empty body → undefined), text → string (undefined when empty and untyped), else the Blob. */
function parseBody(call: Call, { response, raw, type }: Received): unknown {
  if (typeof raw !== "string" || !JSON_TYPE.test(type))
    return raw === "" && type === "" ? undefined : raw;
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    const { status, headers } = response;
    const fields = { ...call.summary, status, headers, text: raw };
    throw new ResponseParseError(`responded ${status} with invalid JSON`, fields, error);
  }
}

/** Exact status first, then its range (`4XX`), then `default` (OpenAPI 3.1 §4.8.16 Responses Object). */
function matchResponse(operation: OperationMeta, status: number): ResponseMeta | undefined {
  const find = (key: string): ResponseMeta | undefined =>
    operation.responses.find((r) => r.status.toUpperCase() === key);
  return find(`${status}`) ?? find(`${`${status}`[0]}XX`) ?? find("DEFAULT");
}
