/**
 * Swagger 2.0 documents are converted to OpenAPI 3.0 by `swagger2openapi` (the maintained converter the
 * ecosystem uses) before anything else reads them. `swagger: 2.0` written as an unquoted YAML number counts too.
 */
import { pointerOf } from "../diagnostics.js";
import { isObject, localPointer, valueAt } from "./refs.js";

export function isSwagger2(document: unknown): boolean {
  return isObject(document) && (document.swagger === "2.0" || document.swagger === 2);
}

/** The promise form of `convertObj` (the published types only describe its callback form precisely). */
type ConvertObj = (
  document: object,
  options: Record<string, unknown>,
) => Promise<{ openapi: unknown }>;

/** What conversion cannot carry over, at the parameter of the original document (a JSON pointer into it). */
export interface ConversionWarning {
  pointer: string;
  message: string;
}

export async function convertSwagger2(
  document: Record<string, unknown>,
): Promise<{ document: Record<string, unknown>; warnings: ConversionWarning[] }> {
  // A JSON copy: the converter refuses objects shared between two places (as bundling or YAML anchors leave them).
  const input = {
    ...(JSON.parse(JSON.stringify(document)) as Record<string, unknown>),
    swagger: "2.0",
  };
  // Loaded here: a run on an OpenAPI 3 document does not pay for the converter's import.
  const { default: converter } = await import("swagger2openapi");
  // patch: fix small, well-known defects instead of failing; warnOnly: report the rest as warnings.
  const result = await (converter.convertObj as unknown as ConvertObj)(input, {
    patch: true,
    warnOnly: true,
    resolve: false,
    direct: false,
  });
  const converted = result.openapi as Record<string, unknown>;
  const warnings = addFormEncodings(input, converted);
  typeUnproducedResponses(input, converted);
  return { document: converted, warnings };
}

/**
 * A Swagger 2.0 response whose operation (and document) names no `produces` is converted to `*\/*`, which says
 * nothing of the bytes; the de facto default of Swagger 2.0 APIs and tools is JSON. Such content becomes
 * `application/json`, or `application/octet-stream` for a file (`format: binary` after conversion), so the
 * client reads, types and checks it as that (README, Swagger 2.0).
 */
function typeUnproducedResponses(
  original: Record<string, unknown>,
  converted: Record<string, unknown>,
): void {
  if (original.produces !== undefined) return;
  const retype = (response: unknown) => {
    const content = isObject(response) ? response.content : undefined;
    if (!isObject(content) || !isObject(content["*/*"]) || Object.keys(content).length !== 1)
      return;
    const media = content["*/*"];
    const schema = media.schema;
    const binary = isObject(schema) && schema.format === "binary";
    (response as Record<string, unknown>).content = {
      [binary ? "application/octet-stream" : "application/json"]: media,
    };
  };
  let anyProduces = false;
  const paths = isObject(original.paths) ? original.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || method === "parameters" || method.startsWith("x-")) continue;
      if (op.produces !== undefined) {
        anyProduces = true;
        continue;
      }
      const convertedItem = isObject(converted.paths) ? converted.paths[path] : undefined;
      const convertedOp = isObject(convertedItem) ? convertedItem[method] : undefined;
      const responses = isObject(convertedOp) ? convertedOp.responses : undefined;
      if (isObject(responses)) Object.values(responses).forEach(retype);
    }
  }
  // Shared responses: only when no operation names a `produces` that would apply to them.
  const components = isObject(converted.components) ? converted.components : {};
  if (!anyProduces && isObject(components.responses))
    Object.values(components.responses).forEach(retype);
}

/**
 * Swagger 2.0 `collectionFormat` (default `csv`) of `formData` arrays, which the converter drops: as the URL-encoded
 * body's Encoding Objects (OpenAPI 3.0 §4.7.15), `csv` → form, `ssv` → spaceDelimited, `pipes` → pipeDelimited,
 * not exploded; `multi` → form, exploded. Without them the arrays would be sent `multi` (`ids=1&ids=2`) where
 * the server reads `ids=1,2`. (multipart sends one part per item.) Returns a warning for each parameter whose
 * format no OpenAPI 3 style expresses (`tsv` anywhere; `ssv`, `pipes` or `multi` in a header or path), which
 * is then sent in its location's default style.
 */
