// `npm run build` (also run by `npm ci` and `npm install`, as `prepare`): bundles the generator's TypeScript into
// `dist/` with esbuild, so that `bin/specfetch.js` runs JavaScript, not tsx (see `generator/output/prebuilt.js`).
// Packages stay external (imported from node_modules as before). Written to a temporary folder, then renamed into
// place, so that a run never sees half a build.
import { build } from "esbuild";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DIST, sourcesHash } from "../generator/output/prebuilt.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
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
    packages: "external",
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
