/**
 * The TypeScript types of one operation, as type nodes (`types.ts`) built only from printed spec values. They
 * point into openapi-typescript's `paths` by indexed access: openapi-typescript owns schema → type conversion.
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
import {
  arrayType,
  indexed,
  intersection,
  literal,
  member,
  objectType,
  ref,
  text,
  typeText,
  union,
  type TypeNode,
} from "./types.js";

const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];

/** The name of the operation's module-local alias of `paths["/sessions/{sessionId}/revoke"]["put"]`. */
export function operationTypeRef(operation: OperationModel): string {
  return `${operation.typeName}Operation`;
}

/** The alias `operationTypeRef` names (module-local): one indexed access into `paths` per operation. */
export function operationTypeTarget(operation: OperationModel): TypeNode {
  return indexed(
    indexed(ref("paths"), literal(printString(operation.path))),
    literal(printString(operation.method)),
  );
}

/** `<Operation>["a"]["b"]…` */
function operationPart(operation: OperationModel, ...keys: TypeNode[]): TypeNode {
  return keys.reduce<TypeNode>(
    (object, key) => indexed(object, key),
    ref(operationTypeRef(operation)),
  );
}

/** One property per input location the operation has; each required when any of its parts is. */
export function argsTypeOf(operation: OperationModel): TypeNode {
  const members = [];
  for (const location of LOCATIONS) {
    const parameters = operation.parameters.filter((p) => p.in === location);
    if (parameters.length === 0) continue;
    const required = parameters.some((p) => p.required);
    const type = operationPart(operation, literal('"parameters"'), literal(printString(location)));
    members.push(
      required ? member(location, false, type) : member(location, true, ref("NonNullable", [type])),
    );
  }
  const inputs =
    members.length === 0 ? ref("Record", [text("string"), text("never")]) : objectType(members);
  const body = bodyMembersOf(operation);
  if (body.length === 0) return inputs;
  const alternatives = body.length === 1 ? body[0]! : union(body);
  return members.length === 0 ? alternatives : intersection([objectType(members), alternatives]);
}

/**
 * One alternative per request media type: `{ body }` alone when there is one; otherwise each carries its
 * `contentType`, optional for the preferred one (JSON when there is one), so the caller picks by naming it.
 */
function bodyMembersOf(operation: OperationModel): TypeNode[] {
  const body = operation.requestBody;
  if (!body) return [];
  const optional = !body.required;
  if (body.contents.length === 1)
    return [objectType([member("body", optional, requestBodyType(operation, body.contents[0]!))])];
  return body.contents.map((media) =>
    objectType([
      member("body", optional, requestBodyType(operation, media)),
      member(
        "contentType",
        media.mediaType === body.preferred,
        literal(printString(media.mediaType)),
      ),
    ]),
  );
}

/** Whether a caller may omit `args` altogether. */
export function argsOptional(operation: OperationModel): boolean {
  return !operation.parameters.some((p) => p.required) && !operation.requestBody?.required;
}

/**
 * Binary bodies take what `fetch` sends as bytes; the others are typed by openapi-typescript, without their
 * `readOnly` properties (`Writable`) when the schema has any.
 */
function requestBodyType(operation: OperationModel, media: MediaModel<BodyEncoding>): TypeNode {
  if (media.kind === "binary")
    return union([ref("Blob"), ref("ArrayBuffer"), ref("Uint8Array"), text("string")]);
  const body = ref("NonNullable", [operationPart(operation, literal('"requestBody"'))]);
  const type = indexed(indexed(body, literal('"content"')), literal(printString(media.mediaType)));
  return media.hidesProperties ? ref("Writable", [type]) : type;
}

/**
 * Success: the union of every 2xx response's body, a `2XX` range's included (`undefined` for a response without
 * one). An operation that declares no 2xx at all gets its `default` response's body: the runtime resolves with
 * whatever a 2xx brings, and `default` is what the spec says it is.
 */
export function responseTypeOf(operation: OperationModel): TypeNode {
  const declared = operation.responses.filter((r) => isSuccess(r.status));
  const success =
    declared.length > 0 ? declared : operation.responses.filter((r) => r.status === "default");
  if (success.length === 0) return text("unknown");
  const types = success.flatMap((r) => [
    responseBodyType(operation, r),
    ...streamTypesOf(operation, r),
  ]);
  const unique = new Map(types.map((t) => [typeText(t), t]));
  return union([...unique.values()]);
}

