/**
 * IR → `client.ts`: one exported function per operation plus its `Args`, `Response` and `Error` types, the
 * typed `createClient`, the default client and `isApiErrorOf`. Printed already formatted (`layout.ts`).
 */
import { defaultServerUrl, type ApiModel, type OperationModel } from "../model/ir.js";
import {
  group,
  hardline,
  indent,
  join,
  jsDoc,
  line,
  moduleNames,
  stringLiteral,
  type Doc,
  type Statement,
} from "./layout.js";
import {
  argsOptional,
  argsTypeOf,
  errorTypeOf,
  operationTypeRef,
  operationTypeTarget,
  responseTypeOf,
} from "./operation-types.js";
import { metaNameOf } from "./operations-table.js";
import { printDocText, printIdentifier, printString } from "./print.js";
import { literal, namesIn, text, typeAliasDoc, typeText, union, type TypeNode } from "./types.js";
import { builders } from "prettier/doc";

export function clientStatements(model: ApiModel): Statement[] {
  const operations = model.operations.map(operationParts);
  const names = new Set<string>();
  for (const { types } of operations) for (const { type } of types) namesIn(type, names);
  const helpers = (["Readable", "Writable"] as const).filter((name) => names.has(name));
  return [
    ...imports({
      schema: operations.some((o) => o.local),
      events: names.has("ServerSentEvent"),
      helpers,
      ranges: names.has("StatusRange"),
      model,
    }),
    ...clientFactory(model),
    ...errorGuard(model),
    ...operations.flatMap(operationStatements),
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
}): Statement[] {
  const runtime = [
    "ApiError",
    "createRuntimeClient",
    "send",
    "type CallOptions",
    "type Client",
    "type ClientOptions",
    ...(events ? ["type ServerSentEvent"] : []),
    ...(ranges ? ["type StatusRange"] : []),
  ];
  const operations = ["operations", "securitySchemes", ...model.operations.map(metaNameOf)];
  return [
    ...(schema ? [importStatement("import type", ["paths", ...helpers], "./schema.js")] : []),
    importStatement("import", runtime, "./runtime.js"),
    importStatement("import", operations, "./operations.js"),
  ];
}

function importStatement(head: string, names: readonly string[], from: string): Statement {
  return {
    doc: () => moduleNames(head, names, printString(from)),
    source: () => `${head} { ${names.join(", ")} } from ${printString(from)};`,
  };
}

const GUARD_DOC =
  "Narrows a caught error to the `ApiError`s that `operation` declares; `switch (error.status)` then narrows `body`.";

const GUARD = `export function isApiErrorOf<K extends keyof OperationErrors>(
  error: unknown,
  operation: K,
): error is OperationErrors[K] {
  const table: Readonly<Record<string, { readonly operationId: string }>> = operations;
  return (
    error instanceof ApiError &&
    error.declared &&
    error.operationId === table[operation]?.operationId
  );
}`;

/**
 * `createClient`, whose one spec string is the default base URL, in `baseUrl: options.baseUrl ?? "<url>"`: the
 * document prettier builds for it (a call whose one object argument hugs its parentheses, `print/call-arguments.js`;
 * a `??` that breaks after the colon first, `print/assignment.js`).
 */
function createClientDoc(defaultBaseUrl: string): Doc {
  const { conditionalGroup, ifBreak, lineSuffixBoundary, softline } = builders;
  const object = group([
    "{",
    indent([
      line,
      "...options",
      ",",
      line,
      group([
        "baseUrl:",
        group(
          indent([
            line,
            group(["options.baseUrl", " ", group(["??", line, stringLiteral(defaultBaseUrl)])]),
          ]),
        ),
      ]),
      ",",
      line,
      "securitySchemes",
    ]),
    ifBreak(","),
    line,
    "}",
  ]);
  return [
    "export function createClient",
    group([
      "(",
      indent([
        softline,
        "options: ClientOptions",
        group([
          "<",
          indent([softline, "SecuritySchemeName,", line, "OperationServerUrl"]),
          softline,
          ">",
        ]),
        " = {}",
      ]),
      ifBreak(","),
      softline,
      "): Client",
    ]),
    " {",
    indent([
      hardline,
      "return createRuntimeClient",
      lineSuffixBoundary,
      conditionalGroup([
        ["(", object, ")"],
        ["(", group(object, { shouldBreak: true }), ")"],
        group(["(", indent([line, object]), ifBreak(","), line, ")"], { shouldBreak: true }),
      ]),
      ";",
    ]),
    hardline,
    "}",
  ];
}

