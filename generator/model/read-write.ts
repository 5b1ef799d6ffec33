/**
 * Which body schemas reach a property marked `readOnly` or `writeOnly` (OpenAPI 3.1 §4.8.24 Schema Object, JSON
 * Schema Validation §9.4): a request body's type leaves out the first, a response's the second. Only those bodies
 * are wrapped in openapi-typescript's `Writable`/`Readable`, so that every other type stays a plain indexed
 * access (no recursive mapped type for tsc to expand).
 */
import { segmentsOf, pointerOf } from "../diagnostics.js";
import { isObject, localPointer, valueAt } from "../load/refs.js";

export type Marker = "readOnly" | "writeOnly";

/** Keys whose values are data, not schemas: a `readOnly: true` in an example marks nothing. */
const DATA_KEYS = new Set(["example", "examples", "default", "const", "enum"]);

/** Keys whose values map names to schemas: a property may be named `default` or `example`. */
const SCHEMA_MAPS = new Set([
  "properties",
  "patternProperties",
  "dependentSchemas",
  "$defs",
  "definitions",
]);

interface Scan {
  readOnly: boolean;
  writeOnly: boolean;
  /** Local pointers of the `$ref`s in the subtree (not followed). */
  refs: string[];
}

/** One per document: named schemas are scanned once, whatever number of bodies reach them. */
const reachers = new WeakMap<object, (schema: unknown, marker: Marker) => boolean>();

/** `reach(schema, marker)`: whether `schema`, through any `$ref`s, has a schema with `marker: true`. */
export function markerReach(
  document: Record<string, unknown>,
): (schema: unknown, marker: Marker) => boolean {
  const known = reachers.get(document);
  if (known) return known;
  const scans = new Map<string, Scan>();
  const scanAt = (pointer: string) => {
    let scan = scans.get(pointer);
    if (!scan) scans.set(pointer, (scan = scanSchema(valueAt(document, pointer))));
    return scan;
  };
  const memo: Record<Marker, Map<string, boolean>> = { readOnly: new Map(), writeOnly: new Map() };
  const reach = (schema: unknown, marker: Marker): boolean => {
    const start = scanSchema(schema);
    if (start[marker]) return true;
    // Depth-first through references. When nothing marked is found, nothing visited reaches a mark either.
    const visited = new Set<string>();
    const stack = [...start.refs];
    while (stack.length > 0) {
      const pointer = stack.pop()!;
      if (visited.has(pointer) || memo[marker].get(pointer) === false) continue;
      if (memo[marker].get(pointer) === true || scanAt(pointer)[marker]) {
        memo[marker].set(pointer, true);
        return true;
      }
      visited.add(pointer);
      stack.push(...scanAt(pointer).refs);
    }
    for (const pointer of visited) memo[marker].set(pointer, false);
    return false;
  };
  reachers.set(document, reach);
  return reach;
}

/** The marks and references in one schema subtree, references not followed. */
function scanSchema(schema: unknown): Scan {
  const scan: Scan = { readOnly: false, writeOnly: false, refs: [] };
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    if (!isObject(node)) continue;
    if (node.readOnly === true) scan.readOnly = true;
    if (node.writeOnly === true) scan.writeOnly = true;
    const pointer = typeof node.$ref === "string" ? localPointer(node.$ref) : undefined;
    // Normalised, so that `#/a/b` and `#/a/%62` are one node.
    if (pointer !== undefined) scan.refs.push(pointerOf(segmentsOf(pointer)));
    for (const [key, value] of Object.entries(node)) {
      if (SCHEMA_MAPS.has(key) && isObject(value)) stack.push(...Object.values(value));
      else if (!DATA_KEYS.has(key)) stack.push(value);
    }
  }
  return scan;
}
