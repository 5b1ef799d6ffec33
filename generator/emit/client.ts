/**
 * IR → `client.ts`: one exported function per operation plus its `Args`, `Response` and `Error` types, the
 * typed `createClient`, the default client and `isApiErrorOf`. Built as ts-morph structures (plain objects).
 */
import {
  StructureKind,
  VariableDeclarationKind,
  type FunctionDeclarationStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import {
  defaultServerUrl,
  type ApiModel,
  type OperationModel,
  type SecuritySchemeModel,
} from "../model/ir.js";
import {
  argsOptional,
  argsTypeOf,
  errorTypeOf,
  operationTypeRef,
  operationTypeTarget,
  responseTypeOf,
  typeNamesIn,
} from "./operation-types.js";
import { metaNameOf } from "./operations-table.js";
import { printDocText, printIdentifier, printString } from "./print.js";

export function clientStatements(model: ApiModel): StatementStructures[] {
  const operations = model.operations.flatMap(operationStatements);
  const names = new Set(
    operations.flatMap((s) =>
      s.kind === StructureKind.TypeAlias ? [...typeNamesIn(String(s.type))] : [],
    ),
  );
  const schema = names.has("paths");
  const events = names.has("ServerSentEvent");
  const helpers = (["Readable", "Writable"] as const).filter((name) => names.has(name));
  const ranges = names.has("StatusRange");
  return [
    ...imports({ schema, events, helpers, ranges, model }),
    ...clientFactory(model),
    ...errorGuard(model),
    ...operations,
  ];
}

function imports({
  schema,
  events,
  helpers,
  ranges,
  model,
}: {
  schema: boolean;
  events: boolean;
  helpers: readonly string[];
  ranges: boolean;
  model: ApiModel;
}): StatementStructures[] {
  const schemaImport: StatementStructures = {
    kind: StructureKind.ImportDeclaration,
    isTypeOnly: true,
    moduleSpecifier: "./schema.js",
    namedImports: ["paths", ...helpers],
  };
  return [
    ...(schema ? [schemaImport] : []),
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "./runtime.js",
      namedImports: [
        "ApiError",
        "createRuntimeClient",
        "send",
        "type CallOptions",
        "type Client",
        "type ClientOptions",
        ...(model.securitySchemes.length > 0 ? ["type Credential"] : []),
        ...(model.securitySchemes.some((s) => credentialOf(s).startsWith("Basic"))
          ? ["type BasicCredentials"]
          : []),
        ...(events ? ["type ServerSentEvent"] : []),
        ...(ranges ? ["type StatusRange"] : []),
      ],
    },
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "./operations.js",
      namedImports: ["operations", "securitySchemes", ...model.operations.map(metaNameOf)],
    },
  ];
}

/** The credential a scheme's `apply` piece sends: http basic a user and password (or `user:password`), others a string. */
function credentialOf(scheme: SecuritySchemeModel): string {
  return scheme.type === "http" && scheme.scheme.toLowerCase() === "basic"
    ? "BasicCredentials | string"
    : "string";
}

function clientFactory(model: ApiModel): StatementStructures[] {
  const schemeNames = model.securitySchemes.map((s) => printString(s.name));
  const firstServers = model.operations.flatMap((o) => (o.servers ? [o.servers[0]!.url] : []));
  const operationServerUrls = [...new Set(firstServers)].sort().map(printString);
  // The URL the default client uses: the first server with its variables' defaults filled in.
  const firstServer = defaultServerUrl(model.servers[0]!);
  // The URL itself rather than `servers[0]`, so that a bundle does not keep the whole `servers` list.
  const defaultBaseUrl = printString(defaultServerUrl(model.servers[0]!));
  return [
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "SecuritySchemeName",
      type: schemeNames.length > 0 ? schemeNames.join(" | ") : "never",
      docs: ["The API's security schemes: the keys of `createClient({ auth })`."],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "SecurityCredentials",
      type:
        model.securitySchemes.length > 0
          ? `{ ${model.securitySchemes.map((s) => `readonly ${printString(s.name)}?: Credential<${credentialOf(s)}>;`).join(" ")} }`
          : "{}",
      docs: [
        "What each security scheme takes in `createClient({ auth })`: a token or key as a string, http basic `{ username, password }`; or a function returning it.",
      ],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "OperationServerUrl",
      type: operationServerUrls.length > 0 ? operationServerUrls.join(" | ") : "never",
      docs: [
        "The first server of each operation that declares its own, as written: the keys of `createClient({ operationServers })`.",
      ],
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "ApiClientOptions",
      type: "ClientOptions<SecuritySchemeName, OperationServerUrl, SecurityCredentials>",
      docs: ["The options of `createClient`: to type options built apart from the call."],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: "createClient",
      parameters: [
        {
          name: "options",
          type: "ApiClientOptions",
          initializer: "{}",
        },
      ],
      returnType: "Client",
      statements: [
        `return createRuntimeClient({ ...options, baseUrl: options.baseUrl ?? ${defaultBaseUrl}, securitySchemes });`,
      ],
      docs: [
        printDocText(
          `A client for ${model.title || "this API"}. \`baseUrl\` defaults to the first server in the spec, ${firstServer}.`,
        ),
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [
        { name: "defaultClient", type: "Client", initializer: "/* @__PURE__ */ createClient()" },
      ],
      docs: ["The client used by every operation called without `options.client`."],
    },
  ];
}

