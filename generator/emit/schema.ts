/** `schema.ts`: openapi-typescript's `paths`, `components` and `operations` types for the document. */
import type { GlobalContext, OpenAPI3 } from "openapi-typescript";
import {
  astToString,
  resolveRef,
  scanDiscriminators,
  transformSchema,
} from "./openapi-typescript.js";
import ts from "typescript";
import { parseRef } from "@redocly/openapi-core/lib/ref-utils.js";
import { INLINE_DEPTH, LIMITS, inlineTargets, isInlinedRef } from "../load/limits.js";
import { isObject, localPointer, resolve as resolveRefs, someRef, valueAt } from "../load/refs.js";
import { escapeSegment, segmentsOf } from "../diagnostics.js";
import {
  bodyEncodingOf,
  isBinarySchema,
  isMediaRange,
  responseParseOf,
} from "../model/build-operations.js";
import { HTTP_METHODS } from "../model/ir.js";

/**
 * `owned`: the caller gives the document away (the schema thread, which parsed or received its own copy), so it
 * is prepared in place; otherwise it is copied first, since the preparation and openapi-typescript annotate the
 * objects they walk.
 */
export async function schemaSource(
  document: Record<string, unknown>,
  { owned = false }: { owned?: boolean } = {},
): Promise<string> {
  const own = owned ? document : structuredClone(document);
  if (!someRef(own, refersIntoExampleMap)) withoutExampleMaps(own);
  const copy = inlineDeepRefs(own);
  copy.components ??= {}; // as Redocly's bundling left it: `components` is then printed with its empty members
  withoutSecurity(copy);
  const { markers, propertyMaps, discriminators } = prepareForOpenapiTS(copy);
  if (markers) markReferencedProperties(copy, propertyMaps);
  const binary = bytesInByteContexts(copy);
  const ast = transformDocument(copy as unknown as OpenAPI3, {
    readWriteMarkers: markers,
    discriminators,
    transform: (schema) => (binary.has(schema) ? blobType(schema as object) : undefined),
  });
  return escapeInvisibleBreaks(astToString(ast));
}

/**
 * openapi-typescript's `openapiTS()` without its Redocly steps: it would serialise the document to JSON, lint it
 * (the `minimal` rules plus unique operationIds) and bundle it, 3 s of GitHub's 13 MB document. Ours is already
 * validated (`load/validate.ts`, which rejects what those rules would) and bundled to local references only
 * (`load/bundle.ts`), so the transform gets it directly, with the context `openapiTS()` would build from these
 * options (openapi-typescript 7.13.0, pinned: `src/index.ts`).
 */
function transformDocument(
  document: OpenAPI3,
  {
    readWriteMarkers,
    discriminators,
    transform,
  }: { readWriteMarkers: boolean; discriminators: boolean; transform: GlobalContext["transform"] },
): ts.Node[] {
  const ctx: GlobalContext = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    // Its two walks over every node (0.2 s on GitHub) find nothing, and change nothing, in a document where no
    // object has a `discriminator` with a `propertyName` (Stripe's, the Dashboard's).
    discriminators: discriminators
      ? scanDiscriminators(document, { silent: true })
      : { objects: {}, refsHandled: [] },
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as unknown as GlobalContext["redoc"], // read only by the Redocly steps left out
    silent: true,
    transform,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers,
    resolve: <T>($ref: string) => {
      // The same target for the same `$ref`: the document is not changed while it is transformed, and
      // openapi-typescript resolves a shared schema at each of its uses (Redocly parses the pointer each time).
      if (!resolved.has($ref)) resolved.set($ref, resolveRef(document, $ref, { silent: true }));
      return resolved.get($ref) as T | undefined;
    },
  };
  const resolved = new Map<string, unknown>();
  return transformSchema(document, ctx);
}

/** Doc text that openapi-typescript copies into JSDoc (it escapes `*\/`, and splits lines on `\n` only). */
const DOC_TEXT_KEYS = new Set([
  "title",
  "summary",
  "description",
  "example",
  "default",
  "examples",
]);

const normaliseText = (text: string) => text.replace(/\r\n?|[\u2028\u2029]/g, "\n");

