/** `schema.ts`: openapi-typescript's `paths`, `components` and `operations` types for the document. */
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { collectRefs, isObject, localPointer, valueAt } from "../load/refs.js";
import { segmentsOf } from "../diagnostics.js";

export async function schemaSource(document: Record<string, unknown>): Promise<string> {
  // openapi-typescript annotates the objects it walks: give it its own copy.
  const copy = structuredClone(document);
  inlineDeepRefs(copy);
  const ast = await openapiTS(copy as unknown as OpenAPI3, { silent: true });
  return astToString(ast);
}

/**
 * openapi-typescript prints a `$ref` to anywhere but `#/components/<type>/<name>` as an indexed access into its
 * own types, which do not have the shape of the document (`…["schema"]["items"]` on a type that has neither):
 * the output does not compile. Such references are replaced by a copy of their target. Bounded, since a copy
 * may itself hold such references.
 */
function inlineDeepRefs(document: Record<string, unknown>, rounds = 8): void {
  for (let round = 0; round < rounds; round++) {
    const deep = collectRefs(document).filter(({ ref }) => isDeep(ref));
    if (deep.length === 0) return;
    for (const { ref, pointer } of deep) {
      const holder = valueAt(document, pointer);
      const target = valueAt(document, localPointer(ref)!);
      if (!isObject(holder) || target === undefined) continue;
      delete holder.$ref;
      Object.assign(holder, structuredClone(target));
    }
  }
}

function isDeep(ref: string): boolean {
  const pointer = localPointer(ref);
  if (pointer === undefined) return false;
  const segments = segmentsOf(pointer);
  return !(segments.length === 3 && segments[0] === "components");
}
