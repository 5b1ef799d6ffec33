/**
 * IR → `operations.ts`: the `as const` metadata table the runtime sends from, and that generic tooling (mock
 * servers, permission checks, contract tests) can drive the client with; plus `servers` and `securitySchemes`.
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import {
  defaultServerUrl,
  type ApiModel,
  type EncodingModel,
  type OperationModel,
  type ParameterModel,
  type RequestBodyModel,
  type ResponseParse,
  type SecuritySchemeModel,
  type ServerModel,
} from "../model/ir.js";
import { isSuccess } from "./operation-types.js";
import {
  printDocText,
  printIdentifier,
  printKey,
  printValue,
  type PrintableValue,
} from "./print.js";

export function operationsTableStatements(model: ApiModel): StatementStructures[] {
  const readers = [...new Set(model.operations.flatMap((o) => Object.values(streamReadersOf(o))))];
  return [
    readers.length === 0
      ? {
          kind: StructureKind.ImportDeclaration,
          isTypeOnly: true,
          moduleSpecifier: "./runtime.js",
          namedImports: ["OperationMeta", "SecuritySchemeMeta"],
        }
      : {
          kind: StructureKind.ImportDeclaration,
          moduleSpecifier: "./runtime.js",
          namedImports: [...readers.sort(), "type OperationMeta", "type SecuritySchemeMeta"],
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
        references: streamsReference(o),
        satisfies: "OperationMeta",
        doc: `\`${o.method.toUpperCase()} ${printDocText(o.path)}\``,
      }),
    ),
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "operations", initializer: operationsTable(model) }],
      docs: ["Every operation's metadata, keyed by function name."],
    },
  ];
}

/**
 * One constant per operation, which the operation's function imports by name: a bundle that calls one
 * operation keeps one entry, where a single table object would keep all of them.
 */
export function metaNameOf(operation: OperationModel): string {
  return printIdentifier(`${operation.typeName}Meta`);
}

function operationsTable(model: ApiModel): string {
  const entries = model.operations.map(
    (o) => `${printIdentifier(o.functionName)}: ${metaNameOf(o)}`,
  );
  return `{ ${entries.join(", ")} } as const`;
}

function constant({
  name,
  value,
  references,
  satisfies,
  doc,
}: {
  name: string;
  value: PrintableValue;
  /** An extra last property whose value is code (a runtime function's name), not data. */
  references?: string | undefined;
  satisfies?: string;
  doc: string;
}): StatementStructures {
  let printed = printValue(value);
  if (references) printed = `${printed.slice(0, -2)}, ${references} }`;
  const initializer = `${printed} as const${satisfies ? ` satisfies ${satisfies}` : ""}`;
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
    docs: [doc],
  };
}

function operationMeta(operation: OperationModel): PrintableValue {
  return {
    operationId: operation.operationId ?? operation.functionName,
    method: operation.method.toUpperCase(),
    path: operation.path,
    parameters: operation.parameters.map(parameterMeta),
    requestBody: operation.requestBody ? requestBodyMeta(operation.requestBody) : null,
    responses: operation.responses.map((r) => ({
      status: r.status,
      contentTypes: r.contents.map((c) => c.mediaType),
    })),
    security: operation.security,
    ...(operation.servers ? { servers: operation.servers.map(serverTemplate) } : {}),
  };
}

function requestBodyMeta(body: RequestBodyModel): PrintableValue {
  const encodings = body.contents.flatMap((c) =>
    c.encoding ? [[c.mediaType, mapValues(c.encoding, partEncodingMeta)] as const] : [],
  );
  return {
    required: body.required,
    contentTypes: body.contents.map((c) => c.mediaType),
    ...(encodings.length > 0 ? { encoding: Object.fromEntries(encodings) } : {}),
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

/** The runtime's reader for each stream kind (`OperationMeta.streams`); fixed names, never spec text. */
const STREAM_READERS: Partial<Record<ResponseParse, string>> = {
  sse: "readEventStream",
  jsonl: "readJsonLines",
  "json-seq": "readJsonSeq",
};

/** Streamed media types of the success responses (lower case) → the runtime function that reads them. */
function streamReadersOf(operation: OperationModel): Record<string, string> {
  const readers: [string, string][] = [];
  for (const response of operation.responses.filter((r) => isSuccess(r.status)))
    for (const media of response.contents) {
      const reader = STREAM_READERS[media.kind];
      if (reader) readers.push([media.mediaType.split(";")[0]!.trim().toLowerCase(), reader]);
    }
  return Object.fromEntries(readers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `streams: { "text/event-stream": readEventStream }`: keys printed as data, values the runtime's names. */
function streamsReference(operation: OperationModel): string | undefined {
  const entries = Object.entries(streamReadersOf(operation));
  if (entries.length === 0) return undefined;
  return `streams: { ${entries.map(([type, reader]) => `${printKey(type)}: ${reader}`).join(", ")} }`;
}

function parameterMeta(parameter: ParameterModel): PrintableValue {
  const { name, in: location, required, style, explode, allowReserved, contentType } = parameter;
  return {
    name,
    in: location,
    required,
    style,
    explode,
    ...(allowReserved ? { allowReserved } : {}),
    ...(contentType !== null ? { contentType } : {}),
  };
}

function securitySchemeMeta(scheme: SecuritySchemeModel): PrintableValue {
  if (scheme.type === "http") return { type: "http", scheme: scheme.scheme };
  if (scheme.type === "apiKey")
    return { type: "apiKey", in: scheme.in, name: scheme.parameterName };
  return { type: scheme.type };
}

function serverTemplate(server: ServerModel): PrintableValue {
  const variables = server.variables.map(
    (v) => [v.name, { default: v.default, ...(v.enum ? { enum: v.enum } : {}) }] as const,
  );
  return { url: server.url, variables: Object.fromEntries(variables) };
}
