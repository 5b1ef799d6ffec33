/**
 * The compiler options the generated code is promised to compile under, written once for every test and script
 * that runs `tsc` on generated output.
 */

/** The product's promise: strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax. */
export const PROMISED_FLAGS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2022", "DOM"],
  types: [] as string[],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
};

/** What the strictest consumers add on top (unused names, implicit returns, index-signature access). */
export const STRICTEST_FLAGS = {
  ...PROMISED_FLAGS,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
};
