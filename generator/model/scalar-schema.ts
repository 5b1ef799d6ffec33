/**
 * Whether a schema proves that every value it allows is a scalar (no array, no object): the runtime then sends a
 * path parameter of style simple without its style expander (OpenAPI 3.1 §4.8.12.4). Anything not proved counts
 * as possibly structured, so an unknown schema only costs bytes, never a wrong serialization.
 */
import { isObject, localPointer, valueAt } from "../load/refs.js";

const STRUCTURED_TYPES = ["object", "array"];

/** Per document, by pointer: each named schema is decided once (`false` while in progress, so a cycle proves nothing). */
const decided = new WeakMap<object, Map<string, boolean>>();

/**
 * JSON Schema 2020-12 §6.1.1 `type` (a name or a list), §6.1.2 `enum`, §6.1.3 `const`; `$ref` and `allOf` (every
 * one applies: one scalar branch suffices), `anyOf` and `oneOf` (every branch must be scalar). `false` allows
 * nothing, so it is vacuously scalar; `true`, `{}` and a missing schema allow anything.
 */
export function isScalarSchema(document: object, schema: unknown): boolean {
  if (schema === false) return true;
  if (!isObject(schema)) return false;
  const scalar = (s: unknown): boolean => isScalarSchema(document, s);
  const { type, enum: values } = schema;
  if (typeof type === "string" && !STRUCTURED_TYPES.includes(type)) return true;
  if (
    Array.isArray(type) &&
    type.every((t) => typeof t === "string" && !STRUCTURED_TYPES.includes(t))
  )
    return true;
  if ("const" in schema && !isStructuredValue(schema.const)) return true;
  if (Array.isArray(values) && !values.some(isStructuredValue)) return true;
  if (Array.isArray(schema.allOf) && schema.allOf.some(scalar)) return true;
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0 && branches.every(scalar)) return true;
  }
  const pointer = typeof schema.$ref === "string" ? localPointer(schema.$ref) : undefined;
  return pointer !== undefined && isScalarAt(document, pointer);
}

function isScalarAt(document: object, pointer: string): boolean {
  let known = decided.get(document);
  if (!known) decided.set(document, (known = new Map()));
  const answer = known.get(pointer);
  if (answer !== undefined) return answer;
  known.set(pointer, false);
  const result = isScalarSchema(document, valueAt(document, pointer));
  known.set(pointer, result);
  return result;
}

function isStructuredValue(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}
