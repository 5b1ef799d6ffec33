/**
 * Document-level validation: is this an OpenAPI document we can read, and does every `$ref` land?
 * Operation-level checks (path templates, operationIds, names) happen while the IR is built, where the
 * resolved parameters are at hand.
 */
import { escapeSegment, type DiagnosticSink } from "../diagnostics.js";
import { collectRefs, isObject, localPointer, resolve, valueAt } from "./refs.js";

/** OpenAPI 3.0.x, 3.1.x and 3.2.x (§4.1 Versions); `3.0` without a patch number is common and harmless. */
const SUPPORTED_VERSION = /^3\.[012](\.\d+)?(-.+)?$/;

/** Returns whether the document is OpenAPI 3 at all: only then are its operations worth checking too. */
export function validateDocument({
  document,
  sink,
}: {
  document: unknown;
  sink: DiagnosticSink;
}): boolean {
  if (!isObject(document)) {
    sink.report({
      code: "not-openapi",
      message: "the document is not an object",
      pointer: "",
      hint: "an OpenAPI document is a YAML or JSON object with an `openapi` field",
    });
    return false;
  }
  if (!validateVersion({ document, sink })) return false;
  validateRoot({ document, sink });
  validateRefs({ document, sink });
  return true;
}

function validateVersion({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): boolean {
  if ("swagger" in document) {
    sink.report({
      code: "unsupported-version",
      message: `Swagger ${String(document.swagger)} is not supported`,
      pointer: "/swagger",
      hint: "convert it to OpenAPI 3 first (e.g. `npx swagger2openapi spec.yaml -o spec3.yaml`)",
    });
    return false;
  }
  const version = document.openapi;
  if (version === undefined) {
    sink.report({
      code: "not-openapi",
      message: "no `openapi` field: this is not an OpenAPI document",
      pointer: "",
      hint: "an OpenAPI document starts with `openapi: 3.x.y`",
    });
    return false;
  }
  if (typeof version !== "string" || !SUPPORTED_VERSION.test(version)) {
    sink.report({
      code: "unsupported-version",
      message: `OpenAPI version ${JSON.stringify(version)} is not supported`,
      pointer: "/openapi",
      hint: 'specfetch reads OpenAPI 3.0.x, 3.1.x and 3.2.x (quote the version: `openapi: "3.1.0"`)',
    });
    return false;
  }
  return true;
}

function validateRoot({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  // `info` is required, but nothing in a client depends on it: a located warning, not a failure.
  if (!isObject(document.info)) {
    sink.report({
      code: "missing-info",
      severity: "warning",
      message: "`info` must be an object with `title` and `version`",
      pointer: "/info",
    });
  }
  const paths = document.paths;
  if (paths !== undefined && !isObject(paths))
    sink.report({ code: "invalid-field", message: "`paths` must be an object", pointer: "/paths" });
  for (const key of isObject(paths) ? Object.keys(paths) : []) {
    if (key.startsWith("/")) continue;
    sink.report({
      code: "invalid-path",
      message: `path ${JSON.stringify(key)} must start with "/"`,
      pointer: `/paths/${escapeSegment(key)}`,
    });
  }
  validateServers({ servers: document.servers, pointer: "/servers", sink });
}

/** A Server Object needs a string `url` (OpenAPI 3.1 §4.8.5): without it the base URL is unknowable. */
export function validateServers({
  servers,
  pointer,
  sink,
}: {
  servers: unknown;
  pointer: string;
  sink: DiagnosticSink;
}): void {
  if (servers === undefined) return;
  if (!Array.isArray(servers)) {
    sink.report({
      code: "invalid-field",
      message: "`servers` must be an array of Server Objects",
      pointer,
    });
    return;
  }
  servers.forEach((server, i) => {
    if (isObject(server) && typeof server.url === "string") return;
    sink.report({
      code: "invalid-field",
      message: "a server must be an object with a string `url`",
      pointer: `${pointer}/${i}`,
      hint: "e.g. - url: https://api.example.com/v1",
    });
  });
}

function validateRefs({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  for (const { ref, pointer } of collectRefs(document)) {
    const target = localPointer(ref);
    if (target === undefined) {
      sink.report({
        code: "external-ref",
        message: `external $ref ${JSON.stringify(ref)} is not supported`,
        pointer: `${pointer}/$ref`,
        hint: "bundle the document into one file first (e.g. `npx @redocly/cli bundle`)",
      });
    } else if (valueAt(document, target) === undefined) {
      sink.report({
        code: "dangling-ref",
        message: `$ref ${JSON.stringify(ref)} points to nothing`,
        pointer: `${pointer}/$ref`,
        hint: `define ${ref.slice(1) || "/"} or fix the reference`,
      });
    } else if (resolve(document, pointer) === undefined) {
      sink.report({
        code: "circular-ref",
        message: `$ref ${JSON.stringify(ref)} is part of a reference cycle that never reaches a value`,
        pointer: `${pointer}/$ref`,
      });
    }
  }
}
