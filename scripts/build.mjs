// `npm run build` (also run by `npm ci` and `npm install`, as `prepare`): bundles the generator's TypeScript into
// `dist/` with esbuild, so that `bin/specfetch.js` runs JavaScript, not tsx (see `generator/output/prebuilt.js`).
// Packages are imported from node_modules at run time (but see `packagesExternal`). Written to a temporary
// folder, then renamed into place, so that a run never sees half a build.
import { build } from "esbuild";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILT_IN, DIST, sourcesHash } from "../generator/output/prebuilt.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Every package is imported from node_modules at run time. The two big CommonJS ones, TypeScript (9 MB) and
 * ts-morph, are loaded through `require`: Node 20 imports a CommonJS file as an ES module only after scanning it
 * for its export names and module format (TypeScript: `import` 0.5 s against `require` 0.2 s; ts-morph 0.33 s
 * against 0.25 s, measured on Node 20.20). openapi-typescript is bundled, so that its own
 * `import ts from "typescript"` gets the same.
 */
const THROUGH_REQUIRE = ["typescript", "ts-morph"];
// What the sources hash records of node_modules must cover what this build takes from it.
if (![...THROUGH_REQUIRE, "openapi-typescript"].every((name) => BUILT_IN.includes(name)))
  throw new Error("scripts/build.mjs: a package the build depends on is missing from BUILT_IN");
const require = createRequire(import.meta.url);

const packagesExternal = {
  name: "packages-external",
  setup(build) {
    const filter = new RegExp(`^(${THROUGH_REQUIRE.join("|")})$`);
    build.onResolve({ filter }, ({ path }) => ({ path, namespace: "require" }));
    build.onLoad({ filter: /.*/, namespace: "require" }, ({ path }) => {
      // Its export names, read now: an ES module cannot export names it learns only at run time.
      const names = Object.keys(require(path)).filter(
        (name) => name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name),
      );
      return {
        contents: [
          'import { createRequire } from "node:module";',
          `const loaded = createRequire(import.meta.url)(${JSON.stringify(path)});`,
          "export default loaded;",
          `export const { ${names.join(", ")} } = loaded;`,
        ].join("\n"),
        loader: "js",
      };
    });
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
