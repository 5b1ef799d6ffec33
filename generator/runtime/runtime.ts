/**
 * specfetch runtime: the hand-written part of every generated client, copied verbatim into `runtime.ts`.
 * It imports nothing and uses only what Node ≥ 18, browsers, Deno, Bun and edge workers all have
 * (`fetch`, `Headers`, `URLSearchParams`, `FormData`, `Blob`, `TextEncoder`).
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
}

export interface RequestBodyMeta {
  readonly required: boolean;
  readonly contentTypes: readonly string[];
}

export interface ResponseMeta {
  /** `"200"`, `"4XX"` or `"default"`. */
  readonly status: string;
  readonly contentTypes: readonly string[];
}

export type SecuritySchemeMeta =
  | { readonly type: "http"; readonly scheme: string }
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string }
  | { readonly type: "oauth2" | "openIdConnect" | "mutualTLS" };

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
  /** A `fetch` implementation (default: the global one, looked up at call time). */
  readonly fetch?: typeof fetch;
}

export interface RuntimeClientConfig extends ClientOptions {
  readonly baseUrl: string;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeMeta>>;
}

export interface Client {
  readonly config: RuntimeClientConfig;
}

export interface CallOptions {
  /** The client to send through (default: the generated `defaultClient`). */
  readonly client?: Client;
  readonly signal?: AbortSignal;
  /** Headers for this call only; they override the client's. */
  readonly headers?: HeadersLike;
}

