/**
 * The TypeScript types of one operation, as text built only from printed spec values. They point into
 * openapi-typescript's `paths` by indexed access: openapi-typescript owns schema → type conversion.
 */
import type {
  BodyEncoding,
  MediaModel,
  OperationModel,
  ParameterLocation,
  ResponseModel,
  ResponseParse,
} from "../model/ir.js";
import { printString } from "./print.js";

const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];

/** `paths["/sessions/{sessionId}/revoke"]["put"]` */
export function operationTypeRef(operation: OperationModel): string {
  return `${operation.typeName}Operation`;
}

/** The alias `operationTypeRef` names (module-local): one indexed access into `paths` per operation. */
export function operationTypeTarget(operation: OperationModel): string {
  return `paths[${printString(operation.path)}][${printString(operation.method)}]`;
}

/** One property per input location the operation has; each required when any of its parts is. */
export function argsTypeOf(operation: OperationModel): string {
  const ref = operationTypeRef(operation);
  const members: string[] = [];
  for (const location of LOCATIONS) {
    const parameters = operation.parameters.filter((p) => p.in === location);
    if (parameters.length === 0) continue;
    const required = parameters.some((p) => p.required);
    const ignored = location === "header" ? (operation.ignoredHeaders ?? []) : [];
    const type = `${ref}["parameters"][${printString(location)}]`;
    if (ignored.length > 0) {
      const omitted = `Omit<NonNullable<${type}>, ${ignored.map(printString).join(" | ")}>`;
      members.push(`${location}${required ? "" : "?"}: ${omitted};`);
    } else members.push(required ? `${location}: ${type};` : `${location}?: NonNullable<${type}>;`);
  }
  const inputs = members.length === 0 ? "Record<string, never>" : `{ ${members.join(" ")} }`;
  const body = bodyMembersOf(operation);
  if (body.length === 0) return inputs;
  const alternatives = body.length === 1 ? body[0]! : body.map((b) => `(${b})`).join(" | ");
  return members.length === 0 ? alternatives : `{ ${members.join(" ")} } & (${alternatives})`;
}

/**
 * One alternative per request media type: `{ body }` alone when there is one; otherwise each carries its
 * `contentType`, optional for the preferred one (JSON when there is one), so the caller picks by naming it.
 */
function bodyMembersOf(operation: OperationModel): string[] {
  const body = operation.requestBody;
  if (!body) return [];
  const optional = body.required ? "" : "?";
  if (body.contents.length === 1)
    return [`{ body${optional}: ${requestBodyType(operation, body.contents[0]!)} }`];
  return body.contents.map((media) => {
    const contentType = `contentType${media.mediaType === body.preferred ? "?" : ""}: ${printString(media.mediaType)}`;
    return `{ body${optional}: ${requestBodyType(operation, media)}; ${contentType} }`;
  });
}

/** Whether a caller may omit `args` altogether. */
export function argsOptional(operation: OperationModel): boolean {
  return !operation.parameters.some((p) => p.required) && !operation.requestBody?.required;
}

/**
 * Binary bodies take what `fetch` sends as bytes; the others are typed by openapi-typescript, without their
 * `readOnly` properties (`Writable`) when the schema has any.
 */
function requestBodyType(operation: OperationModel, media: MediaModel<BodyEncoding>): string {
  // What the runtime sends as it is: `fetch`'s byte bodies (a typed array or DataView, a stream: sent
  // half-duplex and never retried) and text.
  if (media.kind === "binary")
    return "Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | string";
  const type = `NonNullable<${operationTypeRef(operation)}["requestBody"]>["content"][${printString(media.mediaType)}]`;
  return media.hidesProperties ? `Writable<${type}>` : type;
}

/**
 * Success: the union of every 2xx response's body, a `2XX` range's included (`undefined` for a response without
 * one). An operation that declares no 2xx at all gets its `default` response's body: the runtime resolves with
 * whatever a 2xx brings, and `default` is what the spec says it is.
 */
export function responseTypeOf(operation: OperationModel): string {
  const declared = operation.responses.filter((r) => isSuccess(r.status));
  const success =
    declared.length > 0 ? declared : operation.responses.filter((r) => r.status === "default");
  if (success.length === 0) return "unknown";
  const empty = success.some((r) => standsForEmptySuccess(r.status, operation.responses));
  return unique([
    ...success.flatMap((r) => [responseBodyType(operation, r), ...streamTypesOf(operation, r)]),
    ...(empty ? ["undefined"] : []),
  ]).join(" | ");
}

/**
 * Whether a `2XX` range or `default` also stands for a 204 or 205 that is not declared on its own: those carry
 * no content (RFC 9110 §15.3.5, §15.3.6), and the runtime resolves them `undefined`, so the type says so.
 */
function standsForEmptySuccess(status: string, responses: readonly ResponseModel[]): boolean {
  if (status !== "default" && status.toUpperCase() !== "2XX") return false;
  const own = new Set(responses.map((r) => r.status));
  return !own.has("204") || !own.has("205");
}

