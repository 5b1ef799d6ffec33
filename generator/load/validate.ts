/**
 * Document-level validation: is this an OpenAPI document we can read, and does every `$ref` land?
 * Operation-level checks (path templates, operationIds, names) happen while the IR is built, where the
 * resolved parameters are at hand.
 */
import {
  escapeSegment,
  pointerOf,
  type DiagnosticInput,
  type DiagnosticSink,
} from "../diagnostics.js";
import { LIMITS, formatLimit, inliningCost } from "./limits.js";
import type { ReportedRefs } from "./load-spec.js";
import { misspeltPaths, validateShapes } from "./shapes.js";
import {
  collectRefs,
  isObject,
  localPointer,
  resolve,
  specObjects,
  valueAt,
  type FoundRef,
} from "./refs.js";

/** OpenAPI 3.0.x, 3.1.x and 3.2.x (§4.1 Versions); `3.0` without a patch number is common and harmless. */
const SUPPORTED_VERSION = /^3\.[012](\.\d+)?(-.+)?$/;

/** Returns whether the document is OpenAPI 3 at all: only then are its operations worth checking too. */
export function validateDocument({
  document,
  sink,
  refs: known,
  reportedRefs,
}: {
  document: unknown;
  sink: DiagnosticSink;
  /** Every `$ref` of `document`, when already collected (`LoadedSpec.refs`). */
  refs?: readonly FoundRef[] | undefined;
  /** Dangling local references already reported in the referenced file that has them (`LoadedSpec`). */
  reportedRefs?: ReportedRefs | undefined;
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
  validateShapes({ document, sink });
  const refs = known ?? collectRefs(document); // one walk for the two checks that need every $ref
  validateRefs({ document, refs, sink, reportedRefs });
  validatePathKeys({ document, sink });
  validateHeaderNames({ document, sink });
  validateParameterContent({ document, sink });
  validateHeaderContent({ document, sink });
  validateInlining({ document, refs, sink });
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
  // Required in 3.0; in 3.1 and later one of paths, components and webhooks is. A document of schemas only
  // still gives its types (peers' fixtures are such documents): a located warning says why there is no operation.
  // A misspelt `paths` is named by `validateShapes` instead.
  if (paths === undefined && misspeltPaths(document) === undefined) {
    const v30 = /^3\.0\./.test(String(document.openapi));
    if (v30 || (document.components === undefined && document.webhooks === undefined))
      sink.report({
        code: "missing-paths",
        severity: "warning",
        message: v30
          ? "OpenAPI 3.0 requires `paths`: the client has no operations, only the schema types"
          : "the document has no `paths`, `components` or `webhooks`: the client is empty",
        pointer: "",
        hint: "add `paths: {}` if a document of schemas only is what you mean",
      });
  }
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
  refs,
  sink,
  reportedRefs,
}: {
  document: Record<string, unknown>;
  refs: readonly FoundRef[];
  sink: DiagnosticSink;
  reportedRefs?: ReportedRefs | undefined;
}): void {
  for (const { ref, pointer } of refs) {
    const target = localPointer(ref);
    // External references were bundled by the loader, which reported those it could not resolve.
    if (target === undefined) continue;
    if (valueAt(document, target) === undefined) {
      if (reportedRefs?.refs.has(ref) && !reportedRefs.rootPointers.has(pointer)) continue;
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

// ---------------------------------------------------------------------------------------------------------------
// A spec is untrusted input: nothing in it may redirect a request or inject a header (README, Security model).

/**
 * The runtime appends a path key to the base URL as a string, so a key must stay a path below the base:
 * `//host` is a protocol-relative URL (another host), a backslash is read as `/` by URL parsers, a `.` or `..`
 * segment (also percent-encoded) climbs out of the base path, `?`, `#`, whitespace or control characters
 * would end the path or split the request line, and a stray `%` is no URL at all. Keys not starting with `/` are reported by `validateRoot`.
 */
export function validatePathKeys({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  const paths = isObject(document.paths) ? document.paths : {};
  for (const key of Object.keys(paths)) {
    const problem = pathKeyProblem(key);
    if (problem === undefined) continue;
    sink.report({
      code: "invalid-path",
      message: `path ${JSON.stringify(key)} ${problem}`,
      pointer: `/paths/${escapeSegment(key)}`,
      hint: "a path key is a plain path below the server URL, e.g. /users/{userId}",
    });
  }
}

function pathKeyProblem(key: string): string | undefined {
  if (!key.startsWith("/")) return undefined;
  if (key.startsWith("//")) return "starts with // (a URL to another host)";
  if (/\\|%5c/i.test(key)) return "contains a backslash (read as / by URL parsers)";
  const dotSegment = key.split("/").some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  if (dotSegment) return "has a . or .. segment (it would leave the base path)";
  if (/[?#]/.test(key)) return "contains ? or # (a path key cannot hold a query or fragment)";
  if (/%(?![0-9a-f]{2})/i.test(key)) return "contains a % that does not start a %XX escape";
  if (/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(key))
    return "contains whitespace or a control character";
  return undefined;
}

/** RFC 9110 §5.6.2 `token`: what a header field name, and a cookie name (RFC 6265 §4.1.1), may consist of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Header and cookie parameter names, and the names apiKey schemes send in a header or cookie, must be tokens:
 * anything else (a `:`, a space, CR/LF) would be a malformed or injected header, or split the Cookie header.
 */
export function validateHeaderNames({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  const components = isObject(document.components) ? document.components : {};
  const seen = new Set<string>();
  const check = (pointer: string, kind: "parameter" | "scheme") => {
    const resolved = resolve(document, pointer);
    if (!resolved || !isObject(resolved.value) || seen.has(resolved.pointer)) return;
    seen.add(resolved.pointer);
    const { name, in: location, type } = resolved.value;
    const sent = location === "header" || location === "cookie";
    if (!sent || typeof name !== "string" || (kind === "scheme" && type !== "apiKey")) return;
    if (TOKEN.test(name)) return;
    sink.report({
      code: kind === "parameter" ? "invalid-parameter" : "invalid-field",
      message: `the ${location} name ${JSON.stringify(name)} is not a valid HTTP token`,
      pointer: `${resolved.pointer}/name`,
      hint: "RFC 9110 token characters only: letters, digits and !#$%&'*+-.^_`|~ (no spaces, quotes or colons)",
    });
  };
  for (const pointer of parameterPointers(document)) check(pointer, "parameter");
  for (const name of isObject(components.securitySchemes)
    ? Object.keys(components.securitySchemes)
    : [])
    check(pointerOf(["components", "securitySchemes", name]), "scheme");
}

/**
 * Where Parameter Objects are (or `$ref`s to them): the lists of path items and operations, and
 * `components.parameters`. A parameter listed in several places appears once per place: resolve, then dedupe.
 */
function parameterPointers(document: Record<string, unknown>): string[] {
  const places: string[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    places.push(pointerOf(["paths", path, "parameters"]));
    for (const [key, operation] of Object.entries(item))
      if (isObject(operation) && Array.isArray(operation.parameters))
        places.push(pointerOf(["paths", path, key, "parameters"]));
  }
  const pointers: string[] = [];
  for (const place of places) {
    const list = resolve(document, place);
    if (list && Array.isArray(list.value))
      list.value.forEach((_, i) => pointers.push(`${list.pointer}/${i}`));
  }
  const components = isObject(document.components) ? document.components : {};
  for (const name of isObject(components.parameters) ? Object.keys(components.parameters) : [])
    pointers.push(pointerOf(["components", "parameters", name]));
  return pointers;
}

/**
 * A parameter's `content` map holds exactly one media type (OpenAPI 3.1 §4.8.12.3, "The map MUST only contain
 * one entry"): with several, the media type its value is written in would be a guess; with none, there is none.
 */
export function validateParameterContent({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  const seen = new Set<string>();
  for (const pointer of parameterPointers(document)) {
    const resolved = resolve(document, pointer);
    if (!resolved || !isObject(resolved.value) || seen.has(resolved.pointer)) continue;
    seen.add(resolved.pointer);
    const { name, content } = resolved.value;
    const listed = contentCountProblem(content);
    if (listed === undefined) continue;
    sink.report({
      code: "invalid-parameter",
      message: `parameter ${JSON.stringify(name)}: \`content\` must have exactly one media type, it has ${listed}`,
      pointer: `${resolved.pointer}/content`,
      hint: "keep the one media type the value is sent in, e.g. content: { application/json: { schema: … } }",
    });
  }
}

/**
 * A Header Object's `content` has exactly one entry (OpenAPI 3.1 §4.8.21), as a parameter's. The client neither
 * sends nor reads response or part headers by their media type (only their types say what they hold), so more
 * or none is a located warning, not an error. Header Objects are checked where they are defined
 * (`headerObjects`): a `$ref` to one is checked at its target, once.
 */
export function validateHeaderContent({
  document,
  sink,
}: {
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): void {
  for (const { name, header, pointer } of headerObjects(document)) {
    const listed = contentCountProblem(header.content);
    if (listed === undefined) continue;
    sink.report({
      code: "invalid-header",
      severity: "warning",
      message: `header ${JSON.stringify(name)}: \`content\` must have exactly one media type, it has ${listed}`,
      pointer: `${pointer}/content`,
      hint: "keep the one media type the value is written in, e.g. content: { text/plain: { schema: … } }",
    });
  }
}

/** How many media types a `content` map has, in words, when it is not exactly one; else `undefined`. */
function contentCountProblem(content: unknown): string | undefined {
  if (!isObject(content)) return undefined;
  const types = Object.keys(content);
  if (types.length === 1) return undefined;
  if (types.length === 0) return "none";
  return `${types.length} (${types.map((t) => JSON.stringify(t)).join(", ")})`;
}

/**
 * Every Header Object defined in the document (not a `$ref`): in `components.headers`, in the `headers` of a
 * response (an operation's or `components.responses`'), and in the `headers` of a request body's Encoding
 * Objects (an operation's or `components.requestBodies`'). Visits only those places, not the whole document.
 */
function headerObjects(
  document: Record<string, unknown>,
): { name: string; header: Record<string, unknown>; pointer: string }[] {
  const found: { name: string; header: Record<string, unknown>; pointer: string }[] = [];
  const entries = (value: unknown) => (isObject(value) ? Object.entries(value) : []);
  const headersOf = (headers: unknown, at: readonly string[]) => {
    for (const [name, header] of entries(headers))
      if (isObject(header) && !("$ref" in header))
        found.push({ name, header, pointer: pointerOf([...at, "headers", name]) });
  };
  const responses = (value: unknown, at: readonly string[]) => {
    for (const [key, response] of entries(value))
      if (isObject(response)) headersOf(response.headers, [...at, key]);
  };
  const requestBody = (body: unknown, at: readonly string[]) => {
    if (!isObject(body)) return;
    for (const [type, media] of entries(body.content))
      if (isObject(media))
        for (const [property, encoding] of entries(media.encoding))
          if (isObject(encoding))
            headersOf(encoding.headers, [...at, "content", type, "encoding", property]);
  };
  for (const [path, item] of entries(document.paths))
    for (const [key, operation] of entries(item))
      if (isObject(operation)) {
        responses(operation.responses, ["paths", path, key, "responses"]);
        requestBody(operation.requestBody, ["paths", path, key, "requestBody"]);
      }
  const components = isObject(document.components) ? document.components : {};
  headersOf(components.headers, ["components"]);
  responses(components.responses, ["components", "responses"]);
  for (const [name, body] of entries(components.requestBodies))
    requestBody(body, ["components", "requestBodies", name]);
  return found;
}

/**
 * openapi-typescript builds a JSON pointer from the names it walks (map keys, parameter names) and, at every
 * level below, parses it again with `@redocly/openapi-core`'s `parseRef`, which percent-decodes each segment
 * (`decodeURIComponent`): a name whose `%` does not start a percent-encoded UTF-8 sequence, now or after being
 * decoded once more (`%25zz`), may throw `URIError: URI malformed` from inside it, with no location. Whether it
 * does depends on how deep openapi-typescript goes below the name (a string property called `100%` is fine, an
 * object one is not; a media type with `#/` always fails), so this is not checked up front, where it would
 * reject documents that generate: when openapi-typescript throws `URIError`, these are the names to blame
 * (`explainSchemaFailure`). Names of security schemes are not given to openapi-typescript (`schema.ts` drops
 * them); a path key with a stray `%` is already `invalid-path`; operationIds are checked while the IR is built.
 */
export function pointerNameProblems(document: Record<string, unknown>): DiagnosticInput[] {
  const problems: DiagnosticInput[] = [];
  for (const { node, pointer, named } of specObjects(document)) {
    if (isSecurityNames(pointer)) continue;
    for (const key of Object.keys(node)) {
      if ((!named && key.startsWith("x-")) || survivesPointerDecoding(key)) continue;
      if (pointer === "/paths" && pathKeyProblem(key) !== undefined) continue; // invalid-path already
      problems.push({
        code: "invalid-field",
        message: `the name ${JSON.stringify(key)} has a "%" that does not start a percent-encoded character`,
        pointer: `${pointer}/${escapeSegment(key)}`,
        hint: POINTER_NAME_HINT,
      });
    }
  }
  const seen = new Set<string>();
  for (const place of parameterPointers(document)) {
    const resolved = resolve(document, place);
    if (!resolved || !isObject(resolved.value) || seen.has(resolved.pointer)) continue;
    seen.add(resolved.pointer);
    const { name } = resolved.value;
    if (typeof name !== "string" || survivesPointerDecoding(name)) continue;
    problems.push({
      code: "invalid-parameter",
      message: `parameter ${JSON.stringify(name)} has a "%" that does not start a percent-encoded character`,
      pointer: `${resolved.pointer}/name`,
      hint: POINTER_NAME_HINT,
    });
  }
  return problems;
}

/**
 * A failure of the schema step (`schema.ts`) that `pointerNameProblems` explains: reports them (located) and
 * returns `true`, so the run fails with diagnostics instead of openapi-typescript's bare `URIError`.
 */
export function explainSchemaFailure({
  error,
  document,
  sink,
}: {
  error: unknown;
  document: Record<string, unknown>;
  sink: DiagnosticSink;
}): boolean {
  // Compared by message: the error crossed from the schema thread as text.
  if (!(error instanceof Error) || !/URI malformed/.test(error.message)) return false;
  const problems = pointerNameProblems(document);
  for (const problem of problems) sink.report(problem);
  return problems.length > 0;
}

const POINTER_NAME_HINT =
  "openapi-typescript percent-decodes the names in the JSON pointers it builds, once per nesting level: " +
  "every % must start a %XX escape, then and after decoding (a lone % or %25zz fails)";

/** `components.securitySchemes` and a Security Requirement Object: scheme names, not seen by openapi-typescript. */
function isSecurityNames(pointer: string): boolean {
  return pointer === "/components/securitySchemes" || /(^|\/)security\/\d+$/.test(pointer);
}

/** Whether `decodeURIComponent`, applied again and again until nothing changes, never throws. */
export function survivesPointerDecoding(name: string): boolean {
  let text = name;
  for (;;) {
    if (!text.includes("%")) return true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return false;
    }
    if (decoded === text) return true;
    text = decoded;
  }
}

/**
 * `$ref`s that `schema.ts` inlines (see `limits.ts`) must not multiply into more than `maxInlinedNodes` copied
 * nodes, or nest deeper than `maxDepth`: a reference bomb is rejected here, at the reference that costs most.
 */
function validateInlining({
  document,
  refs,
  sink,
}: {
  document: Record<string, unknown>;
  refs: readonly FoundRef[];
  sink: DiagnosticSink;
}): void {
  const cost = inliningCost(document, refs);
  const worst = cost.byRef[0];
  if (!worst) return;
  const limit =
    cost.added > LIMITS.maxInlinedNodes
      ? "maxInlinedNodes"
      : cost.depth > LIMITS.maxDepth
        ? "maxDepth"
        : undefined;
  if (!limit) return;
  const what =
    limit === "maxInlinedNodes"
      ? `inlining $refs would copy ${cost.added.toExponential(1)} nodes`
      : `inlining $refs would nest ${cost.depth} levels deep`;
  sink.report({
    code: "resource-limit",
    message: `${what}: the limit ${limit} is ${formatLimit(limit)}`,
    pointer: `${worst.pointer}/$ref`,
    hint: "a $ref to anything but #/components/<type>/<name> is copied: move the target under components",
  });
}