/**
 * One walk over every object of the document (data and `x-` extensions included) that readies it for
 * openapi-typescript; returns whether any schema is marked `readOnly` or `writeOnly`.
 *
 * - References are confined (`confineRef`): every `$ref` openapi-typescript receives is local and names what
 *   validation checked. An Example Object's `externalValue` (a URL openapi-typescript's resolver fetches) is
 *   removed: examples are not part of the types.
 * - Line breaks in doc text become `\n`, so that every JSDoc line keeps its ` * ` prefix (a CR, U+2028 or U+2029
 *   would otherwise start a bare line inside the comment). Only string values of doc keys change: what becomes a
 *   type (`enum`, `const`, names) is untouched, and `default` matters to openapi-typescript only by its
 *   presence. Strings inside an `examples` array are normalised; the array's objects are not doc text.
 * - Two things openapi-typescript 7 does not type, given a shape it does: a parameter described by `content`
 *   (OpenAPI 3.1 §4.8.12.3) is typed `string`: it gets its media type's `schema`, so the caller passes the value
 *   and the runtime serializes it (JSON text for JSON); an OpenAPI 3.2 `itemSchema` (the schema of each item of a
 *   sequential media type) is ignored: the media type gets `schema: { type: array, items: <itemSchema> }`, so an
 *   item's type is one element of it. A Parameter Object is recognised by its string `name` and `in` (a schema's
 *   `properties` hold objects there). The objects these add are already in the walk (under `content`).
 * - `readOnly`/`writeOnly` (OpenAPI 3.1 §4.8.24) marks are looked for, and every `properties` map is collected,
 *   for `markReferencedProperties` (which then needs no walk of its own).
 * - Whether any object has a `discriminator` with a `propertyName` (what openapi-typescript's discriminator scan
 *   looks for, in any object, data included).
 */
function prepareForOpenapiTS(document: unknown): {
  markers: boolean;
  propertyMaps: Record<string, unknown>[];
  discriminators: boolean;
} {
  let marks = false;
  let discriminators = false;
  const propertyMaps: Record<string, unknown>[] = [];
  const stack: unknown[] = [document];
  // Parallel to `stack`: whether doc text under that node is normalised (not inside an `examples` array).
  const docText: boolean[] = [true];
  while (stack.length > 0) {
    const node = stack.pop();
    const text = docText.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node)
        if (typeof item === "object" && item !== null) {
          stack.push(item);
          docText.push(text);
        }
      continue;
    }
    const object = node as Record<string, unknown>;
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      const value = object[key];
      if (typeof value === "string") {
        if (text && DOC_TEXT_KEYS.has(key)) object[key] = normaliseText(value);
        continue;
      }
      if (typeof value !== "object" || value === null) continue;
      if (text && key === "examples" && Array.isArray(value)) {
        const normalised = value.map((v: unknown) =>
          typeof v === "string" ? normaliseText(v) : v,
        );
        object[key] = normalised;
        stack.push(normalised);
        docText.push(false);
        continue;
      }
      stack.push(value);
      docText.push(text);
    }
    if (typeof object.$ref === "string") {
      const ref = confinedRef(object.$ref);
      if (ref === undefined) delete object.$ref;
      else object.$ref = ref;
    }
    if (typeof object.externalValue === "string") delete object.externalValue;
    if (object.readOnly === true || object.writeOnly === true) marks = true;
    if (isObject(object.properties)) propertyMaps.push(object.properties);
    if (isObject(object.discriminator) && object.discriminator.propertyName) discriminators = true;
    typeContentParameterAndItems(object);
  }
  return { markers: marks, propertyMaps, discriminators };
}

function typeContentParameterAndItems(node: Record<string, unknown>): void {
  if (typeof node.name === "string" && typeof node.in === "string" && node.schema === undefined) {
    const media = isObject(node.content) ? Object.values(node.content)[0] : undefined;
    if (isObject(media) && media.schema !== undefined) node.schema = media.schema;
  }
  if (isObject(node.content))
    for (const media of Object.values(node.content))
      if (isObject(media) && isObject(media.itemSchema))
        media.schema = { type: "array", items: media.itemSchema };
}

/**
 * openapi-typescript reads `readOnly`/`writeOnly` on a property's own schema only: a property that is a `$ref` to
 * a schema marked so (`id: { $ref: "#/components/schemas/Id" }`, `Id: { type: string, readOnly: true }`) would
 * keep its place in requests. The mark is copied onto such properties (beside the `$ref`, as 3.1 allows).
 */
function markReferencedProperties(
  document: Record<string, unknown>,
  propertyMaps: readonly Record<string, unknown>[],
): void {
  for (const properties of propertyMaps)
    for (const property of Object.values(properties)) {
      const target = isObject(property) ? referencedSchema(document, property) : undefined;
      for (const mark of ["readOnly", "writeOnly"])
        if (target?.[mark] === true && isObject(property)) property[mark] = true;
    }
}

