import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NO_CHECK_DIRECTIVE } from "../../generator/output/format.js";

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

/**
 * Removes the `// @ts-nocheck` line specfetch writes at the top of every generated body (`NO_CHECK_DIRECTIVE`)
 * from the `.ts` files under `dir`, so that `tsc` checks them in full: every test and script that promises the
 * output compiles under the strict flags calls this on its copy first.
 */
export function withTypeChecking(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, "utf8");
    const stripped = typeCheckable(text);
    if (stripped !== text) writeFileSync(file, stripped);
  }
}

/** A generated file's text without its `// @ts-nocheck` line. */
export function typeCheckable(text: string): string {
  return text.replace(`\n${NO_CHECK_DIRECTIVE}\n`, "\n");
}
