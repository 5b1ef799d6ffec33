/**
 * IR → `operations.ts`: the `as const` metadata table the runtime sends from, and that generic tooling (mock
 * servers, permission checks, contract tests) can drive the client with; plus `servers` and `securitySchemes`.
 *
 * Besides data, the metadata names the runtime's *pieces* (see `RuntimePiece`): the functions only some
 * operations need, so that a bundle keeps only those of the operations it calls.
 */
import {
  defaultServerUrl,
  type ApiModel,
  type EncodingModel,
  type OperationModel,
  type ParameterModel,
  type RequestBodyModel,
  type ResponseModel,
  type ResponseParse,
  type SecuritySchemeModel,
  type ServerModel,
} from "../model/ir.js";
import { isJsonRange } from "../model/build-operations.js";
import {
  arrayExpr,
  exportConst,
  identifier,
  jsDoc,
  moduleNames,
  objectExpr,
  stringExpr,
  Unsure,
  type Expr,
  type Statement,
} from "./layout.js";
import { isSuccess } from "./operation-types.js";
import {
  printDocText,
  printIdentifier,
  printKey,
  printString,
  printValue,
  type PrintableValue,
} from "./print.js";

/** `operations.ts`'s statements, laid out by `layout.ts` (prettier's printer, without parsing). */
export function operationsTableStatements(model: ApiModel): Statement[] {
  const names = [...piecesUsedBy(model).sort(), "type OperationMeta", "type SecuritySchemeMeta"];
  return [
    {
      doc: () => moduleNames("import", names, '"./runtime.js"'),
      source: () => `import { ${names.join(", ")} } from "./runtime.js";`,
    },
    constant({
      name: "servers",
      value: model.servers.map(defaultServerUrl),
      doc: "The spec's server URLs with every variable at its default, in spec order; the first is the default base URL.",
    }),
    constant({
      name: "serverTemplates",
      value: model.servers.map(serverTemplate),
      doc: "The spec's servers as written: URL templates with their variables (default and allowed values).",
    }),
    constant({
      name: "securitySchemes",
      value: Object.fromEntries(model.securitySchemes.map((s) => [s.name, securitySchemeMeta(s)])),
      satisfies: "Record<string, SecuritySchemeMeta>",
      doc: "The spec's security schemes, by name.",
    }),
    ...model.operations.map((o) =>
      constant({
        name: metaNameOf(o),
        value: operationMeta(o),
        satisfies: "OperationMeta",
        doc: `\`${o.method.toUpperCase()} ${printDocText(o.path)}\``,
      }),
    ),
    constant({
      name: "operations",
      value: Object.fromEntries(
        model.operations.map((o) => [
          printIdentifier(o.functionName),
          new MetaConstant(metaNameOf(o)),
        ]),
      ),
      doc: "Every operation's metadata, keyed by function name.",
    }),
  ];
}

/**
 * One constant per operation, which the operation's function imports by name: a bundle that calls one
 * operation keeps one entry, where a single table object would keep all of them.
 */
export function metaNameOf(operation: OperationModel): string {
  return printIdentifier(`${operation.typeName}Meta`);
}

/**
 * A runtime function the metadata references by name (a piece). Only the runtime's own export names are
 * pieces, never a spec string, so they are printed as they are.
 */
class RuntimePiece {
  constructor(readonly name: RuntimePieceName) {}
}

/** A constant of `operations.ts` itself, referenced by name (the `operations` table's entries). */
class MetaConstant {
  constructor(readonly name: string) {}
}

/** The runtime's pieces (exports of `generator/runtime/runtime.ts`). */
type RuntimePieceName =
  | "encodeBody"
  | "encodeForm"
  | "applyAuthorization"
  | "applyBasic"
  | "applyApiKey"
  | "queryParameter"
  | "headerParameter"
  | "cookieParameter"
  | "pathParameter"
  | "contentParameter"
  | "operationServer"
  | "readStream"
  | StreamReaderName;

type MetaValue =
  | PrintableValue
  | RuntimePiece
  | MetaConstant
  | readonly MetaValue[]
  | { readonly [key: string]: MetaValue };

