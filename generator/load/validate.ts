/**
 * Document-level validation: is this an OpenAPI document we can read, and does every `$ref` land?
 * Operation-level checks (path templates, operationIds, names) happen while the IR is built, where the
 * resolved parameters are at hand.
 */
import { escapeSegment, type DiagnosticSink } from "../diagnostics.js";
import { collectRefs, isObject, localPointer, resolve, valueAt } from "./refs.js";

/** OpenAPI 3.0.x, 3.1.x and 3.2.x (§4.1 Versions). */
const SUPPORTED_VERSION = /^3\.[012]\.\d+(-.+)?$/;

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
  if (!isObject(document.info))
    sink.report({ code: "invalid-field", message: "`info` must be an object", pointer: "/info" });
  const paths = document.paths;
  if (paths !== undefined && !isObject(paths))
    sink.report({ code: "invalid-field", message: "`paths` must be an object", pointer: "/paths" });
  if (isObject(paths)) {
    for (const key of Object.keys(paths)) {
      if (!key.startsWith("/"))
        sink.report({
          code: "invalid-path",
          message: `path ${JSON.stringify(key)} must start with "/"`,
          pointer: `/paths/${escapeSegment(key)}`,
        });
    }
  }
  if (document.servers !== undefined && !Array.isArray(document.servers))
    sink.report({
      code: "invalid-field",
      message: "`servers` must be an array",
      pointer: "/servers",
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
    } else if (resolve(document, pointer) === undefined && !isSchemaContext(pointer)) {
      sink.report({
        code: "circular-ref",
        message: `$ref ${JSON.stringify(ref)} is part of a reference cycle that never reaches a value`,
        pointer: `${pointer}/$ref`,
      });
    }
  }
}

/** Schemas may legitimately refer to themselves; only non-schema objects must resolve to a value. */
function isSchemaContext(pointer: string): boolean {
  return /\/(schema|schemas|items|properties|allOf|anyOf|oneOf|not|additionalProperties)(\/|$)/.test(
    pointer,
  );
}