function errorGuard(model: ApiModel): StatementStructures[] {
  return [
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: "OperationErrors",
      properties: model.operations.map((o) => ({
        name: printIdentifier(o.functionName),
        type: `${o.typeName}Error`,
      })),
      docs: ["Each operation's declared error responses, by function name."],
    },
    {
      kind: StructureKind.Function,
      isExported: true,
      name: "isApiErrorOf",
      typeParameters: [{ name: "K", constraint: "keyof OperationErrors" }],
      parameters: [
        { name: "error", type: "unknown" },
        { name: "operation", type: "K" },
      ],
      returnType: "error is OperationErrors[K]",
      statements: [
        // Indexed through a record type so that a spec without operations still compiles.
        "const table: Readonly<Record<string, { readonly operationId: string }>> = operations;",
        "return error instanceof ApiError && error.declared && error.operationId === table[operation]?.operationId;",
      ],
      docs: [
        "Narrows a caught error to the `ApiError`s that `operation` declares; `switch (error.status)` then narrows `body`.",
      ],
    },
  ];
}

function operationStatements(operation: OperationModel): StatementStructures[] {
  const { typeName, functionName } = operation;
  const operationId = operation.operationId ?? functionName;
  const types = [
    typeAlias(
      `${typeName}Args`,
      argsTypeOf(operation),
      `The arguments of {@link ${functionName}}, grouped by where they go.`,
    ),
    typeAlias(
      `${typeName}Response`,
      responseTypeOf(operation),
      `What {@link ${functionName}} resolves to.`,
    ),
    typeAlias(
      `${typeName}Error`,
      errorTypeOf(operation, operationId),
      `The \`ApiError\`s {@link ${functionName}} may throw for a declared status.`,
    ),
  ];
  // One module-local alias per operation keeps each indexed access into `paths` short (and written once).
  const alias = operationTypeRef(operation);
  const used = types.some((t) => String(t.type).includes(alias));
  const local: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    name: printIdentifier(alias),
    type: operationTypeTarget(operation),
  };
  return [...(used ? [local] : []), ...types, operationFunction(operation)];
}

function typeAlias(name: string, type: string, doc: string): TypeAliasDeclarationStructure {
  return {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: printIdentifier(name),
    type,
    docs: [doc],
  };
}

function operationFunction(operation: OperationModel): FunctionDeclarationStructure {
  const name = printIdentifier(operation.functionName);
  const optional = argsOptional(operation);
  return {
    kind: StructureKind.Function,
    isExported: true,
    name,
    parameters: [
      {
        name: "args",
        type: `${operation.typeName}Args`,
        ...(optional ? { initializer: "{}" } : {}),
      },
      { name: "options", type: "CallOptions", hasQuestionToken: true },
    ],
    returnType: `Promise<${operation.typeName}Response>`,
    statements: [
      // Positional: this line is repeated in every operation a consumer bundles.
      `return send(${metaNameOf(operation)}, args, options, defaultClient);`,
    ],
    docs: [operationDoc(operation)],
  };
}

/** Summary, description, the `METHOD /path` line and `@deprecated`, all as neutralised doc text. */
function operationDoc(operation: OperationModel): string {
  const paragraphs = [operation.summary, operation.description]
    .filter((t): t is string => t !== null && t.trim() !== "")
    .map(printDocText);
  paragraphs.push(`\`${operation.method.toUpperCase()} ${printDocText(operation.path)}\``);
  if (operation.method === "trace")
    paragraphs.push(
      "`fetch` cannot send TRACE (the Fetch standard forbids the method): a call rejects with a `TypeError` and sends nothing.",
    );
  // The tag as a line of the text, not a ts-morph tag: ts-morph's JSDoc printer ends the comment early when a
  // description holding `/**` is followed by a tag (it printed ` * *\/@deprecated`).
  const tag = operation.deprecated ? "\n@deprecated" : "";
  return paragraphs.join("\n\n") + tag;
}
