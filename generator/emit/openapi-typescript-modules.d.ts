// openapi-typescript ships types for its entry only; these modules export the same functions (see
// `openapi-typescript.ts`), typed there from the entry's declarations.
declare module "openapi-typescript/dist/lib/ts.mjs" {
  export const astToString: unknown;
}
declare module "openapi-typescript/dist/lib/utils.mjs" {
  export const resolveRef: unknown;
  export const scanDiscriminators: unknown;
}
declare module "openapi-typescript/dist/transform/index.mjs" {
  const transformSchema: unknown;
  export default transformSchema;
}