/** The grouped inputs of one call, as the generated `XArgs` types describe them. */
export interface OperationArgs {
  readonly path?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly cookie?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

/** Thrown for every non-2xx response. `body` is parsed by content type; `declared` says whether the spec lists the status. */
export class ApiError<
  Status extends number = number,
  Body = unknown,
  Operation extends string = string,
> extends Error {
  override readonly name = "ApiError";
  readonly status: Status;
  readonly body: Body;
  readonly headers: Headers;
  readonly operationId: Operation;
  readonly declared: boolean;
  readonly method: HttpMethod;
  /** The request URL with credential query values replaced by `[REDACTED]`. */
  readonly url: string;

  constructor(init: {
    status: Status;
    body: Body;
    headers: Headers;
    operationId: Operation;
    declared: boolean;
    method: HttpMethod;
    url: string;
  }) {
    super(`${init.method} ${init.url} responded ${init.status} (${init.operationId})`);
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.operationId = init.operationId;
    this.declared = init.declared;
    this.method = init.method;
    this.url = init.url;
  }

  toJSON(): Record<string, unknown> {
    const { name, message, status, operationId, method, url, body } = this;
    return { name, message, status, operationId, method, url, body };
  }
}

export function createRuntimeClient(config: RuntimeClientConfig): Client {
  return { config: { ...config, baseUrl: config.baseUrl.replace(/\/+$/, "") } };
}

/** Sends one operation: builds the request from the metadata and `args`, parses the response or throws `ApiError`. */
export async function send<T>(request: {
  operation: OperationMeta;
  args: OperationArgs | undefined;
  options: CallOptions | undefined;
  client: Client;
}): Promise<T> {
  const { operation, args = {}, options } = request;
  const { config } = options?.client ?? request.client;
  const headers = mergeHeaders(config.headers, options?.headers);
  const query: string[] = [];
  const secrets = await applySecurity({ operation, config, headers, query });
  query.unshift(...serializeQuery(operation.parameters, args.query));
  applyHeaderParameters(operation.parameters, args, headers);
  const url =
    config.baseUrl +
    serializePath(operation, args.path) +
    (query.length > 0 ? `?${query.join("&")}` : "");
  const init: RequestInit = { method: operation.method, headers };
  if (options?.signal) init.signal = options.signal;
  encodeBody({ operation, body: args.body, headers, init });
  const fetchImpl = config.fetch ?? globalThis.fetch;
  const response = await fetchImpl(url, init);
  const body = await parseBody(response, operation);
  if (response.ok) return body as T;
  throw new ApiError({
    status: response.status,
    body,
    headers: response.headers,
    operationId: operation.operationId,
    declared: isDeclared(operation.responses, response.status),
    method: operation.method,
    url: redact(url, secrets),
  });
}

function mergeHeaders(...sources: (HeadersLike | undefined)[]): Headers {
  const headers = new Headers();
  for (const source of sources) {
    if (source === undefined) continue;
    new Headers(source as ConstructorParameters<typeof Headers>[0]).forEach((value, name) =>
      headers.set(name, value),
    );
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------------------------
// Security (OpenAPI 3.1 §4.8.27 Security Requirement Object)

/** Applies the first alternative the client has every credential for; returns the query names that carry secrets. */
async function applySecurity(target: {
  operation: OperationMeta;
  config: RuntimeClientConfig;
  headers: Headers;
  query: string[];
}): Promise<string[]> {
  const { operation, config } = target;
  const auth: Readonly<Record<string, Credential | undefined>> = config.auth ?? {};
  // The first alternative the client holds every credential for; `{}` (no authentication) only if none.
  const usable = operation.security.find(
    (alternative) =>
      alternative.length > 0 && alternative.every((name) => auth[name] !== undefined),
  );
  const secrets: string[] = [];
  for (const name of usable ?? []) {
    const scheme = config.securitySchemes[name];
    const credential = auth[name];
    if (scheme === undefined || credential === undefined) continue;
    const value = typeof credential === "function" ? await credential() : credential;
    applyCredential({ ...target, scheme, value, secrets });
  }
  return secrets;
}

function applyCredential(target: {
  scheme: SecuritySchemeMeta;
  value: CredentialValue;
  headers: Headers;
  query: string[];
  secrets: string[];
}): void {
  const { scheme, value, headers } = target;
  if (scheme.type === "apiKey") {
    const text = typeof value === "string" ? value : value.password;
    if (scheme.in === "header") headers.set(scheme.name, text);
    if (scheme.in === "cookie")
      appendCookie(headers, `${percentEncode(scheme.name)}=${percentEncode(text)}`);
    if (scheme.in === "query") {
      target.query.push(`${percentEncode(scheme.name)}=${percentEncode(text)}`);
      target.secrets.push(percentEncode(scheme.name));
    }
    return;
  }
  if (scheme.type === "http" && scheme.scheme.toLowerCase() === "basic") {
    const pair = typeof value === "string" ? value : `${value.username}:${value.password}`;
    headers.set("Authorization", `Basic ${base64(pair)}`);
    return;
  }
  // http bearer (and other http schemes), oauth2 and openIdConnect: the credential is a bearer token.
  const token = typeof value === "string" ? value : value.password;
  const prefix =
    scheme.type === "http" && scheme.scheme.toLowerCase() !== "bearer" ? scheme.scheme : "Bearer";
  headers.set("Authorization", `${prefix} ${token}`);
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function redact(url: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return url;
  const [base, query = ""] = url.split("?", 2) as [string, string?];
  const pairs = query.split("&").map((pair) => {
    const name = pair.split("=", 1)[0] ?? "";
    return secrets.includes(name) ? `${name}=[REDACTED]` : pair;
  });
  return `${base}?${pairs.join("&")}`;
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
  return percentEncode(value).replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/g, (e) =>
    decodeURIComponent(e),
  );
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Object entries whose values are present, for object-valued parameters. */
function entriesOf(value: object): [string, string][] {
  return Object.entries(value)
    .filter(([, v]) => isPresent(v))
    .map(([k, v]) => [k, scalar(v)]);
}

/** Fills the path template; every value is percent-encoded, and `.`/`..`/empty segments are refused. */
export function serializePath(
  operation: OperationMeta,
  values: Readonly<Record<string, unknown>> | undefined,
): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const meta = operation.parameters.find((p) => p.in === "path" && p.name === name);
    const value = values?.[name];
    if (!isPresent(value))
      throw new TypeError(`${operation.operationId}: path parameter "${name}" is required`);
    const text = serializePathValue(meta?.style ?? "simple", meta?.explode ?? false, name, value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(
        `${operation.operationId}: path parameter "${name}" must not be empty, "." or ".."`,
      );
    }
    return text;
  });
}

function serializePathValue(
  style: ParameterStyle,
  explode: boolean,
  name: string,
  value: unknown,
): string {
  const prefix = style === "label" ? "." : style === "matrix" ? `;${name}=` : "";
  if (Array.isArray(value)) {
    const items = value.filter(isPresent).map((v) => percentEncode(scalar(v)));
    if (style === "matrix" && explode) return items.map((v) => `;${name}=${v}`).join("");
    return prefix + items.join(explode && style === "label" ? "." : ",");
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = entriesOf(value).map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
    if (explode) {
      const separator = style === "label" ? "." : style === "matrix" ? ";" : ",";
      const lead = style === "label" ? "." : style === "matrix" ? ";" : "";
      return lead + entries.map(([k, v]) => `${k}=${v}`).join(separator);
    }
    return prefix + entries.flat().join(",");
  }
  const text = percentEncode(scalar(value));
  // RFC 6570 §3.2.7: an empty matrix value is `;name`, without `=`.
  return style === "matrix" && text === "" ? `;${name}` : prefix + text;
}

/** Query string pieces (`name=value`, already encoded) in parameter order. */
export function serializeQuery(
  parameters: readonly ParameterMeta[],
  values: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const pieces: string[] = [];
  for (const meta of parameters) {
    if (meta.in !== "query" || !isPresent(values?.[meta.name])) continue;
    pieces.push(...serializeQueryValue(meta, values?.[meta.name]));
  }
  return pieces;
}

function serializeQueryValue(meta: ParameterMeta, value: unknown): string[] {
  const encode = meta.allowReserved ? encodeAllowReserved : percentEncode;
  const name = percentEncode(meta.name);
  if (Array.isArray(value)) {
    const items = value.filter(isPresent).map((v) => encode(scalar(v)));
    if (meta.explode && meta.style !== "deepObject") return items.map((v) => `${name}=${v}`);
    return [`${name}=${items.join(delimiterOf(meta.style))}`];
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = entriesOf(value);
    if (meta.style === "deepObject")
      return entries.map(([k, v]) => `${name}%5B${percentEncode(k)}%5D=${encode(v)}`);
    if (meta.explode) return entries.map(([k, v]) => `${percentEncode(k)}=${encode(v)}`);
    return [`${name}=${entries.flat().map(encode).join(delimiterOf(meta.style))}`];
  }
  return [`${name}=${encode(scalar(value))}`];
}

/** The separator of non-exploded values; `|` is percent-encoded since 3.1.1 (RFC 3986 does not allow it bare). */
function delimiterOf(style: ParameterStyle): string {
  return style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "%7C" : ",";
}

function applyHeaderParameters(
  parameters: readonly ParameterMeta[],
  args: OperationArgs,
  headers: Headers,
): void {
  for (const meta of parameters) {
    const source =
      meta.in === "header" ? args.header : meta.in === "cookie" ? args.cookie : undefined;
    const value = source?.[meta.name];
    if (!isPresent(value)) continue;
    if (meta.in === "header") headers.set(meta.name, simpleHeaderValue(value, meta.explode));
    else appendCookie(headers, `${percentEncode(meta.name)}=${cookieValue(value)}`);
  }
}

function simpleHeaderValue(value: unknown, explode: boolean): string {
  if (Array.isArray(value)) return value.filter(isPresent).map(scalar).join(",");
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return entriesOf(value)
      .map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`))
      .join(",");
  }
  return scalar(value);
}

function cookieValue(value: unknown): string {
  if (Array.isArray(value))
    return value
      .filter(isPresent)
      .map((v) => percentEncode(scalar(v)))
      .join(",");
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return entriesOf(value).flat().map(percentEncode).join(",");
  }
  return percentEncode(scalar(value));
}

function appendCookie(headers: Headers, pair: string): void {
  const existing = headers.get("Cookie");
  headers.set("Cookie", existing ? `${existing}; ${pair}` : pair);
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies

const JSON_TYPE = /^(application|text)\/([\w.-]+\+)?json(\s*;|$)/i;
const TEXT_TYPE = /^(text\/|application\/([\w.-]+\+)?xml(\s*;|$))/i;

function encodeBody(target: {
  operation: OperationMeta;
  body: unknown;
  headers: Headers;
  init: RequestInit;
}): void {
  const { operation, body, headers, init } = target;
  const meta = operation.requestBody;
  if (meta === null || body === undefined) return;
  const contentType =
    headers.get("Content-Type") ??
    meta.contentTypes.find((t) => JSON_TYPE.test(t)) ??
    meta.contentTypes[0];
  if (contentType === undefined) return;
  if (/^multipart\/form-data/i.test(contentType)) {
    headers.delete("Content-Type"); // fetch sets it, with the boundary.
    init.body = toFormData(body);
    return;
  }
  headers.set("Content-Type", contentType);
  init.body = encodeBodyAs(contentType, body);
}

/** `RequestInit["body"]` rather than `BodyInit`: Node's own types (without the DOM lib) have no global `BodyInit`. */
type RequestBody = NonNullable<RequestInit["body"]>;

function encodeBodyAs(contentType: string, body: unknown): RequestBody {
  if (JSON_TYPE.test(contentType)) return JSON.stringify(body);
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    return new URLSearchParams(entriesOf(body as object)).toString();
  }
  if (
    typeof body === "string" ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  ) {
    return body as RequestBody;
  }
  if (body instanceof ReadableStream || body instanceof URLSearchParams || body instanceof FormData)
    return body;
  return TEXT_TYPE.test(contentType) ? scalar(body) : JSON.stringify(body);
}

function toFormData(body: unknown): FormData {
  if (body instanceof FormData) return body;
  const form = new FormData();
  for (const [key, value] of Object.entries(body as object)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isPresent(item)) continue;
      if (item instanceof Blob) form.append(key, item);
      else form.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

/** Parses by the response's Content-Type: JSON → value, text → string, anything else → Blob, no body → undefined. */
async function parseBody(response: Response, operation: OperationMeta): Promise<unknown> {
  const empty = operation.method === "HEAD" || [204, 205, 304].includes(response.status);
  if (empty) {
    await response.body?.cancel();
    return undefined;
  }
  const contentType =
    response.headers.get("Content-Type") ?? declaredContentType(operation, response.status) ?? "";
  if (JSON_TYPE.test(contentType)) {
    const text = await response.text();
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  }
  if (TEXT_TYPE.test(contentType) || contentType === "") {
    const text = await response.text();
    return text === "" && contentType === "" ? undefined : text;
  }
  return response.blob();
}

function declaredContentType(operation: OperationMeta, status: number): string | undefined {
  return matchResponse(operation.responses, status)?.contentTypes[0];
}

/** Exact status first, then its range (`4XX`), then `default` (OpenAPI 3.1 §4.8.16 Responses Object). */
function matchResponse(
  responses: readonly ResponseMeta[],
  status: number,
): ResponseMeta | undefined {
  const code = String(status);
  return (
    responses.find((r) => r.status === code) ??
    responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`) ??
    responses.find((r) => r.status === "default")
  );
}

function isDeclared(responses: readonly ResponseMeta[], status: number): boolean {
  return matchResponse(responses, status) !== undefined;
}