/** `printValue`, and a piece or constant as its name: the source prettier is given for an `Unsure` statement. */
function printMeta(value: MetaValue): string {
  if (value instanceof RuntimePiece || value instanceof MetaConstant) return value.name;
  if (Array.isArray(value)) return `[${value.map(printMeta).join(", ")}]`;
  if (value === null || typeof value !== "object") return printValue(value as PrintableValue);
  const entries = Object.entries(value as Record<string, MetaValue>);
  return `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printMeta(v)}`).join(", ")} }`;
}

/** `printMeta`'s value as a document (`layout.ts`): every string through `printString`, keys through `printKey`. */
function metaExpr(value: MetaValue): Expr {
  if (value instanceof RuntimePiece || value instanceof MetaConstant) return identifier(value.name);
  if (Array.isArray(value)) return arrayExpr(value.map(metaExpr));
  if (value === null) return identifier("null");
  if (typeof value === "string") return stringExpr(printString(value));
  if (typeof value === "boolean") return { doc: String(value), kind: "boolean" };
  if (typeof value === "number") {
    const printed = printValue(value);
    if (!/^\d+$/.test(printed)) throw new Unsure(); // prettier rewrites some number forms; a sign is an operator
    return { doc: printed, kind: "number" };
  }
  const entries = Object.entries(value as Record<string, MetaValue>);
  return objectExpr(entries.map(([k, v]) => [printKey(k), metaExpr(v)]));
}

/** Every piece `operations.ts` names, once each, for its import. */
function piecesUsedBy(model: ApiModel): RuntimePieceName[] {
  const pieces = new Set<RuntimePieceName>();
  for (const scheme of model.securitySchemes) pieces.add(securityPiece(scheme).name);
  for (const operation of model.operations) {
    if (operation.requestBody) pieces.add(bodyPiece(operation.requestBody).name);
    for (const parameter of operation.parameters) {
      const piece = parameterPiece(parameter);
      if (piece) pieces.add(piece.name);
    }
    if (operation.servers) pieces.add("operationServer");
    const readers = Object.values(streamReadersOf(operation));
    if (readers.length > 0) pieces.add("readStream");
    for (const reader of readers) pieces.add(reader);
  }
  return [...pieces];
}

function constant({
  name,
  value,
  satisfies,
  doc,
}: {
  name: string;
  value: MetaValue;
  satisfies?: string;
  doc: string;
}): Statement {
  const suffix = ` as const${satisfies ? ` satisfies ${satisfies}` : ""}`;
  const comment = jsDoc(doc);
  return {
    doc: () => exportConst({ doc: comment, name, value: metaExpr(value), suffix }),
    source: () => `${comment}\nexport const ${name} = ${printMeta(value)}${suffix};`,
  };
}

/**
 * A response's media types, the one its type is declared by first: a response that names no `Content-Type` is
 * read as the first (`readBody`), and must then be read as its type says. The others in spec order. A range the
 * runtime reads as JSON (`*\/*`, `application/*`) whose schema is bytes (typed `Blob`) is listed as
 * `application/octet-stream`, what it is read as.
 */
function responseMediaTypes(response: ResponseModel): string[] {
  const listed = (media: ResponseModel["contents"][number]) =>
    media.kind === "blob" && isJsonRange(media.mediaType)
      ? "application/octet-stream"
      : media.mediaType;
  const { preferred } = response;
  const first = response.contents.filter((c) => c.mediaType === preferred);
  const types = [...first, ...response.contents.filter((c) => c.mediaType !== preferred)].map(
    listed,
  );
  return [...new Set(types)];
}

function operationMeta(operation: OperationModel): MetaValue {
  return {
    operationId: operation.operationId ?? operation.functionName,
    method: operation.method.toUpperCase(),
    path: operation.path,
    parameters: operation.parameters.map(parameterMeta),
    ...(operation.requestBody ? { requestBody: requestBodyMeta(operation.requestBody) } : {}),
    responses: Object.fromEntries(
      operation.responses.map((r) => [responseKey(r.status), responseMediaTypes(r)]),
    ),
    security: operation.security,
    ...(operation.servers
      ? {
          servers: operation.servers.map(serverTemplate),
          server: new RuntimePiece("operationServer"),
        }
      : {}),
    ...streamsMeta(operation),
  };
}

function requestBodyMeta(body: RequestBodyModel): MetaValue {
  const encodings = body.contents.flatMap((c) =>
    c.encoding ? [[c.mediaType, mapValues(c.encoding, partEncodingMeta)] as const] : [],
  );
  return {
    required: body.required,
    contentTypes: body.contents.map((c) => c.mediaType),
    // Data read only by the form encoder.
    ...(encodings.length > 0 ? { encoding: Object.fromEntries(encodings) } : {}),
    encode: bodyPiece(body),
  };
}