/** Errors: one `ApiError` per declared non-2xx status, discriminated by `status`. */
export function errorTypeOf(operation: OperationModel, operationId: string): TypeNode {
  const errors = operation.responses.filter((r) => !isSuccess(r.status));
  if (errors.length === 0) return text("never");
  return union(
    errors.map((r) =>
      ref("ApiError", [
        statusType(r.status, operation.responses),
        responseBodyType(operation, r),
        literal(printString(operationId)),
      ]),
    ),
  );
}

function responseBodyType(operation: OperationModel, response: ResponseModel): TypeNode {
  const media = response.contents.find((c) => c.mediaType === response.preferred);
  if (!media) return text("undefined");
  // An error response is read whole: an event stream as text, JSON lines as bytes.
  if (STREAM_KINDS.includes(media.kind))
    return isSuccess(response.status)
      ? streamType(media, responseRefOf(operation, response))
      : media.kind === "sse"
        ? text("string")
        : ref("Blob");
  return bodyTypeByParse(media, responseRefOf(operation, response));
}

/**
 * A success's streamed media types other than the preferred one: the runtime streams whichever arrives, so
 * the type is the union (a response listing JSON and `text/event-stream` resolves to either).
 */
function streamTypesOf(operation: OperationModel, response: ResponseModel): TypeNode[] {
  return response.contents
    .filter((c) => c.mediaType !== response.preferred && STREAM_KINDS.includes(c.kind))
    .map((media) => streamType(media, responseRefOf(operation, response)));
}

const STREAM_KINDS: readonly ResponseParse[] = ["sse", "jsonl", "json-seq"];

function responseRefOf(operation: OperationModel, response: ResponseModel): TypeNode {
  return operationPart(operation, literal('"responses"'), statusKey(response.status));
}

/** A streamed success: events with `data` as a string; JSON items typed by the schema (or its elements). */
function streamType(media: MediaModel<ResponseParse>, responseRef: TypeNode): TypeNode {
  if (media.kind === "sse") return ref("AsyncIterable", [ref("ServerSentEvent")]);
  const content = indexed(
    indexed(responseRef, literal('"content"')),
    literal(printString(media.mediaType)),
  );
  // `Extract`: a 3.1 schema may be `type: [array, "null"]`; only the array's elements are items.
  if (media.items === "element") {
    const array = ref("Extract", [content, arrayType(text("unknown"), true)]);
    return ref("AsyncIterable", [indexed(array, text("number"))]);
  }
  if (media.items === "whole") return ref("AsyncIterable", [content]);
  return ref("AsyncIterable", [text("unknown")]);
}

/**
 * What the runtime hands back for each kind of body: JSON as typed by the schema (without its `writeOnly`
 * properties, `Readable`, when it has any), text as string, else a Blob.
 */
function bodyTypeByParse(media: MediaModel<ResponseParse>, responseRef: TypeNode): TypeNode {
  if (media.kind === "text") return text("string");
  if (media.kind === "blob") return ref("Blob");
  const type = indexed(
    indexed(responseRef, literal('"content"')),
    literal(printString(media.mediaType)),
  );
  return media.hidesProperties ? ref("Readable", [type]) : type;
}

/** openapi-typescript keys numeric statuses as numbers, ranges and `default` as strings. */
function statusKey(status: string): TypeNode {
  return /^\d{3}$/.test(status) ? text(status) : literal(printString(status));
}

/**
 * The statuses a Responses Object key stands for (OpenAPI 3.1 §4.8.16), as the runtime matches them: a code
 * itself; a range (`4XX`) the codes of its hundred that are not declared on their own (`StatusRange`, declared
 * once in the runtime); `default` any status, as `number` (TypeScript cannot take literals out of `number`).
 */
function statusType(status: string, responses: readonly ResponseModel[]): TypeNode {
  if (/^\d{3}$/.test(status)) return text(status);
  const range = /^([1-5])XX$/i.exec(status)?.[1];
  if (range === undefined) return text("number");
  const own = responses.map((r) => r.status).filter((s) => /^\d{3}$/.test(s) && s[0] === range);
  const all = ref("StatusRange", [literal(printString(range))]);
  return own.length === 0 ? all : ref("Exclude", [all, union(own.map(text))]);
}

/** Whether a type printed here names `StatusRange` (then `client.ts` imports it from the runtime). */
export function usesStatusRange(type: string): boolean {
  return type.includes("StatusRange<");
}

/** The helpers from `schema.ts` a type printed here names (`client.ts` imports them with `paths`). */
export function schemaHelpersOf(type: string): ("Readable" | "Writable")[] {
  return (["Readable", "Writable"] as const).filter((name) => type.includes(`${name}<`));
}

export function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}
