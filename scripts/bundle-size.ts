/**
 * What one generated operation costs a consumer: esbuild bundles a module that imports `revokeSessionById` from
 * `generated/` (so the whole runtime it needs comes along), minifies it as a production build would, and gzips
 * it. Prints the minified and gzip byte counts.
 *
 *   npx tsx scripts/bundle-size.ts            # human-readable
 *   npx tsx scripts/bundle-size.ts --json     # {"min":…,"gzip":…} for the benchmark
 *   npx tsx scripts/bundle-size.ts --peers bench/node_modules
 *                                             # also openapi-fetch's one-operation bundle, in the same run
 *
 * `measureBundle` is exported so the benchmark measures peers (openapi-fetch, hey-api) the same way.
 */
import { gzipSync } from "node:zlib";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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

/** The same operation (PUT /sessions/{sessionId}/revoke) through openapi-fetch's client, called the same way. */
export const OPENAPI_FETCH_CONSUMER = [
  'import createClient from "openapi-fetch";',
  'const client = createClient({ baseUrl: "https://app.dynamicauth.com/api/v0" });',
  'client.PUT("/sessions/{sessionId}/revoke", { params: { path: { sessionId: "x" } } }).then(console.log);',
].join("\n");

/** openapi-fetch from a `node_modules` folder that has it (the bench's: `npm ci --prefix bench`). */
export function measureOpenapiFetch(nodeModules: string): Promise<BundleSize> {
  return measureBundle({ source: OPENAPI_FETCH_CONSUMER, resolveDir: dirname(nodeModules) });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = await measureSpecfetch();
  const peersIndex = process.argv.indexOf("--peers");
  const peers = peersIndex === -1 ? undefined : resolve(process.argv[peersIndex + 1] ?? "");
  if (peers !== undefined && !existsSync(join(peers, "openapi-fetch")))
    throw new Error(`--peers: no openapi-fetch in ${peers}`);
  const peer = peers === undefined ? undefined : await measureOpenapiFetch(peers);
  if (process.argv.includes("--json"))
    console.log(JSON.stringify(peer ? { ...size, openapiFetch: peer } : size));
  else {
    console.log(`generated/ revokeSessionById + runtime: min ${size.min} B, gzip ${size.gzip} B`);
    if (peer)
      console.log(`openapi-fetch, same operation:        min ${peer.min} B, gzip ${peer.gzip} B`);
  }
}