function partEncodingMeta(encoding: EncodingModel): PrintableValue {
  const { contentType, style, explode, allowReserved } = encoding;
  return {
    ...(contentType !== null ? { contentType } : {}),
    ...(style !== null ? { style } : {}),
    ...(explode !== null ? { explode } : {}),
    ...(allowReserved ? { allowReserved } : {}),
  };
}

function mapValues<T>(
  record: Record<string, T>,
  map: (value: T) => PrintableValue,
): Record<string, PrintableValue> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, map(v)]));
}

type StreamReaderName = "readEventStream" | "readJsonLines" | "readJsonSeq";

/** The runtime's reader for each stream kind (`OperationMeta.streams`). */
const STREAM_READERS: Partial<Record<ResponseParse, StreamReaderName>> = {
  sse: "readEventStream",
  jsonl: "readJsonLines",
  "json-seq": "readJsonSeq",
};

/** Streamed media types of the success responses (lower case) → the runtime function that reads them. */
function streamReadersOf(operation: OperationModel): Record<string, StreamReaderName> {
  const readers: [string, StreamReaderName][] = [];
  for (const response of operation.responses.filter((r) => isSuccess(r.status)))
    for (const media of response.contents) {
      const reader = STREAM_READERS[media.kind];
      if (reader) readers.push([media.mediaType.split(";")[0]!.trim().toLowerCase(), reader]);
    }
  return Object.fromEntries(readers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A status as the runtime looks it up: ranges upper case (`4XX`), `default` lower case. */
function responseKey(status: string): string {
  if (/^default$/i.test(status)) return "default";
  return status.toUpperCase();
}

/** `streams: { "text/event-stream": readEventStream }, read: readStream` for an operation that streams. */
function streamsMeta(operation: OperationModel): { [key: string]: MetaValue } {
  const entries = Object.entries(streamReadersOf(operation));
  if (entries.length === 0) return {};
  const streams = entries.map(([type, reader]) => [type, new RuntimePiece(reader)] as const);
  return { streams: Object.fromEntries(streams), read: new RuntimePiece("readStream") };
}

/**
 * Query, header and cookie parameters name the piece that sends them, and so do path parameters in style label or
 * matrix, or whose schema admits arrays or objects (`pathParameter`); scalar path parameters in style simple fill
 * the template, and a `content`-described parameter (of any location) is written in its media type by
 * `contentParameter`.
 */
function parameterMeta(parameter: ParameterModel): MetaValue {
  const { name, in: location, required, style, explode, allowReserved, contentType } = parameter;
  const serialize = parameterPiece(parameter);
  return {
    name,
    in: location,
    required,
    style,
    explode,
    ...(allowReserved ? { allowReserved } : {}),
    ...(contentType !== null ? { contentType } : {}),
    ...(serialize ? { serialize } : {}),
  };
}

function parameterPiece(parameter: ParameterModel): RuntimePiece | undefined {
  if (parameter.contentType !== null) return new RuntimePiece("contentParameter");
  if (parameter.in === "path" && parameter.style === "simple" && !parameter.structured)
    return undefined;
  return new RuntimePiece(`${parameter.in}Parameter`);
}

/** Form and multipart bodies need the form encoder; every other body the plain one. */
function bodyPiece(body: RequestBodyModel): RuntimePiece {
  const form = body.contents.some((c) => c.kind === "form" || c.kind === "multipart");
  return new RuntimePiece(form ? "encodeForm" : "encodeBody");
}

function securityPiece(scheme: SecuritySchemeModel): RuntimePiece {
  if (scheme.type === "apiKey") return new RuntimePiece("applyApiKey");
  const basic = scheme.type === "http" && /^basic$/i.test(scheme.scheme);
  return new RuntimePiece(basic ? "applyBasic" : "applyAuthorization");
}

function securitySchemeMeta(scheme: SecuritySchemeModel): MetaValue {
  const apply = securityPiece(scheme);
  if (scheme.type === "http") return { type: "http", scheme: scheme.scheme, apply };
  if (scheme.type === "apiKey")
    return { type: "apiKey", in: scheme.in, name: scheme.parameterName, apply };
  return { type: scheme.type, apply };
}

function serverTemplate(server: ServerModel): PrintableValue {
  const variables = server.variables.map(
    (v) => [v.name, { default: v.default, ...(v.enum ? { enum: v.enum } : {}) }] as const,
  );
  return { url: server.url, variables: Object.fromEntries(variables) };
}