/** Errors: one `ApiError` per declared non-2xx status, discriminated by `status`. */
export function errorTypeOf(operation: OperationModel, operationId: string): string {
  const errors = operation.responses.filter((r) => !isSuccess(r.status));
  if (errors.length === 0) return "never";
  return errors
    .map(
      (r) =>
        `ApiError<${statusType(r.status, operation.responses)}, ${responseBodyType(operation, r)}, ${printString(operationId)}>`,
    )
    .join(" | ");
}

/**
 * A response's body as the runtime hands it back: read by the `Content-Type` that arrives, so a status that
 * declares several media types of different kinds (JSON and `text/plain`) is the union of what each is read as,
 * the preferred one first. A success's other streamed media types are added by `streamTypesOf`.
 */
function responseBodyType(operation: OperationModel, response: ResponseModel): string {
  const preferred = response.contents.find((c) => c.mediaType === response.preferred);
  if (!preferred) return "undefined";
  const success = isSuccess(response.status);
  const others = response.contents.filter(
    (c) => c !== preferred && !(success && STREAM_KINDS.includes(c.kind)),
  );
  return unique(
    [preferred, ...others].map((media) => mediaBodyType(operation, response, media)),
  ).join(" | ");
}

function mediaBodyType(
  operation: OperationModel,
  response: ResponseModel,
  media: MediaModel<ResponseParse>,
): string {
  // An error response is read whole: an event stream as text, JSON lines as bytes.
  if (STREAM_KINDS.includes(media.kind))
    return isSuccess(response.status)
      ? streamType(media, responseRefOf(operation, response))
      : media.kind === "sse"
        ? "string"
        : "Blob";
  return bodyTypeByParse(
    media,
    `${operationTypeRef(operation)}["responses"][${statusKey(response.status)}]`,
  );
}

/**
 * A success's streamed media types other than the preferred one: the runtime streams whichever arrives, so
 * the type is the union (a response listing JSON and `text/event-stream` resolves to either).
 */
function streamTypesOf(operation: OperationModel, response: ResponseModel): string[] {
  return response.contents
    .filter((c) => c.mediaType !== response.preferred && STREAM_KINDS.includes(c.kind))
    .map((media) => streamType(media, responseRefOf(operation, response)));
}

const STREAM_KINDS: readonly ResponseParse[] = ["sse", "jsonl", "json-seq"];

function responseRefOf(operation: OperationModel, response: ResponseModel): string {
  return `${operationTypeRef(operation)}["responses"][${statusKey(response.status)}]`;
}

/** A streamed success: events with `data` as a string; JSON items typed by the schema (or its elements). */
function streamType(media: MediaModel<ResponseParse>, responseRef: string): string {
  if (media.kind === "sse") return "AsyncIterable<ServerSentEvent>";
  const content = `${responseRef}["content"][${printString(media.mediaType)}]`;
  // `Extract`: a 3.1 schema may be `type: [array, "null"]`; only the array's elements are items.
  // Items are responses too: `Readable` when the schema reaches a readOnly or writeOnly property.
  const read = (type: string) => (media.hidesProperties ? `Readable<${type}>` : type);
  if (media.items === "element")
    return `AsyncIterable<${read(`Extract<${content}, readonly unknown[]>[number]`)}>`;
  if (media.items === "whole") return `AsyncIterable<${read(content)}>`;
  return "AsyncIterable<unknown>";
}

/**
 * What the runtime hands back for each kind of body: JSON as typed by the schema (without its `writeOnly`
 * properties, `Readable`, when it has any), text as string, else a Blob.
 */
function bodyTypeByParse(media: MediaModel<ResponseParse>, responseRef: string): string {
  if (media.kind === "text") return "string";
  if (media.kind === "blob") return "Blob";
  const type = `${responseRef}["content"][${printString(media.mediaType)}]`;
  return media.hidesProperties ? `Readable<${type}>` : type;
}

/** openapi-typescript keys numeric statuses as numbers, ranges and `default` as strings. */
function statusKey(status: string): string {
  return /^\d{3}$/.test(status) ? status : printString(status);
}

/**
 * The statuses a Responses Object key stands for (OpenAPI 3.1 §4.8.16), as the runtime matches them: a code
 * itself; a range (`4XX`) the codes of its hundred that are not declared on their own (`StatusRange`, declared
 * once in the runtime); `default` any status, as `number` (TypeScript cannot take literals out of `number`).
 */
function statusType(status: string, responses: readonly ResponseModel[]): string {
  if (/^\d{3}$/.test(status)) return status;
  const range = /^([1-5])XX$/i.exec(status)?.[1];
  if (range === undefined) return "number";
  const own = responses.map((r) => r.status).filter((s) => /^\d{3}$/.test(s) && s[0] === range);
  const all = `StatusRange<${printString(range)}>`;
  return own.length === 0 ? all : `Exclude<${all}, ${own.join(" | ")}>`;
}

/**
 * The identifiers a type printed here names: `client.ts` imports a helper type (`paths`, `StatusRange`,
 * `ServerSentEvent`, `Readable`, `Writable`) only when some type names it. Spec text reaches these types only
 * inside string literals (`printString`, which escapes every quote and backslash), so the literals are dropped
 * first: a media type spelling `StatusRange<` must not add an import that `noUnusedLocals` would reject.
 */
export function typeNamesIn(type: string): Set<string> {
  const code = type.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return new Set(code.match(/[A-Za-z_$][\w$]*/g));
}

export function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