function clientFactory(model: ApiModel): Statement[] {
  const schemeNames = model.securitySchemes.map((s) => literal(printString(s.name)));
  const firstServers = model.operations.flatMap((o) => (o.servers ? [o.servers[0]!.url] : []));
  const operationServerUrls = [...new Set(firstServers)]
    .sort()
    .map((url) => literal(printString(url)));
  const firstServer = model.servers[0]!.url;
  // The URL itself rather than `servers[0]`, so that a bundle does not keep the whole `servers` list.
  const defaultBaseUrl = printString(defaultServerUrl(model.servers[0]!));
  const factoryDoc = jsDoc(
    printDocText(
      `A client for ${model.title || "this API"}. \`baseUrl\` defaults to the first server in the spec, ${firstServer}.`,
    ),
  );
  return [
    typeAliasStatement({
      name: "SecuritySchemeName",
      type: schemeNames.length > 0 ? union(schemeNames) : text("never"),
      doc: "The API's security schemes: the keys of `createClient({ auth })`.",
    }),
    typeAliasStatement({
      name: "OperationServerUrl",
      type: operationServerUrls.length > 0 ? union(operationServerUrls) : text("never"),
      doc: "The first server of each operation that declares its own, as written: the keys of `createClient({ operationServers })`.",
    }),
    {
      doc: () => [factoryDoc, hardline, createClientDoc(defaultBaseUrl)],
      source: () =>
        `${factoryDoc}
export function createClient(options: ClientOptions<SecuritySchemeName, OperationServerUrl> = {}): Client {
  return createRuntimeClient({ ...options, baseUrl: options.baseUrl ?? ${defaultBaseUrl}, securitySchemes });
}`,
      spaced: true,
    },
    {
      doc: () =>
        [
          jsDoc("The client used by every operation called without `options.client`."),
          hardline,
          "export const defaultClient: Client = /* @__PURE__ */ createClient();",
        ] satisfies Doc,
      source: () =>
        `${jsDoc("The client used by every operation called without `options.client`.")}\nexport const defaultClient: Client = /* @__PURE__ */ createClient();`,
    },
  ];
}

function errorGuard(model: ApiModel): Statement[] {
  const members = model.operations.map(
    (o) => `  ${printIdentifier(o.functionName)}: ${printIdentifier(`${o.typeName}Error`)};`,
  );
  const comment = jsDoc("Each operation's declared error responses, by function name.");
  const body = members.length === 0 ? "{}" : `{\n${members.join("\n")}\n}`;
  return [
    {
      // Members that do not fit stay on their line: a name and a type reference have nowhere to break.
      doc: () => [comment, hardline, `export interface OperationErrors ${body}`],
      source: () => `${comment}\nexport interface OperationErrors ${body}`,
      spaced: true,
    },
    // `table` is indexed through a record type so that a spec without operations still compiles. Fixed code,
    // as prettier lays it out (test/layout.test.ts).
    {
      doc: () => [jsDoc(GUARD_DOC), hardline, GUARD],
      source: () => `${jsDoc(GUARD_DOC)}\n${GUARD}`,
      spaced: true,
    },
  ];
}

interface OperationParts {
  operation: OperationModel;
  /** The module-local alias of the operation's type in `paths`, when a type uses it. */
  local: TypeNode | undefined;
  types: { name: string; type: TypeNode; doc: string }[];
}

