/**
 * Spec → IR. Walks the (validated) document once, resolving local `$ref`s, and reports what only makes sense
 * per operation: path templates against declared path parameters, duplicate operationIds, name collisions.
 */
import {
  escapeSegment,
  pointerOf,
  segmentsOf,
  type DiagnosticSink,
  type Locate,
} from "../diagnostics.js";
import { isObject, resolve, type Resolved } from "../load/refs.js";
import {
  createParameter,
  type ApiModel,
  type BodyEncoding,
  type EncodingModel,
  HTTP_METHODS,
  type HttpMethod,
  type MediaModel,
  type OperationModel,
  type ParameterLocation,
  type ParameterModel,
  type ParameterStyle,
  type RequestBodyModel,
  type ResponseModel,
  type ResponseParse,
  type SecuritySchemeModel,
  type SourceLocation,
  type ServerModel,
  type ServerVariableModel,
} from "./ir.js";
import { functionNameOf, typeNameOf } from "./naming.js";
import { markerReach } from "./read-write.js";
import { isScalarSchema } from "./scalar-schema.js";

const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];
const STYLES: readonly ParameterStyle[] = [
  "simple",
  "label",
  "matrix",
  "form",
  "spaceDelimited",
  "pipeDelimited",
  "deepObject",
];
/** The styles each location takes (OpenAPI 3.1 §4.8.12.4, the Style Values table; 3.2: no other combination). */
const STYLES_IN: Readonly<Record<ParameterLocation, readonly ParameterStyle[]>> = {
  path: ["simple", "label", "matrix"],
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  header: ["simple"],
  cookie: ["form"],
};

interface Context {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
  locate: Locate;
  /**
   * Whether to fill the IR's line:col now. False for JSON input, whose positions cost a second, YAML parse of the
   * whole file: they are then computed only if a diagnostic needs them (the sink locates on report).
   */
  eagerPositions?: boolean;
}

export function buildModel({ document, sink, locate, eagerPositions = true }: Context): ApiModel {
  const context = { document, sink, locate, eagerPositions };
  const info = isObject(document.info) ? document.info : {};
  const operations = collectOperations(context);
  checkUniqueness({ operations, sink, locate });
  const securitySchemes = buildSecuritySchemes(context);
  checkSecuritySchemeNames({ context, declared: new Set(securitySchemes.map((s) => s.name)) });
  return {
    title: stringOr(info.title, ""),
    version: stringOr(info.version, ""),
    servers: buildServers(document.servers),
    securitySchemes,
    operations: operations.sort((a, b) => compare(a.functionName, b.functionName)),
  };
}

function collectOperations(context: Context): OperationModel[] {
  const paths = isObject(context.document.paths) ? context.document.paths : {};
  const operations: OperationModel[] = [];
  for (const path of Object.keys(paths)) {
    const item = resolve(context.document, pointerOf(["paths", path]));
    if (!item || !isObject(item.value)) continue;
    reportUnsupportedMethods({ context, item: item as Resolved<Record<string, unknown>> });
    for (const method of HTTP_METHODS) {
      if (!isObject(item.value[method])) continue;
      const operation = buildOperation({
        context,
        path,
        method,
        pathItem: item as Resolved<Record<string, unknown>>,
      });
      operations.push(operation);
    }
  }
  return operations;
}

/** OpenAPI 3.2's `query` method and `additionalOperations` are not generated yet: say so, drop nothing silently. */
function reportUnsupportedMethods({
  context,
  item,
}: {
  context: Context;
  item: Resolved<Record<string, unknown>>;
}): void {
  for (const key of ["query", "additionalOperations"]) {
    if (item.value[key] === undefined) continue;
    context.sink.report({
      code: "unsupported-operation",
      severity: "warning",
      message: `\`${key}\` operations are not generated yet; skipped`,
      pointer: pointerOf([...segmentsOf(item.pointer), key]),
    });
  }
}

