/**
 * Swagger 2.0 documents are converted to OpenAPI 3.0 by `swagger2openapi` (the maintained converter the
 * ecosystem uses) before anything else reads them. `swagger: 2.0` written as an unquoted YAML number counts too.
 */
import { isObject } from "./refs.js";

export function isSwagger2(document: unknown): boolean {
  return isObject(document) && (document.swagger === "2.0" || document.swagger === 2);
}

/** The promise form of `convertObj` (the published types only describe its callback form precisely). */
type ConvertObj = (
  document: object,
  options: Record<string, unknown>,
) => Promise<{ openapi: unknown }>;

export async function convertSwagger2(
  document: Record<string, unknown>,
): Promise<Record<string, unknown>> {
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
  return result.openapi as Record<string, unknown>;
}