/** The schema a `$ref` chain ends at (at most a few hops: validation rejected pure cycles). */
function referencedSchema(
  document: Record<string, unknown>,
  schema: Record<string, unknown>,
): Record<string, unknown> | undefined {
  let current: unknown = schema;
  for (let hops = 0; hops < 8 && isObject(current) && typeof current.$ref === "string"; hops++) {
    const pointer = localPointer(current.$ref);
    current = pointer === undefined ? undefined : valueAt(document, pointer);
  }
  return isObject(current) && current !== schema ? current : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Binary strings as `Blob`

/**
 * openapi-typescript prints a binary string (OpenAPI 3.0 `format: binary`, Swagger 2.0 `type: file` once
 * converted; OpenAPI 3.1 `contentMediaType` without `contentEncoding`, §4.8.14.3 "Working With Binary Data") as
 * `string`. Where the runtime sends or receives it as bytes, it is a `Blob` (a `File` is one): a part of a
 * `multipart/*` request body, and a binary request or response body. Those schemas, and the binary strings
 * they reach through `$ref`s (a shared upload schema), are collected here for `transform` to print as `Blob`.
 * Anywhere else (in JSON, text or a URL-encoded form) a binary string is what goes over the wire as text: it
 * stays a `string`. A schema used both ways is a `Blob`.
 */
function bytesInByteContexts(document: Record<string, unknown>): WeakSet<object> {
  const binary = new WeakSet<object>();
  const visited = new WeakSet<object>();
  const stack: unknown[] = [];
  for (const { mediaType, media, request } of mediaObjects(document)) {
    const bytes = request
      ? ["multipart", "binary"].includes(bodyEncodingOf(mediaType))
      : responseParseOf(mediaType) === "blob" ||
        (isMediaRange(mediaType) && isBinarySchema(schemaAt(document, media.schema)));
    if (bytes) stack.push(media.schema);
  }
  while (stack.length > 0) {
    const schema = stack.pop();
    if (!isObject(schema) || visited.has(schema)) continue;
    visited.add(schema);
    if (isBinaryString(schema)) binary.add(schema);
    const pointer = typeof schema.$ref === "string" ? localPointer(schema.$ref) : undefined;
    if (pointer !== undefined) stack.push(valueAt(document, pointer));
    stack.push(schema.items, schema.additionalProperties);
    for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"])
      if (Array.isArray(schema[key])) stack.push(...schema[key]);
    if (isObject(schema.properties)) stack.push(...Object.values(schema.properties));
  }
  return binary;
}

/** Every Media Type Object of a request body or response, in paths, webhooks and components. */
/** A schema, through its `$ref`s. */
function schemaAt(document: Record<string, unknown>, schema: unknown): unknown {
  const pointer =
    isObject(schema) && typeof schema.$ref === "string" ? localPointer(schema.$ref) : undefined;
  return pointer === undefined ? schema : resolveRefs(document, pointer)?.value;
}

function* mediaObjects(
  document: Record<string, unknown>,
): Iterable<{ mediaType: string; media: Record<string, unknown>; request: boolean }> {
  const components = isObject(document.components) ? document.components : {};
  const bodies: { owner: unknown; request: boolean }[] = [
    ...objectValues(components.requestBodies).map((owner) => ({ owner, request: true })),
    ...objectValues(components.responses).map((owner) => ({ owner, request: false })),
  ];
  for (const item of pathItemsOf(document)) {
    for (const method of HTTP_METHODS) {
      const operation = isObject(item) ? item[method] : undefined;
      if (!isObject(operation)) continue;
      bodies.push({ owner: operation.requestBody, request: true });
      for (const owner of objectValues(operation.responses)) bodies.push({ owner, request: false });
    }
  }
  for (const { owner, request } of bodies) {
    const content = isObject(owner) ? owner.content : undefined;
    for (const [mediaType, media] of Object.entries(isObject(content) ? content : {}))
      if (isObject(media)) yield { mediaType, media, request };
  }
}

/**
 * Every Path Item Object where it is written: in `paths`, `webhooks` and `components.pathItems` (a path item
 * given by `$ref` is read where its target is).
 */
function pathItemsOf(document: Record<string, unknown>): unknown[] {
  const components = isObject(document.components) ? document.components : {};
  return [
    ...objectValues(document.paths),
    ...objectValues(document.webhooks),
    ...objectValues(components.pathItems),
  ];
}

function objectValues(value: unknown): unknown[] {
  return isObject(value) ? Object.values(value) : [];
}

function isBinaryString(schema: Record<string, unknown>): boolean {
  const types = [schema.type].flat();
  if (schema.type !== undefined && !types.includes("string")) return false;
  if (schema.format === "binary") return true;
  return typeof schema.contentMediaType === "string" && schema.contentEncoding === undefined;
}

/** `Blob`, or `Blob | null` for a nullable schema (3.0 `nullable`, 3.1 `type: [string, "null"]`). */
function blobType(schema: { nullable?: unknown; type?: unknown }): ts.TypeNode {
  const blob = ts.factory.createTypeReferenceNode("Blob");
  const nullable = schema.nullable === true || [schema.type].flat().includes("null");
  if (!nullable) return blob;
  const nullType = ts.factory.createLiteralTypeNode(ts.factory.createNull());
  return ts.factory.createUnionTypeNode([blob, nullType]);
}

/**
 * openapi-typescript prints a `$ref` to anywhere but `#/components/<type>/<name>` as an indexed access into its
 * own types, which do not have the shape of the document (`…["schema"]["items"]` on a type that has neither):
 * the output does not compile. Such references are replaced by a copy of their target, copies inside copies
 * too, at most `INLINE_DEPTH` levels deep. Validation has bounded what this costs (`inliningCost`, checked
 * against `maxInlinedNodes` and `maxDepth`); the count here only guards against a bug in that estimate.
 * Outside the copies, only the objects on the way to such a reference are new: the rest of the document is
 * kept as it is (it appears once in the result, which is still a tree).
 */
function inlineDeepRefs(document: Record<string, unknown>): Record<string, unknown> {
  if (!mayInlineRefs(document)) return document;
  const targets = inlineTargets(document);
  if (targets.size === 0) return document;
  const onTheWay = new Set<string>();
  for (let pointer of targets.keys())
    for (;;) {
      if (onTheWay.has(pointer)) break;
      onTheWay.add(pointer);
      if (pointer === "") break;
      pointer = pointer.slice(0, pointer.lastIndexOf("/"));
    }
  let copied = 0;
  const expand = (value: unknown, pointer: string, level: number): unknown => {
    if (level === 0 && !onTheWay.has(pointer)) return value;
    if (level > 0 && ++copied > LIMITS.maxInlinedNodes)
      throw new Error(`internal: inlining $refs copied more than maxInlinedNodes nodes`);
    if (Array.isArray(value)) return value.map((item, i) => expand(item, `${pointer}/${i}`, level));
    if (!isObject(value)) return value;
    const target = targets.get(pointer);
    const inline = target !== undefined && level < INLINE_DEPTH;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (inline && key === "$ref") continue;
      defineData(out, key, expand(child, `${pointer}/${escapeSegment(key)}`, level));
    }
    if (inline) {
      const copy = expand(valueAt(document, target), target, level + 1) as Record<string, unknown>;
      for (const [key, child] of Object.entries(copy)) defineData(out, key, child);
    }
    return out;
  };
  return expand(document, "", 0) as Record<string, unknown>;
}

