/**
 * What one generated operation costs a consumer: esbuild bundles a module that imports `revokeSessionById` from
 * `generated/` (so the whole runtime it needs comes along), minifies it as a production build would, and gzips
 * it. Prints the minified and gzip byte counts.
 *
 *   npx tsx scripts/bundle-size.ts            # human-readable
 *   npx tsx scripts/bundle-size.ts --json     # {"min":…,"gzip":…} for the benchmark
 *
 * `measureBundle` is exported so the benchmark measures peers (openapi-fetch, hey-api) the same way.
 */
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The consumer: one operation, called, so nothing it needs can be tree-shaken away. */
export const SPECFETCH_CONSUMER = [
  'import { revokeSessionById } from "./generated/index.js";',
  'revokeSessionById({ path: { sessionId: "x" } }).then(console.log);',
].join("\n");

export interface BundleSize {
  /** Bytes of the minified ESM bundle. */
  readonly min: number;
  /** Bytes of that bundle gzipped (zlib level 9, as the `gzip-size` convention). */
  readonly gzip: number;
}

/** Bundles `source` (TypeScript, imports resolved from `resolveDir`) with `--bundle --minify --format=esm`. */
export async function measureBundle(input: {
  source: string;
  resolveDir: string;
}): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: input.source, resolveDir: input.resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** One specfetch operation (`revokeSessionById`) with the runtime, from the committed `generated/`. */
export function measureSpecfetch(): Promise<BundleSize> {
  return measureBundle({ source: SPECFETCH_CONSUMER, resolveDir: ROOT });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = await measureSpecfetch();
  if (process.argv.includes("--json")) console.log(JSON.stringify(size));
  else
    console.log(`generated/ revokeSessionById + runtime: min ${size.min} B, gzip ${size.gzip} B`);
}