function addFormEncodings(
  original: Record<string, unknown>,
  converted: Record<string, unknown>,
): ConversionWarning[] {
  const styles: Record<string, [style: string, explode: boolean]> = {
    csv: ["form", false],
    ssv: ["spaceDelimited", false],
    pipes: ["pipeDelimited", false],
    multi: ["form", true],
  };
  const warnings: ConversionWarning[] = [];
  const warned = new Set<string>();
  const plans: Plan[] = [];
  const paths = isObject(original.paths) ? original.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || method === "parameters" || method.startsWith("x-")) continue;
      const encoding: Encoding = {};
      const lists: [string, unknown][] = [
        [pointerOf(["paths", path, "parameters"]), item.parameters],
        [pointerOf(["paths", path, method, "parameters"]), op.parameters],
      ];
      for (const [listPointer, list] of lists) {
        (Array.isArray(list) ? list : []).forEach((entry: unknown, i) => {
          const ref = isObject(entry) && typeof entry.$ref === "string" ? entry.$ref : undefined;
          const p = ref === undefined ? entry : valueAt(original, localPointer(ref) ?? "/-");
          if (!isObject(p) || p.type !== "array" || typeof p.name !== "string") return;
          const format = typeof p.collectionFormat === "string" ? p.collectionFormat : "csv";
          const where = (ref && localPointer(ref)) ?? `${listPointer}/${i}`;
          const expressible =
            p.in === "formData" || p.in === "query"
              ? Object.hasOwn(styles, format)
              : format === "csv";
          if (!expressible && !warned.has(where)) {
            warned.add(where);
            warnings.push({
              pointer: where,
              message: `Swagger 2.0 parameter ${JSON.stringify(p.name)} (in: ${String(p.in)}): collectionFormat ${JSON.stringify(format)} has no OpenAPI 3 style there; its arrays are sent in the location's default style`,
            });
          }
          const style =
            p.in === "formData" && Object.hasOwn(styles, format) ? styles[format] : undefined;
          if (style) encoding[p.name] = { style: style[0], explode: style[1] };
        });
      }
      const target = valueAt(converted, pointerOf(["paths", path, method]));
      if (isObject(target)) plans.push({ op: target, encoding });
    }
  }
  applyEncodings(converted, plans);
  return warnings;
}

type Encoding = Record<string, { style: string; explode: boolean }>;

/** A converted operation and the Encoding Objects its form wants. */
interface Plan {
  op: Record<string, unknown>;
  encoding: Encoding;
}

/**
 * Puts each operation's Encoding Objects on its converted URL-encoded body. The converter shares identical bodies
 * (`#/components/requestBodies/…`), comparing them without the `collectionFormat` it drops: a shared body takes
 * the encoding when every operation using it wants the same one; otherwise each of them gets its own copy.
 */
function applyEncodings(converted: Record<string, unknown>, plans: readonly Plan[]): void {
  const refOf = ({ op }: Plan) =>
    isObject(op.requestBody) && typeof op.requestBody.$ref === "string"
      ? op.requestBody.$ref
      : undefined;
  const sharedBody = (ref: string) => valueAt(converted, localPointer(ref) ?? "/-");
  const users = new Map<string, Plan[]>();
  for (const plan of plans) {
    const ref = refOf(plan);
    if (ref !== undefined) users.set(ref, [...(users.get(ref) ?? []), plan]);
  }
  const put = (body: unknown, encoding: Encoding) => {
    const media = valueAt(body, pointerOf(["content", "application/x-www-form-urlencoded"]));
    if (isObject(media) && media.encoding === undefined && Object.keys(encoding).length > 0)
      media.encoding = encoding;
  };
  for (const plan of plans) {
    const { op, encoding } = plan;
    const ref = refOf(plan);
    if (ref === undefined) {
      put(op.requestBody, encoding);
      continue;
    }
    const same = (users.get(ref) ?? []).every(
      (other) => JSON.stringify(other.encoding) === JSON.stringify(encoding),
    );
    if (same) put(sharedBody(ref), encoding);
    else if (Object.keys(encoding).length > 0) {
      // Its own copy, taken before any encoding is put on it.
      op.requestBody = JSON.parse(JSON.stringify(sharedBody(ref) ?? {})) as unknown;
      put(op.requestBody, encoding);
    }
  }
}
