// The prebuilt generator (`dist/`, written by `scripts/build.mjs` on `npm ci` and `npm run build`): the same
// TypeScript sources bundled to JavaScript by esbuild, so that a run neither starts tsx's loader thread nor
// transpiles the generator (about 120 MB and 0.5 s of CPU on GitHub's spec). Used only while it was built from the
// sources as they are now: `dist/sources.json` records the sha256 of every file under `generator/` and of the
// installed versions of the packages the build takes in (`BUILT_IN`), and a run whose sources hash otherwise (an
// edit, or `npm install` of another openapi-typescript without a rebuild) runs the sources through tsx instead.
//
// Plain JavaScript on node built-ins: it runs before anything is loaded.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DIST = join(ROOT, "dist");

/**
 * Packages whose installed version the build depends on: openapi-typescript is bundled into `dist/`, and the
 * names TypeScript and ts-morph export are read when it is built (`scripts/build.mjs`).
 */
export const BUILT_IN = ["openapi-typescript", "typescript", "ts-morph"];

/**
 * sha256 over every file under `root/generator/` (paths relative, forward slashes, sorted; then the bytes), then
 * the `package.json` of each `BUILT_IN` package in `root/node_modules`.
 */
export function sourcesHash(root = ROOT) {
  const generator = join(root, "generator");
  const files = readdirSync(generator, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .map((path) => ({ path, name: relative(generator, path).split(sep).join("/") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash("sha256");
  for (const { path, name } of files) {
    const bytes = readFileSync(path);
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  for (const name of BUILT_IN) {
    let bytes;
    try {
      bytes = readFileSync(join(root, "node_modules", name, "package.json"));
    } catch {
      bytes = Buffer.alloc(0); // not installed: the build would fail, and so would the sources
    }
    hash.update(`node_modules/${name}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

/**
 * The prebuilt entry's URL when it matches the sources, else `undefined` (never built, or stale).
 * `SPECFETCH_FROM_SOURCES=1` always runs the sources (tests compare both ways).
 */
export function prebuiltEntry(root = ROOT) {
  if (process.env.SPECFETCH_FROM_SOURCES === "1") return undefined;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(join(root, "dist/sources.json"), "utf8")).sha256;
  } catch {
    return undefined;
  }
  if (recorded !== sourcesHash(root)) return undefined;
  return pathToFileURL(join(root, "dist/launch.mjs")).href;
}
