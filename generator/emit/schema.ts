/** `schema.ts`: openapi-typescript's `paths`, `components` and `operations` types for the document. */
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

export async function schemaSource(document: Record<string, unknown>): Promise<string> {
  // openapi-typescript may annotate the objects it walks: give it its own copy.
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true });
  return astToString(ast);
}
