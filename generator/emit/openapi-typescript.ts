/**
 * The parts of openapi-typescript that `schema.ts` uses, imported from their own modules: its package entry
 * also loads `@redocly/openapi-core` whole (for the lint and bundle steps we do not run, see `schema.ts`), a
 * second of the schema thread's start on a cold run. The package exports every file (`"./*"`); the types are
 * the entry's, which re-exports these same functions.
 */
import type * as Entry from "openapi-typescript";
import * as ts from "openapi-typescript/dist/lib/ts.mjs";
import * as utils from "openapi-typescript/dist/lib/utils.mjs";
import * as transform from "openapi-typescript/dist/transform/index.mjs";

export const astToString = ts.astToString as typeof Entry.astToString;
export const resolveRef = utils.resolveRef as typeof Entry.resolveRef;
export const scanDiscriminators = utils.scanDiscriminators as typeof Entry.scanDiscriminators;
export const transformSchema = transform.default as typeof Entry.transformSchema;
