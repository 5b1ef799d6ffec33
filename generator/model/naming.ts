/**
 * Generated names are public API. Each rule here is order-independent: a name depends only on the operation
 * it names, never on what else the spec contains; when two operations still end up with the same name, the
 * IR builder reports every location instead of numbering them.
 */
import type { HttpMethod } from "./ir.js";

/**
 * Names an exported function must not take: ECMAScript reserved words, names with special meaning on a module
 * namespace object (`then` makes `await import()` call it), and the names the generated files export or import
 * themselves. A reserved name gets a trailing `_` (`delete` → `delete_`).
 */
const RESERVED = new Set([
  // ECMAScript reserved and strict-mode reserved words.
  ...[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
  ],
  ...[
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
  ],
  ...[
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
  ],
  ...[
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
  ],
  ...["arguments", "eval", "undefined", "NaN", "Infinity", "globalThis"],
  // Special on objects and module namespaces.
  ...["then", "constructor", "prototype", "__proto__", "toString", "valueOf", "hasOwnProperty"],
]);

/** Names the generated files define (client.ts, operations.ts, index.ts) or import (schema.ts). */
export const GENERATED_NAMES: ReadonlySet<string> = new Set([
  ...["paths", "components", "operations", "webhooks", "$defs", "OperationTypes"],
  ...[
    "servers",
    "serverTemplates",
    "securitySchemes",
    "createClient",
    "defaultClient",
    "isApiErrorOf",
    "OperationErrors",
  ],
  "SecuritySchemeName",
  "SecurityCredentials",
  "ApiClientOptions",
  "OperationServerUrl",
]);

/** Everything `generator/runtime/runtime.ts` exports (a test keeps this list equal to the module's exports). */
export const RUNTIME_NAMES: ReadonlySet<string> = new Set([
  ...["HttpMethod", "ParameterLocation", "ParameterStyle", "ParameterMeta", "RequestBodyMeta"],
  ...[
    "SecuritySchemeMeta",
    "OperationMeta",
    "BasicCredentials",
    "CredentialValue",
    "Credential",
    "HeadersLike",
  ],
  ...["ClientOptions", "RuntimeClientConfig", "Client", "CallOptions", "OperationArgs", "ApiError"],
  ...["RetryOptions", "Timers", "Middleware", "MiddlewareContext", "RequestSummary"],
  ...["SpecfetchError", "NetworkError", "TimeoutError", "AbortError", "ResponseParseError"],
  ...["StatusRange"],
  ...[
    "createRuntimeClient",
    "send",
    "withResponse",
    "percentEncode",
    "serializePath",
    "serializeQuery",
  ],
  ...["ServerTemplate", "ServerVariable", "ServerVariableValues", "serverUrl", "PartEncoding"],
  ...["StreamReader", "ServerSentEvent", "readEventStream", "readJsonLines", "readJsonSeq"],
  ...["RequestBody", "BodyEncoder", "RequestTarget", "ApplyCredential", "ParameterSerializer"],
  ...["encodeBody", "encodeForm", "applyAuthorization", "applyBasic", "applyApiKey"],
  ...["queryParameter", "headerParameter", "cookieParameter", "contentParameter", "pathParameter"],
  ...["ServerResolver", "operationServer", "BodyReader", "Call", "Received", "readStream"],
]);

/**
 * The suffixes of the names made from an operation's type stem: its exported types (`RevokeSessionByIdArgs`,
 * `…Response`, `…Error`), its local alias into `paths` (`…Operation`) and its metadata constant (`…Meta`).
 */
export const TYPE_SUFFIXES = ["Args", "Response", "Error", "Operation", "Meta"] as const;

function isReserved(name: string): boolean {
  return RESERVED.has(name) || GENERATED_NAMES.has(name) || RUNTIME_NAMES.has(name);
}

/** ASCII letters and digits only: anything else separates words (no lookalikes, no invisible characters). */
function words(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
}

function camelCase(parts: readonly string[]): string {
  return parts
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() : w[0]!.toUpperCase()) + w.slice(1))
    .join("");
}

/** A safe identifier from a list of words: leading digit → `_` prefix; reserved → `_` suffix. */
function toFunctionName(parts: readonly string[]): string {
  const name = camelCase(parts);
  const safe = /^[0-9]/.test(name) ? `_${name}` : name;
  return isReserved(safe) ? `${safe}_` : safe;
}

/**
 * `revokeSessionById` → `revokeSessionById`; `get-users` → `getUsers`; without an operationId (or one with no
 * letters or digits), `GET /users/{id}/posts` → `getUsersByIdPosts`.
 */
export function functionNameOf({
  operationId,
  method,
  path,
}: {
  operationId: string | null;
  method: HttpMethod;
  path: string;
}): string {
  const fromId = operationId === null ? [] : words(operationId);
  if (fromId.length > 0) return toFunctionName(fromId);
  const fromPath = path.split("/").flatMap((segment) => {
    const param = /^\{(.+)\}$/.exec(segment);
    return param ? ["By", ...words(param[1]!)] : words(segment);
  });
  return toFunctionName([method, ...fromPath]);
}

/**
 * `revokeSessionById` → `RevokeSessionById`; the `_` of a reserved name is dropped (`delete_` → `Delete`).
 * A stem whose types would shadow a name the generated files export gets `Operation` appended
 * (`api` → `ApiOperation`, since `ApiError` is the runtime's).
 */
export function typeNameOf(functionName: string): string {
  const stem = functionName.replace(/_$/, "");
  const pascal = stem[0]!.toUpperCase() + stem.slice(1);
  const clashes = TYPE_SUFFIXES.some((suffix) => isReserved(pascal + suffix));
  return clashes ? `${pascal}Operation` : pascal;
}
