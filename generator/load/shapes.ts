/**
 * The shapes of the objects a client is built from (OpenAPI 3.1 §4.8): a path item, an operation, its
 * `parameters`, `requestBody`, `responses` and their `content`, a `schema`, a `security` requirement. The IR skips
 * what is not of its shape, so without these checks a typo would silently drop an operation, a response or the
 * credentials (`security: { bearerAuth: [] }` instead of a list: no token sent), and a wrong type would crash
 * openapi-typescript without a location. Each is a located `invalid-field` error.
 */
import { closest, escapeSegment, pointerOf, type DiagnosticSink } from "../diagnostics.js";
import { HTTP_METHODS } from "../model/ir.js";
import { isObject } from "./refs.js";

/** A top-level key that is `paths` misspelt (`pathz`, `Paths`), not an `x-` extension; `undefined` if none. */
export function misspeltPaths(document: Record<string, unknown>): string | undefined {
  return Object.keys(document).find(
    (key) => !key.startsWith("x-") && closest(key, ["paths"]) === "paths",
  );
}

/** The operations of a path item: OpenAPI 3.2 adds `query` (not generated yet, but still of its shape). */
const METHODS = [...HTTP_METHODS, "query"];

type Report = (pointer: string, message: string, hint?: string) => void;

export function validateShapes({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  const report: Report = (pointer, message, hint) =>
    sink.report({ code: "invalid-field", message, pointer, ...(hint ? { hint } : {}) });
  if (document.paths === undefined) {
    const typo = misspeltPaths(document);
    if (typo !== undefined)
      report(
        `/${escapeSegment(typo)}`,
        `${JSON.stringify(typo)} is not an OpenAPI field`,
        "did you mean `paths`?",
      );
  }
  checkSecurity(document.security, "/security", report);
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith("x-")) continue; // an extension: its value is anything
    const at = pointerOf(["paths", path]);
    if (!isObject(item)) {
      report(at, `the path item of ${JSON.stringify(path)} must be an object`);
      continue;
    }
    checkParameters(item.parameters, `${at}/parameters`, report);
    for (const method of METHODS) {
      if (!(method in item)) continue;
      const operation = item[method];
      const where = `${at}/${method}`;
      if (!isObject(operation)) {
        report(where, `\`${method}\` of ${JSON.stringify(path)} must be an Operation Object`);
        continue;
      }
      checkOperation(operation, where, report);
    }
  }
  const components = isObject(document.components) ? document.components : {};
  for (const [kind, check] of [
    ["parameters", checkParameter],
    ["requestBodies", checkBody],
    ["responses", checkResponse],
  ] as const) {
    const map = isObject(components[kind]) ? components[kind] : {};
    for (const [name, value] of Object.entries(map))
      check(value, pointerOf(["components", kind, name]), report);
  }
}

function checkOperation(operation: Record<string, unknown>, at: string, report: Report): void {
  if (operation.operationId !== undefined && typeof operation.operationId !== "string")
    report(`${at}/operationId`, "`operationId` must be a string");
  checkParameters(operation.parameters, `${at}/parameters`, report);
  if (operation.requestBody !== undefined)
    checkBody(operation.requestBody, `${at}/requestBody`, report);
  if (operation.responses !== undefined) {
    if (!isObject(operation.responses))
      report(`${at}/responses`, "`responses` must be an object of Response Objects by status");
    else
      for (const [status, response] of Object.entries(operation.responses))
        if (!status.startsWith("x-"))
          checkResponse(response, `${at}/responses/${escapeSegment(status)}`, report);
  }
  checkSecurity(operation.security, `${at}/security`, report);
}

function checkParameters(parameters: unknown, at: string, report: Report): void {
  if (parameters === undefined) return;
  if (!Array.isArray(parameters)) return report(at, "`parameters` must be a list");
  parameters.forEach((parameter, i) => checkParameter(parameter, `${at}/${i}`, report));
}

function checkParameter(parameter: unknown, at: string, report: Report): void {
  if (!isObject(parameter)) return report(at, "a parameter must be a Parameter Object");
  checkSchema(parameter.schema, `${at}/schema`, report);
  checkContent(parameter.content, `${at}/content`, report);
}

function checkBody(body: unknown, at: string, report: Report): void {
  if (!isObject(body)) return report(at, "`requestBody` must be a Request Body Object");
  checkContent(body.content, `${at}/content`, report);
}

function checkResponse(response: unknown, at: string, report: Report): void {
  if (!isObject(response)) return report(at, "a response must be a Response Object");
  checkContent(response.content, `${at}/content`, report);
}

/** `content`: media types (keys) to Media Type Objects, each with an optional `schema`. */
function checkContent(content: unknown, at: string, report: Report): void {
  if (content === undefined) return;
  if (!isObject(content))
    return report(
      at,
      "`content` must be an object of media types",
      "e.g. `content: { application/json: { schema: … } }`",
    );
  for (const [type, media] of Object.entries(content)) {
    const where = `${at}/${escapeSegment(type)}`;
    if (!isObject(media))
      report(where, `the Media Type Object of ${JSON.stringify(type)} must be an object`);
    else checkSchema(media.schema, `${where}/schema`, report);
  }
}

/** A Schema Object is an object (or, in OpenAPI 3.1, a boolean). */
function checkSchema(schema: unknown, at: string, report: Report): void {
  if (schema !== undefined && !isObject(schema) && typeof schema !== "boolean")
    report(at, "`schema` must be a Schema Object");
}

/**
 * `security`: a list of Security Requirement Objects, each mapping scheme names to a list of scopes
 * (OpenAPI 3.1 §4.8.30). Anything else would leave the operations without credentials, silently.
 */
function checkSecurity(security: unknown, at: string, report: Report): void {
  if (security === undefined) return;
  const hint =
    "e.g. `security: [{ bearerAuth: [] }]`: a list of requirements, each scheme with its scopes";
  if (!Array.isArray(security))
    return report(at, "`security` must be a list of Security Requirement Objects", hint);
  security.forEach((requirement, i) => {
    if (!isObject(requirement))
      return report(
        `${at}/${i}`,
        "a security requirement must be an object of scheme names to scopes",
        hint,
      );
    for (const [name, scopes] of Object.entries(requirement))
      if (!Array.isArray(scopes))
        report(
          `${at}/${i}/${escapeSegment(name)}`,
          `the scopes of ${JSON.stringify(name)} must be a list`,
          hint,
        );
  });
}
