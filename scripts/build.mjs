// `npm run build` (also run by `npm ci` and `npm install`, as `prepare`): bundles the generator's TypeScript into
// `dist/` with esbuild, so that `bin/specfetch.js` runs JavaScript, not tsx (see `generator/output/prebuilt.js`).
// Packages are imported from node_modules at run time (but see `packagesExternal`). Written to a temporary folder, then renamed into
// place, so that a run never sees half a build.
import { build } from "esbuild";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST, sourcesHash } from "../generator/output/prebuilt.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Every package is imported from node_modules at run time, with two exceptions. openapi-typescript is bundled,
 * so that its `import ts from "typescript"` (and ours) can be given TypeScript through `require`: Node 20
 * imports the 9 MB CommonJS file as ES module only after scanning it for its export names and module format,
 * about 0.3 s of the schema thread (`import` 0.5 s against `require` 0.2 s, measured on Node 20.20).
 */
const packagesExternal = {
  name: "packages-external",
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({
      path: "typescript",
      namespace: "require",
    }));
    build.onLoad({ filter: /^typescript$/, namespace: "require" }, () => ({
      contents:
        'import { createRequire } from "node:module";\n' +
        'export default createRequire(import.meta.url)("typescript");\n',
      loader: "js",
    }));
    build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      /^openapi-typescript(\/|$)/.test(path) ? undefined : { path, external: true },
    );
  },
};
const started = Date.now();
const sha256 = sourcesHash();
const staging = mkdtempSync(join(ROOT, ".dist-"));
try {
  await build({
    entryPoints: {
      launch: join(ROOT, "generator/launch.ts"),
      // The schema thread's entry (`emit/schema-thread.ts` starts `./schema-worker.mjs` beside itself).
      "schema-worker": join(ROOT, "generator/emit/schema-worker.ts"),
    },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Packages stay in node_modules, except openapi-typescript (bundled: its modules import `typescript`).
    plugins: [packagesExternal],
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunk-[hash]",
    // Source maps: `node --enable-source-maps` stack traces, and bench/profile.mjs names generator files with them.
    sourcemap: true,
    logLevel: "warning",
  });
  writeFileSync(join(staging, "sources.json"), `${JSON.stringify({ sha256 })}\n`);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(staging, DIST);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
console.log(`specfetch: generator built into dist/ in ${Date.now() - started} ms`);