function operationParts(operation: OperationModel): OperationParts {
  const { typeName, functionName } = operation;
  const operationId = operation.operationId ?? functionName;
  const types = [
    {
      name: `${typeName}Args`,
      type: argsTypeOf(operation),
      doc: `The arguments of {@link ${functionName}}, grouped by where they go.`,
    },
    {
      name: `${typeName}Response`,
      type: responseTypeOf(operation),
      doc: `What {@link ${functionName}} resolves to.`,
    },
    {
      name: `${typeName}Error`,
      type: errorTypeOf(operation, operationId),
      doc: `The \`ApiError\`s {@link ${functionName}} may throw for a declared status.`,
    },
  ];
  // One module-local alias per operation keeps each indexed access into `paths` short (and written once).
  const alias = operationTypeRef(operation);
  const used = types.some((t) => namesIn(t.type).has(alias));
  return { operation, local: used ? operationTypeTarget(operation) : undefined, types };
}

function operationStatements({ operation, local, types }: OperationParts): Statement[] {
  const alias = printIdentifier(operationTypeRef(operation));
  return [
    ...(local ? [typeAliasStatement({ name: alias, type: local, exported: false })] : []),
    ...types.map((t) => typeAliasStatement({ ...t, name: printIdentifier(t.name) })),
    operationFunction(operation),
  ];
}

function typeAliasStatement({
  name,
  type,
  doc,
  exported = true,
}: {
  name: string;
  type: TypeNode;
  doc?: string;
  exported?: boolean;
}): Statement {
  const comment = doc === undefined ? undefined : jsDoc(doc);
  const head = comment === undefined ? [] : [comment, hardline];
  return {
    doc: () => [...head, typeAliasDoc({ name, type, exported })],
    source: () =>
      `${comment === undefined ? "" : `${comment}\n`}${exported ? "export " : ""}type ${name} = ${typeText(type)};`,
  };
}

/**
 * `export function name(args: NameArgs, options?: CallOptions): Promise<NameResponse> { return send({…}); }`
 * (`print/function.js`, `print/function-parameters.js`; the call's one object argument hugs its parentheses,
 * `print/call-arguments.js`).
 */
function operationFunction(operation: OperationModel): Statement {
  const name = printIdentifier(operation.functionName);
  const args = `args: ${printIdentifier(`${operation.typeName}Args`)}${argsOptional(operation) ? " = {}" : ""}`;
  const returns = `Promise<${printIdentifier(`${operation.typeName}Response`)}>`;
  const meta = metaNameOf(operation);
  const comment = jsDoc(operationDoc(operation));
  return {
    doc: () => [
      comment,
      hardline,
      "export function ",
      name,
      group([
        "(",
        indent([builders.softline, args, ",", line, "options?: CallOptions"]),
        builders.ifBreak(","),
        builders.softline,
        "): ",
        returns,
      ]),
      " {",
      indent([
        hardline,
        "return send(",
        group([
          "{",
          indent([
            line,
            join(
              [",", line],
              [property("operation", meta), "args", "options", property("client", "defaultClient")],
            ),
          ]),
          builders.ifBreak(","),
          line,
          "}",
        ]),
        ");",
      ]),
      hardline,
      "}",
    ],
    source: () =>
      `${comment}\nexport function ${name}(${args}, options?: CallOptions): ${returns} {\n  return send({ operation: ${meta}, args, options, client: defaultClient });\n}`,
    spaced: true,
  };
}

/** `key: identifier` in an object literal: the "fluid" layout of `print/assignment.js`. */
function property(key: string, value: string): Doc {
  const id = Symbol("assignment");
  return group([
    key,
    ":",
    group(indent(line), { id }),
    builders.lineSuffixBoundary,
    builders.indentIfBreak(value, { groupId: id }),
  ]);
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
  return `${paragraphs.join("\n\n")}${operation.deprecated ? "\n@deprecated" : ""}`;
}