/**
 * Whether any object of the document holds a `$ref` that `inlineTargets` will select (`someRef`: the objects
 * `collectRefs` reads, without a pointer for each). GitHub's document then has none (its Example Object refs are
 * gone with `withoutExampleMaps`; 13 more sit in data and `x-webhooks`), nor have Stripe's and the Dashboard's:
 * that spares a pointer for each of their objects (about 50 ms on GitHub).
 */
function mayInlineRefs(document: unknown): boolean {
  return someRef(document, isInlinedRef);
}

/** An own, enumerable data property, even for `__proto__` (assignment would set the prototype instead). */
function defineData(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const PLAIN_REF = /^#\/(?:components|paths|webhooks)(?:\/[\w.-]+)+$/;

/** The names `schema.ts` declares: the only first segments a `$ref` may have when openapi-typescript sees it. */
const SCHEMA_ROOTS = new Set(["components", "paths", "webhooks"]);

/**
 * A `$ref` as openapi-typescript may receive it. openapi-typescript prints the first segment of a reference as a
 * bare identifier, and reads segments its own way (RFC 6901 escapes before percent-decoding, empty segments
 * dropped); and its resolver, unlike ours (`load/bundle.ts`), reads any file or URL. So (`undefined`: remove it):
 * - a reference that is not local (`http://…`, `/etc/…`, `../…`) is removed;
 * - a local reference is rewritten so that openapi-typescript reads the same segments we validated;
 * - a reference whose first segment is not one of `schema.ts`'s own names (a cycle through some other place,
 *   left after `INLINE_DEPTH` copies) is removed: the value prints as a plain object type.
 * Applied to every object (data and `x-` extensions too, which our bundling does not resolve).
 */
function confinedRef(ref: string): string | undefined {
  // Most references (GitHub's 10,000) are plain: segments of letters, digits, `.`, `_` and `-` under one of
  // schema.ts's names, which both readers read alike, with nothing to decode or unescape.
  if (PLAIN_REF.test(ref)) return ref;
  const pointer = localPointer(ref);
  if (pointer === undefined) return undefined;
  const segments = segmentsOf(pointer);
  if (!SCHEMA_ROOTS.has(segments[0] ?? "")) return undefined;
  const theirs = parseRef(ref);
  const same =
    theirs.uri === null &&
    theirs.pointer.length === segments.length &&
    theirs.pointer.every((s, i) => s === segments[i]);
  if (same) return ref;
  // Percent-encoded (`~` too), a segment holds no `/`, `#` or `~` for openapi-typescript to read differently.
  try {
    return `#/${segments.map((s) => encodeURIComponent(s).replace(/~/g, "%7E")).join("/")}`;
  } catch {
    return undefined; // a lone surrogate has no encoding
  }
}

/**
 * openapi-typescript prints nothing of the `examples` maps of Media Type, Parameter and Header Objects
 * (OpenAPI 3.1 §4.8.14, §4.8.12, §4.8.21): they are left out before anything walks the document. GitHub's hold
 * 900 `$ref`s to Example Objects that the inlining would copy (large response payloads), and that
 * openapi-typescript's discriminator scan would then walk. Only maps go (an `examples` array is a 3.1 schema's,
 * which openapi-typescript prints as `@example`), and none while some `$ref` points into one (a schema may,
 * wrongly, `$ref` an example's value: it is inlined as before); `components.examples` stays. Path items in `paths`, `webhooks` and
 * `components.pathItems`, and the components' parameters, headers, request bodies and responses, are cleared
 * where they are written; a `$ref` to one elsewhere reaches an object cleared where it is written.
 */
function withoutExampleMaps(document: Record<string, unknown>): void {
  const media = (content: unknown) => {
    for (const m of objectValues(content))
      if (isObject(m) && isObject(m.examples)) delete m.examples;
  };
  const parameterOrHeader = (object: unknown) => {
    if (!isObject(object)) return;
    if (isObject(object.examples)) delete object.examples;
    media(object.content);
  };
  const bodyOrResponse = (object: unknown) => {
    if (!isObject(object)) return;
    media(object.content);
    for (const header of objectValues(object.headers)) parameterOrHeader(header);
  };
  const pathItem = (item: unknown) => {
    if (!isObject(item)) return;
    for (const parameter of arrayItems(item.parameters)) parameterOrHeader(parameter);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      for (const parameter of arrayItems(operation.parameters)) parameterOrHeader(parameter);
      bodyOrResponse(operation.requestBody);
      for (const response of objectValues(operation.responses)) bodyOrResponse(response);
    }
  };
  const components = isObject(document.components) ? document.components : {};
  for (const item of pathItemsOf(document)) pathItem(item);
  for (const parameter of objectValues(components.parameters)) parameterOrHeader(parameter);
  for (const header of objectValues(components.headers)) parameterOrHeader(header);
  for (const body of objectValues(components.requestBodies)) bodyOrResponse(body);
  for (const response of objectValues(components.responses)) bodyOrResponse(response);
}

