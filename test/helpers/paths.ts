/** Paths the tests share, all relative to the repository root (tests never depend on the working directory). */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SPEC = join(ROOT, "spec/dashboard-api.yaml");
export const GENERATED = join(ROOT, "generated");
export const FIXTURES = join(ROOT, "test/fixtures");
export const RUNTIME_SOURCE = join(ROOT, "generator/runtime/runtime.ts");
export const CLI = join(ROOT, "bin/specfetch.js");
export const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The fixture specs that generate a client (under `FIXTURES`): the tests that check every client use this list. */
export const CLIENT_FIXTURES = [
  "seed/revoke-session.yaml",
  "params/spec.yaml",
  "bodies/spec.yaml",
  "responses/spec.yaml",
  "security/spec.yaml",
  "naming/spec.yaml",
  "multi-file/openapi.yaml",
  "swagger2/spec.yaml",
  "anchors/spec.yaml",
  "circular/spec.yaml",
  "runtime-extras/spec.yaml",
  "statuses/spec.yaml",
  "binary/spec.yaml",
  "binary-3.1/spec.yaml",
  "binary-swagger2/spec.yaml",
  "read-write/spec.yaml",
  "deprecated/spec.yaml",
  "servers/spec.yaml",
] as const;

/** `../shared/specs`, which CI has and a plain clone may not: tests that read it skip without it. */
export const SHARED_SPECS = process.env.SPECFETCH_SHARED_SPECS ?? join(ROOT, "../shared/specs");
export const HAS_SHARED_SPECS = existsSync(SHARED_SPECS);

/** How a spec path appears in banners: relative to the root, forward slashes, the same on every machine. */
export function displayPathOf(path: string): string {
  return relative(ROOT, path).split("\\").join("/");
}
