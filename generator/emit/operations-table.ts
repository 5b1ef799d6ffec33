/**
 * IR → `operations.ts`: the `as const` metadata table the runtime sends from, and that generic tooling (mock
 * servers, permission checks, contract tests) can drive the client with; plus `servers` and `securitySchemes`.
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import {
  defaultServerUrl,
  type ApiModel,
  type OperationModel,
  type ParameterModel,
  type SecuritySchemeModel,
  type ServerModel,
} from "../model/ir.js";
import { printDocText, printIdentifier, printValue, type PrintableValue } from "./print.js";

export function operationsTableStatements(model: ApiModel): StatementStructures[] {
  return [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: "./runtime.js",
      namedImports: ["OperationMeta", "SecuritySchemeMeta"],
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
  satisfies,
  doc,
}: {
  name: string;
  value: PrintableValue;
  satisfies?: string;
  doc: string;
}): StatementStructures {
  const initializer = `${printValue(value)} as const${satisfies ? ` satisfies ${satisfies}` : ""}`;
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
    requestBody: operation.requestBody
      ? {
          required: operation.requestBody.required,
          contentTypes: operation.requestBody.contents.map((c) => c.mediaType),
        }
      : null,
    responses: operation.responses.map((r) => ({
      status: r.status,
      contentTypes: r.contents.map((c) => c.mediaType),
    })),
    security: operation.security,
  };
}

function parameterMeta(parameter: ParameterModel): PrintableValue {
  const { name, in: location, required, style, explode, allowReserved } = parameter;
  return {
    name,
    in: location,
    required,
    style,
    explode,
    ...(allowReserved ? { allowReserved } : {}),
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