/** A `$ref` through an `examples` segment other than `#/components/examples`'s (where Example Objects stay). */
function refersIntoExampleMap(ref: string): boolean {
  if (!ref.includes("examples")) return false;
  const pointer = localPointer(ref);
  return pointer === undefined || segmentsOf(pointer).lastIndexOf("examples") > 1;
}

function arrayItems(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * openapi-typescript prints nothing of security, but its resolver walks it, and throws on a scheme named like
 * an `Object.prototype` member (`constructor`, `toString`): the requirements and schemes are left out.
 */
function withoutSecurity(document: Record<string, unknown>): void {
  delete document.security;
  if (isObject(document.components)) delete document.components.securitySchemes;
  for (const item of isObject(document.paths) ? Object.values(document.paths) : [])
    for (const operation of isObject(item) ? Object.values(item) : [])
      if (isObject(operation)) delete operation.security;
}

/**
 * openapi-typescript prints U+2028 and U+2029 raw inside string literal types and comments, and a lone
 * surrogate raw anywhere: legal TypeScript, but line breaks to older tools, and not representable in the
 * UTF-8 file. As `\u` escapes they mean the same inside a string literal and are inert text in a comment
 * (the only places spec text reaches in schema.ts: names and values are string literals, identifiers ASCII).
 */
function escapeInvisibleBreaks(source: string): string {
  if (!/[\u2028\u2029\ud800-\udfff]/.test(source)) return source; // a plain scan first: 6.5 MB on GitHub
  return source.replace(
    /[\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