function buildOperation({
  context,
  path,
  method,
  pathItem,
}: {
  context: Context;
  path: string;
  method: HttpMethod;
  pathItem: Resolved<Record<string, unknown>>;
}): OperationModel {
  // Where the operation is written: a path item given by `$ref` (OpenAPI 3.1 `components/pathItems`) has its
  // request body, responses and diagnostics there, not under `paths` (a pointer does not follow a `$ref`).
  const pointer = pointerOf([...segmentsOf(pathItem.pointer), method]);
  const op = pathItem.value[method] as Record<string, unknown>;
  const operationId = typeof op.operationId === "string" ? op.operationId : null;
  const unreferable = operationId === null ? undefined : operationIdPointerProblem(operationId);
  if (unreferable !== undefined) {
    context.sink.report({
      code: "invalid-operation-id",
      message: `operationId ${JSON.stringify(operationId)} ${unreferable}`,
      pointer: `${pointer}/operationId`,
      hint: "openapi-typescript refers to an operation's type through a JSON pointer to its operationId: drop the % or #/",
    });
  }
  const functionName = functionNameOf({ operationId, method, path });
  const { parameters, ignoredHeaders } = mergeParameters({ context, pathItem, pointer });
  checkPathTemplate({ context, path, pointer, parameters });
  return {
    operationId,
    functionName,
    typeName: typeNameOf(functionName),
    method,
    path,
    parameters,
    ...(ignoredHeaders.length > 0 ? { ignoredHeaders } : {}),
    requestBody: bodyAllowed(context, { method, pointer })
      ? buildRequestBody(context, `${pointer}/requestBody`)
      : null,
    responses: buildResponses(context, { pointer: `${pointer}/responses`, method }),
    security: buildSecurity(op.security ?? context.document.security),
    servers: overridingServers(op, pathItem.value),
    summary: stringOr(op.summary, null),
    description: stringOr(op.description, null),
    deprecated: op.deprecated === true,
    tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string") : [],
    source: sourceOf(context, pointer),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters (OpenAPI 3.1 §4.8.12)

/**
 * Path-item parameters first, then the operation's; a parameter is identified by name + location, the operation
 * wins. Header parameters named Accept, Content-Type or Authorization are left out (`ignoredHeaders`).
 */
function mergeParameters({
  context,
  pathItem,
  pointer,
}: {
  context: Context;
  pathItem: Resolved<Record<string, unknown>>;
  pointer: string;
}): { parameters: ParameterModel[]; ignoredHeaders: string[] } {
  const merged = new Map<string, ParameterModel>();
  const ignored = new Set<string>();
  for (const base of [`${pathItem.pointer}`, pointer]) {
    const list = resolve(context.document, `${base}/parameters`);
    if (!list || !Array.isArray(list.value)) continue;
    list.value.forEach((_, i) => {
      const parameter = buildParameter(context, `${list.pointer}/${i}`);
      if (parameter && "ignored" in parameter) ignored.add(parameter.ignored);
      else if (parameter) merged.set(`${parameter.in} ${parameter.name}`, parameter);
    });
  }
  return { parameters: [...merged.values()], ignoredHeaders: [...ignored] };
}

/** OpenAPI 3.1 §4.8.12.1: a header parameter of one of these names "SHALL be ignored". */
const IGNORED_HEADERS = /^(accept|content-type|authorization)$/i;

function buildParameter(
  context: Context,
  pointer: string,
): ParameterModel | { ignored: string } | undefined {
  const resolved = resolve(context.document, pointer);
  if (!resolved || !isObject(resolved.value)) return undefined;
  const p = resolved.value;
  const at = resolved.pointer;
  if (p.in === "querystring") {
    context.sink.report({
      code: "unsupported-parameter",
      message:
        "OpenAPI 3.2 `in: querystring` parameters (the whole query string as one value) are not supported yet",
      pointer: `${at}/in`,
      hint: "describe the query with `in: query` parameters instead",
    });
    return undefined;
  }
  if (typeof p.name !== "string" || !LOCATIONS.includes(p.in as ParameterLocation)) {
    context.sink.report({
      code: "invalid-parameter",
      message: `a parameter needs a string \`name\` and \`in\` one of ${LOCATIONS.join(", ")}`,
      pointer: at,
    });
    return undefined;
  }
  const location = p.in as ParameterLocation;
  if (location === "header" && IGNORED_HEADERS.test(p.name)) {
    if (!context.sink.items.some((d) => d.pointer === at && d.code === "ignored-parameter"))
      context.sink.report({
        code: "ignored-parameter",
        severity: "warning",
        message: `header parameter ${JSON.stringify(p.name)} is ignored: OpenAPI says a header parameter named Accept, Content-Type or Authorization SHALL be ignored`,
        pointer: at,
        hint: "Content-Type follows the request body's media type, Authorization the security schemes (`auth`); any header can be set with `headers`",
      });
    return { ignored: p.name };
  }
  if (p.style !== undefined && !STYLES.includes(p.style as ParameterStyle)) {
    context.sink.report({
      code: "invalid-parameter",
      message: `unknown style ${JSON.stringify(p.style)}`,
      pointer: `${at}/style`,
    });
  } else if (p.style !== undefined && !STYLES_IN[location].includes(p.style as ParameterStyle)) {
    context.sink.report({
      code: "invalid-parameter",
      message: `style ${JSON.stringify(p.style)} is not defined for \`in: ${location}\``,
      pointer: `${at}/style`,
      hint: `${location} parameters take ${STYLES_IN[location].join(", ")} (OpenAPI 3.1 §4.8.12.4, Style Values)`,
    });
  }
  return createParameter({
    name: p.name,
    in: location,
    source: sourceOf(context, at),
    required: location === "path" ? true : p.required === true,
    ...(STYLES.includes(p.style as ParameterStyle) ? { style: p.style as ParameterStyle } : {}),
    ...(typeof p.explode === "boolean" ? { explode: p.explode } : {}),
    allowReserved: p.allowReserved === true,
    structured: !isScalarSchema(context.document, p.schema),
    contentType:
      isObject(p.content) && p.schema === undefined ? (mediaTypesOf(p.content)[0] ?? null) : null,
    deprecated: p.deprecated === true,
    description: stringOr(p.description, null),
  });
}

/** Every `{name}` in the path must be a declared path parameter and vice versa (OpenAPI 3.1 §4.8.8.1). */
function checkPathTemplate({
  context,
  path,
  pointer,
  parameters,
}: {
  context: Context;
  path: string;
  pointer: string;
  parameters: ParameterModel[];
}): void {
  const inTemplate = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  const declared = parameters.filter((p) => p.in === "path");
  for (const name of inTemplate) {
    if (declared.some((p) => p.name === name)) continue;
    context.sink.report({
      code: "undeclared-path-parameter",
      message: `path parameter {${name}} of ${path} is not declared`,
      pointer,
      hint: `add { name: ${name}, in: path, required: true } to the operation's or path item's parameters`,
    });
  }
  for (const parameter of declared) {
    if (inTemplate.includes(parameter.name)) continue;
    context.sink.report({
      code: "unused-path-parameter",
      message: `path parameter "${parameter.name}" does not appear in ${path}`,
      pointer: parameter.source.pointer,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies and responses (OpenAPI 3.1 §4.8.13, §4.8.16, §4.8.17)

/**
 * GET and HEAD cannot carry a body through `fetch` (it throws), and OpenAPI 3.0 says consumers SHALL ignore one
 * there (3.1: "no well-defined semantics"): the operation takes none. Stripe declares an optional, empty one on
 * every GET. A required one is a located warning: the server may expect what cannot be sent.
 */
function bodyAllowed(
  context: Context,
  { method, pointer }: { method: HttpMethod; pointer: string },
) {
  if (method !== "get" && method !== "head") return true;
  const body = resolve(context.document, `${pointer}/requestBody`);
  if (body && isObject(body.value) && body.value.required === true)
    context.sink.report({
      code: "ignored-request-body",
      severity: "warning",
      message: `a ${method.toUpperCase()} request cannot carry its required body (fetch refuses one): the operation is generated without it`,
      pointer: `${pointer}/requestBody`,
      hint: "send the data as parameters, or use POST",
    });
  return false;
}

function buildRequestBody(context: Context, pointer: string): RequestBodyModel | null {
  const resolved = resolve(context.document, pointer);
  if (!resolved || !isObject(resolved.value)) return null;
  const content = resolved.value.content;
  const contents = mediaTypesOf(content).map((mediaType): MediaModel<BodyEncoding> => {
    const media = isObject(content) ? content[mediaType] : undefined;
    // Text whose schema is an object or array (XML, CSV) is the caller's text to write, not JSON: bytes or a string.
    const kind =
      bodyEncodingOf(mediaType) === "text" &&
      !isScalarSchema(context.document, isObject(media) ? media.schema : undefined)
        ? "binary"
        : bodyEncodingOf(mediaType);
    // `style`, `explode` and `allowReserved` apply to multipart only since OpenAPI 3.1 (3.0: form bodies only).
    const styled = kind === "form" || !/^3\.0\./.test(String(context.document.openapi));
    const encoding =
      (kind === "form" || kind === "multipart") && isObject(media)
        ? encodingOf(media.encoding, styled)
        : {};
    if (kind === "multipart" && isObject(media))
      reportPartHeaders(
        context,
        pointerOf([...segmentsOf(resolved.pointer), "content", mediaType]),
      );
    const hidden = markedProperties(context, content, mediaType);
    return Object.keys(encoding).length > 0
      ? { mediaType, kind, encoding, ...hidden }
      : { mediaType, kind, ...hidden };
  });
  if (contents.length === 0) return null;
  return {
    required: resolved.value.required === true,
    contents,
    preferred: preferredMedia(contents)!,
  };
}

function buildResponses(
  context: Context,
  { pointer, method }: { pointer: string; method: HttpMethod },
): ResponseModel[] {
  const responses = resolve(context.document, pointer);
  if (!responses || !isObject(responses.value)) return [];
  const built: ResponseModel[] = [];
  for (const status of Object.keys(responses.value)) {
    if (status.startsWith("x-")) continue;
    const entry = pointerOf([...segmentsOf(responses.pointer), status]);
    if (!isResponseKey(status)) {
      context.sink.report({
        code: "invalid-status",
        severity: "warning",
        message: `response key ${JSON.stringify(status)} is not an HTTP status code (100-599), a range (1XX-5XX) or "default": no response can match it, and it is left out`,
        pointer: entry,
        hint: 'write the status as three digits, e.g. "200", or a range such as "4XX"',
      });
      continue;
    }
    const resolved = resolve(context.document, entry);
    if (!resolved || !isObject(resolved.value)) continue;
    const at = pointerOf([...segmentsOf(resolved.pointer), "content"]);
    const content = carriedContent(context, {
      method,
      status,
      entry,
      response: resolved as Resolved<Record<string, unknown>>,
    });
    const contents: MediaModel<ResponseParse>[] = mediaTypesOf(content).map((mediaType) => ({
      ...responseMedia(context, { mediaType, pointer: `${at}/${escapeSegment(mediaType)}` }),
      ...markedProperties(context, content, mediaType),
    }));
    built.push({
      status,
      description: stringOr(resolved.value.description, null),
      contents,
      preferred: preferredMedia(contents),
    });
  }
  return built.sort(
    (a, b) => statusRank(a.status) - statusRank(b.status) || compare(a.status, b.status),
  );
}

/**
 * A Responses Object key (OpenAPI 3.1 §4.8.16): an HTTP status code (RFC 9110 §15: 100 to 599), a range of them
 * (`2XX`), or `default`. Anything else ("007", "OK") matches no response, and would not even print as a type.
 */
export function isResponseKey(key: string): boolean {
  return key === "default" || /^[1-5](\d\d|XX)$/i.test(key);
}

/**
 * Why a response cannot carry content, or `null` when it can (RFC 9110): any response to HEAD (§9.3.2), 204 No
 * Content (§15.3.5), 205 Reset Content (§15.3.6) and 304 Not Modified (§15.4.5). The runtime never reads their
 * body (a call resolves `undefined`), so the model gives them none and the types say `undefined` too.
 */
function noContentReason({
  method,
  status,
}: {
  method: HttpMethod;
  status: string;
}): string | null {
  if (method === "head") return "a response to HEAD has no content (RFC 9110 §9.3.2)";
  const section = NO_CONTENT_STATUSES.get(status);
  return section === undefined ? null : `a ${status} response has no content (RFC 9110 ${section})`;
}

const NO_CONTENT_STATUSES: ReadonlyMap<string, string> = new Map([
  ["204", "§15.3.5"],
  ["205", "§15.3.6"],
  ["304", "§15.4.5"],
]);

/**
 * The response's `content`, or nothing for a response that cannot carry any. Declared content is then ignored
 * with a located warning, once per place however many operations share it: at the content for a status, at the
 * operation's own entry for HEAD when that is a shared response (another method may use its content).
 */
function carriedContent(
  context: Context,
  {
    method,
    status,
    entry,
    response,
  }: {
    method: HttpMethod;
    status: string;
    entry: string;
    response: Resolved<Record<string, unknown>>;
  },
): unknown {
  const why = noContentReason({ method, status });
  if (why === null) return response.value.content;
  if (mediaTypesOf(response.value.content).length === 0) return undefined;
  const pointer =
    method === "head" && response.pointer !== entry
      ? entry
      : pointerOf([...segmentsOf(response.pointer), "content"]);
  const reported = context.sink.items.some(
    (d) => d.code === "ignored-response-content" && d.pointer === pointer,
  );
  if (!reported)
    context.sink.report({
      code: "ignored-response-content",
      severity: "warning",
      message: `${why}: its declared content is ignored, the body is undefined`,
      pointer,
    });
  return undefined;
}

/** A response media type; for a stream of JSON items, whether an item is the schema or one of its elements. */
function responseMedia(
  context: Context,
  { mediaType, pointer }: { mediaType: string; pointer: string },
): MediaModel<ResponseParse> {
  const kind = responseParseOf(mediaType);
  // A range (`*/*`, `image/*`: Swagger 2.0's `type: file` without `produces`) of bytes: what arrives is a Blob.
  if (
    isMediaRange(mediaType) &&
    isBinarySchema(resolve(context.document, `${pointer}/schema`)?.value)
  )
    return { mediaType, kind: "blob" };
  if (kind !== "jsonl" && kind !== "json-seq") return { mediaType, kind };
  const media = resolve(context.document, pointer);
  if (media && isObject(media.value) && isObject(media.value.itemSchema))
    return { mediaType, kind, items: "element" };
  const schema = resolve(context.document, `${pointer}/schema`);
  if (!schema || !isObject(schema.value)) return { mediaType, kind, items: "unknown" };
  const type = schema.value.type;
  const array = type === "array" || (Array.isArray(type) && type.includes("array"));
  return { mediaType, kind, items: array ? "element" : "whole" };
}

/**
 * An Encoding Object's `headers` (extra part headers, OpenAPI 3.1 §4.8.15) are not sent: the runtime writes
 * multipart bodies with `FormData`, whose parts carry only a name, a file name and a Content-Type (which
 * `headers` may not set anyway). A located warning, once per media type however many operations share it.
 */
function reportPartHeaders(context: Context, mediaPointer: string): void {
  const encoding = resolve(context.document, `${mediaPointer}/encoding`);
  if (!encoding || !isObject(encoding.value)) return;
  for (const [property, entry] of Object.entries(encoding.value)) {
    const headers = isObject(entry) && isObject(entry.headers) ? entry.headers : {};
    const sent = Object.keys(headers).filter((name) => !/^content-type$/i.test(name));
    const pointer = pointerOf([...segmentsOf(encoding.pointer), property, "headers"]);
    if (sent.length === 0 || context.sink.items.some((d) => d.pointer === pointer)) continue;
    context.sink.report({
      code: "unsupported-part-headers",
      severity: "warning",
      message: `part headers of ${JSON.stringify(property)} (${sent.map((n) => JSON.stringify(n)).join(", ")}) are not sent: multipart bodies are written with FormData, which cannot carry them`,
      pointer,
    });
  }
}

/** Encoding Objects by property name (OpenAPI 3.1 §4.8.15); only the fields the client acts on. */
function encodingOf(encoding: unknown, styled: boolean): Record<string, EncodingModel> {
  if (!isObject(encoding)) return {};
  const entries = Object.entries(encoding).flatMap(([name, e]) => {
    if (!isObject(e)) return [];
    const model: EncodingModel = {
      contentType: stringOr(e.contentType, null),
      style:
        styled && STYLES.includes(e.style as ParameterStyle) ? (e.style as ParameterStyle) : null,
      explode: styled && typeof e.explode === "boolean" ? e.explode : null,
      allowReserved: styled && e.allowReserved === true,
    };
    return [[name, model] as const];
  });
  return Object.fromEntries(entries);
}

/**
 * `{ hidesProperties: true }` when the media type's schema reaches a property marked `readOnly` or `writeOnly`,
 * else nothing. Either mark matters in both directions: `schema.ts` wraps a readOnly property in `$Read` and a
 * writeOnly one in `$Write` wherever they are, so a request body must be `Writable` (which also unwraps
 * `$Write`) and a response `Readable` (which also unwraps `$Read`) as soon as it reaches either.
 */
function markedProperties(
  context: Context,
  content: unknown,
  mediaType: string,
): Pick<MediaModel<unknown>, "hidesProperties"> {
  const media = isObject(content) ? content[mediaType] : undefined;
  const schema = isObject(media) ? media.schema : undefined;
  const reach = markerReach(context.document);
  return reach(schema, "readOnly") || reach(schema, "writeOnly") ? { hidesProperties: true } : {};
}

function mediaTypesOf(content: unknown): string[] {
  return isObject(content) ? Object.keys(content) : [];
}

/** JSON first (what a caller most likely wants), else the first listed. */
function preferredMedia(contents: readonly MediaModel<unknown>[]): string | null {
  return (contents.find((c) => c.kind === "json") ?? contents[0])?.mediaType ?? null;
}

const JSON_MEDIA = /^(application|text)\/([\w.-]+\+)?json(\s*;|$)/i;

export function bodyEncodingOf(mediaType: string): BodyEncoding {
  if (JSON_MEDIA.test(mediaType)) return "json";
  if (/^application\/x-www-form-urlencoded/i.test(mediaType)) return "form";
  // Other multipart types (`multipart/mixed`, `multipart/related`) have no part encoding in OpenAPI beyond
  // form-data's: the caller sends the whole body, its boundary in the Blob's type or a `Content-Type` header.
  if (/^multipart\/form-data/i.test(mediaType)) return "multipart";
  if (/^multipart\//i.test(mediaType)) return "binary";
  if (/^text\//i.test(mediaType)) return "text";
  return "binary";
}

/**
 * `*\/*` and `application/*`: the ranges the runtime reads as JSON when no `Content-Type` comes (its
 * `declaredAs`), as their schema types them.
 */
export function isJsonRange(mediaType: string): boolean {
  return /^(\*|application)\/\*($|;)/i.test(mediaType);
}

/** `*\/*`, `image/*`: a media type range (RFC 9110 §12.5.1), not one media type. */
export function isMediaRange(mediaType: string): boolean {
  return /(^|\/)\*($|;)/.test(mediaType);
}

/** A string of bytes (`format: binary`; Swagger 2.0's `type: file` converted), not text or JSON. */
export function isBinarySchema(schema: unknown): boolean {
  if (!isObject(schema) || schema.format !== "binary") return false;
  return schema.type === undefined || [schema.type].flat().includes("string");
}

/**
 * A wildcard media type (Swagger 2.0's default any-type, `application/*`) says nothing about the bytes: the
 * declared type is the schema's, and the runtime parses whatever `Content-Type` actually arrives. A range whose
 * schema is bytes is a Blob (`responseMedia`).
 */
export function responseParseOf(mediaType: string): ResponseParse {
  const stream = streamParseOf(mediaType);
  if (stream) return stream;
  // Ranges as the runtime reads them (`readAs`): `*\/*` and `application/*` JSON, `text/*` text, others bytes.
  if (JSON_MEDIA.test(mediaType) || isJsonRange(mediaType)) return "json";
  if (/^(text\/|application\/([\w.-]+\+)?xml)/i.test(mediaType)) return "text";
  return "blob";
}

/** Sequential media types read item by item (OpenAPI 3.2 §4.15.3 "Sequential Media Types"). */
function streamParseOf(mediaType: string): ResponseParse | undefined {
  const essence = mediaType.split(";")[0]!.trim().toLowerCase();
  if (essence === "text/event-stream") return "sse";
  if (["application/x-ndjson", "application/jsonl", "application/x-jsonlines"].includes(essence))
    return "jsonl";
  if (essence === "application/json-seq") return "json-seq";
  return undefined;
}

/** Numeric statuses in order, then `1XX`…`5XX`, then `default`. */
function statusRank(status: string): number {
  if (/^\d{3}$/.test(status)) return Number(status);
  if (/^[1-5]XX$/i.test(status)) return 1000 + Number(status[0]);
  return 2000;
}

// ---------------------------------------------------------------------------------------------------------------
// Security, servers

/** Each requirement object is an alternative; its keys must all be satisfied. `{}` is "no authentication". */
/**
 * Every name in a Security Requirement Object must be a declared scheme (OpenAPI 3.1 §4.8.30): an undeclared
 * one could never be applied, and the credential would silently not be sent. Checked at every place it is written.
 */
function checkSecuritySchemeNames({
  context,
  declared,
}: {
  context: Context;
  declared: ReadonlySet<string>;
}): void {
  const places: { pointer: string; value: unknown }[] = [
    { pointer: "/security", value: context.document.security },
  ];
  const paths = isObject(context.document.paths) ? context.document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const op = isObject(item) ? item[method] : undefined;
      if (isObject(op))
        places.push({
          pointer: pointerOf(["paths", path, method, "security"]),
          value: op.security,
        });
    }
  }
  for (const { pointer, value } of places) {
    if (!Array.isArray(value)) continue;
    value.forEach((requirement, i) => {
      for (const name of isObject(requirement) ? Object.keys(requirement) : []) {
        if (declared.has(name)) continue;
        const similar = [...declared].find((d) => d.toLowerCase() === name.toLowerCase());
        context.sink.report({
          code: "unknown-security-scheme",
          message: `security scheme ${JSON.stringify(name)} is not declared in components.securitySchemes`,
          pointer: `${pointer}/${i}/${escapeSegment(name)}`,
          hint: similar
            ? `did you mean ${JSON.stringify(similar)}? (names are case-sensitive)`
            : "declare it under components.securitySchemes",
        });
      }
    });
  }
}

function buildSecurity(security: unknown): string[][] {
  if (!Array.isArray(security)) return [];
  return security.filter(isObject).map((requirement) => Object.keys(requirement).sort(compare));
}

function buildSecuritySchemes(context: Context): SecuritySchemeModel[] {
  const components = isObject(context.document.components) ? context.document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  return Object.keys(schemes)
    .sort(compare)
    .flatMap((name) => {
      const resolved = resolve(
        context.document,
        pointerOf(["components", "securitySchemes", name]),
      );
      const scheme =
        resolved && isObject(resolved.value) ? securitySchemeOf(name, resolved.value) : undefined;
      return scheme ? [scheme] : [];
    });
}

function securitySchemeOf(
  name: string,
  s: Record<string, unknown>,
): SecuritySchemeModel | undefined {
  if (s.type === "http")
    return {
      name,
      type: "http",
      scheme: stringOr(s.scheme, "bearer").toLowerCase(),
      bearerFormat: stringOr(s.bearerFormat, null),
    };
  if (s.type === "apiKey" && (s.in === "header" || s.in === "query" || s.in === "cookie")) {
    return { name, type: "apiKey", in: s.in, parameterName: stringOr(s.name, "") };
  }
  if (s.type === "oauth2" || s.type === "openIdConnect" || s.type === "mutualTLS")
    return { name, type: s.type };
  return undefined;
}

function buildServers(servers: unknown): ServerModel[] {
  const list = serverObjects(servers);
  // OpenAPI 3.1 §4.8.1: without servers, the default is a server with url "/".
  return list.length > 0 ? list : [{ url: "/", description: null, variables: [] }];
}

/** Operation-level servers override path-level ones, which override the document's (§4.8.9, §4.8.10). */
function overridingServers(
  operation: Record<string, unknown>,
  pathItem: Record<string, unknown>,
): ServerModel[] | null {
  const own = serverObjects(operation.servers);
  if (own.length > 0) return own;
  const fromPath = serverObjects(pathItem.servers);
  return fromPath.length > 0 ? fromPath : null;
}

function serverObjects(servers: unknown): ServerModel[] {
  const list = Array.isArray(servers)
    ? servers.filter(isObject).filter((s) => typeof s.url === "string")
    : [];
  return list.map((s) => ({
    url: s.url as string,
    description: stringOr(s.description, null),
    variables: serverVariables(s.variables),
  }));
}

function serverVariables(variables: unknown): ServerVariableModel[] {
  if (!isObject(variables)) return [];
  return Object.entries(variables).flatMap(([name, v]) => {
    if (!isObject(v)) return [];
    const values = Array.isArray(v.enum)
      ? v.enum.filter((e): e is string => typeof e === "string")
      : null;
    return [{ name, default: stringOr(v.default, values?.[0] ?? ""), enum: values }];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Uniqueness (generated names are public API: collisions are errors listing every place, never numbered)

function sourceOf(context: Context, pointer: string): SourceLocation {
  return {
    pointer,
    ...(context.eagerPositions !== false ? context.locate(pointer) : { line: 0, col: 0 }),
  };
}

function checkUniqueness({
  operations,
  sink,
  locate,
}: {
  operations: OperationModel[];
  sink: DiagnosticSink;
  locate: Locate;
}): void {
  const withId = operations.filter((o) => o.operationId !== null);
  reportGroups({
    sink,
    locate,
    code: "duplicate-operation-id",
    groups: groupBy(withId, (o) => o.operationId!),
    what: (key) => `operationId ${JSON.stringify(key)}`,
  });
  renameCollisions(operations);
  const what = (key: string) => `generated function name ${key}`;
  reportGroups({
    sink,
    locate,
    code: "name-collision",
    groups: groupBy(operations, (o) => o.functionName),
    what,
    skipSameId: true,
  });
  // Distinct function names whose type stems still meet (`api` → `ApiOperation`, and `apiOperation`).
  const typeGroups = groupBy(operations, (o) => o.typeName);
  for (const [key, group] of typeGroups)
    if (new Set(group.map((o) => o.functionName)).size < group.length) typeGroups.delete(key);
  reportGroups({
    sink,
    locate,
    code: "name-collision",
    groups: typeGroups,
    what: (key) => `generated type name ${key}Args`,
    skipSameId: true,
  });
}

/**
 * Distinct operationIds that sanitise to the same name (`create`, `create_`, `create-`) are all named from
 * method and path instead (`getFoo`, `patchFoo`, `postFoo`). The rule looks only at the colliding set, never
 * at spec order; whatever still collides afterwards is reported.
 */
function renameCollisions(operations: OperationModel[]): void {
  for (const group of groupBy(operations, (o) => o.functionName).values()) {
    if (group.length < 2 || new Set(group.map((o) => o.operationId)).size < group.length) continue;
    for (const operation of group) {
      if (operation.operationId === null) continue;
      operation.functionName = functionNameOf({
        operationId: null,
        method: operation.method,
        path: operation.path,
      });
      operation.typeName = typeNameOf(operation.functionName);
    }
  }
}

function reportGroups({
  sink,
  locate,
  code,
  groups,
  what,
  skipSameId = false,
}: {
  sink: DiagnosticSink;
  locate: Locate;
  code: string;
  groups: Map<string, OperationModel[]>;
  what: (key: string) => string;
  skipSameId?: boolean;
}): void {
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    // Two operations with the same operationId are already reported as duplicates.
    if (skipSameId && new Set(group.map((o) => o.operationId)).size === 1) continue;
    const places = group
      .map((o) => `${o.method.toUpperCase()} ${o.path} (${placeOf(o, locate)})`)
      .join(", ");
    for (const operation of group) {
      sink.report({
        code,
        message: `${what(key)} is used by ${group.length} operations: ${places}`,
        pointer: operation.source.pointer,
        hint: "give each operation a distinct operationId",
      });
    }
  }
}

function placeOf(operation: OperationModel, locate: Locate): string {
  const { line, col } =
    operation.source.line > 0 ? operation.source : locate(operation.source.pointer);
  return `${line}:${col}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function stringOr<T extends string | null>(value: unknown, fallback: T): string | T {
  return typeof value === "string" ? value : fallback;
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * openapi-typescript types `paths[path][method]` as `operations[<operationId>]`, read back from the pointer
 * `#/operations/<operationId>` by `@redocly/openapi-core`'s `parseRef`, which percent-decodes it and cuts it at
 * `#/`: an operationId with a `%` either throws (`%zz`, no location) or names another key (`get%41` →
 * `operations["getA"]`, which does not exist, so the operation's types silently become `any` under the
 * generated `@ts-nocheck`), and so does one with `#/` (`x#/createB` → `operations["x//createB"]`).
 */
function operationIdPointerProblem(operationId: string): string | undefined {
  if (operationId.includes("%")) return 'has a "%", which openapi-typescript would percent-decode';
  if (operationId.includes("#/"))
    return 'has "#/", where openapi-typescript would cut it as a JSON pointer';
  return undefined;
}
