/**
 * The prebuilt generator (`dist/`, bundled by `scripts/build.mjs` on `npm ci`) is what `bin/specfetch.js` runs
 * while it matches the sources, and it writes the same bytes as the sources through tsx. An edit of any file
 * under `generator/` makes it stale, and the sources run instead (no build step to remember).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prebuiltEntry, sourcesHash } from "../generator/output/prebuilt.js";
import { CLI, FIXTURES, ROOT } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const TRACER = join(ROOT, "test/helpers/trace-imports.mjs");

describe("which generator a run takes", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "specfetch-prebuilt-"));
    mkdirSync(join(root, "generator/emit"), { recursive: true });
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, "generator/a.ts"), "export const a = 1;\n");
    writeFileSync(join(root, "generator/emit/b.ts"), "export const b = 2;\n");
    mkdirSync(join(root, "node_modules/openapi-typescript"), { recursive: true });
    writeFileSync(
      join(root, "node_modules/openapi-typescript/package.json"),
      '{"version":"7.13.0"}',
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const record = (sha256: string) =>
    writeFileSync(join(root, "dist/sources.json"), JSON.stringify({ sha256 }));

  it("the prebuilt entry while the record matches the sources; none after any edit", () => {
    expect(prebuiltEntry(root)).toBeUndefined(); // never built
    record(sourcesHash(root));
    expect(prebuiltEntry(root)).toBe(pathToFileURL(join(root, "dist/launch.mjs")).href);

    writeFileSync(join(root, "generator/emit/b.ts"), "export const b = 3;\n");
    expect(prebuiltEntry(root)).toBeUndefined(); // a changed byte, in a subfolder
    record(sourcesHash(root));
    writeFileSync(join(root, "generator/c.ts"), "");
    expect(prebuiltEntry(root)).toBeUndefined(); // a new (even empty) file
    rmSync(join(root, "generator/c.ts"));
    expect(prebuiltEntry(root)).toBeDefined(); // back as built
  });

  it("none after another version of a package the build takes in is installed (openapi-typescript is bundled)", () => {
    const pkg = join(root, "node_modules/openapi-typescript/package.json");
    record(sourcesHash(root));
    expect(prebuiltEntry(root)).toBeDefined();
    writeFileSync(pkg, '{"version":"7.14.0"}');
    expect(prebuiltEntry(root)).toBeUndefined();
    writeFileSync(pkg, '{"version":"7.13.0"}');
    expect(prebuiltEntry(root)).toBeDefined();
  });

  it("a file's name counts, not only its bytes", () => {
    const before = sourcesHash(root);
    const bytes = readFileSync(join(root, "generator/a.ts"));
    rmSync(join(root, "generator/a.ts"));
    writeFileSync(join(root, "generator/a2.ts"), bytes);
    expect(sourcesHash(root)).not.toBe(before);
    rmSync(join(root, "generator/a2.ts"));
    writeFileSync(join(root, "generator/a.ts"), bytes);
    expect(sourcesHash(root)).toBe(before);
  });
});

// `npm ci` builds it (the `prepare` script); a checkout edited since runs the sources, which this cannot test.
const built = prebuiltEntry() !== undefined;

describe.skipIf(!built)("this checkout's prebuilt generator", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "specfetch-prebuilt-run-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs the CLI on `spec` into `out`; returns the files and whether tsx and the prebuilt entry were loaded. */
  async function generate(spec: string, out: string, env: Record<string, string> = {}) {
    const log = join(work, `${out}.log`);
    const result = await run(
      process.execPath,
      ["--import", TRACER, CLI, join(FIXTURES, spec), "--out", join(work, out)],
      { env: { ...process.env, ...env, TRACE_IMPORTS_LOG: log } },
    );
    expect(result.code, result.stderr).toBe(0);
    const urls = existsSync(log) ? readFileSync(log, "utf8") : "";
    const files = Object.fromEntries(
      readdirSync(join(work, out))
        .sort()
        .map((f) => [f, readFileSync(join(work, out, f), "utf8")]),
    );
    return {
      files,
      tsx: urls.includes("/node_modules/tsx/"),
      prebuilt: urls.includes("/dist/launch.mjs"),
    };
  }

  it.each(["bodies/spec.yaml", "multi-file/openapi.yaml", "swagger2/spec.yaml"])(
    "writes what the sources write, without tsx: %s",
    async (spec) => {
      const name = spec.replace(/\W/g, "-");
      const prebuilt = await generate(spec, `${name}-prebuilt`);
      const sources = await generate(spec, `${name}-sources`, { SPECFETCH_FROM_SOURCES: "1" });
      expect([prebuilt.prebuilt, prebuilt.tsx]).toEqual([true, false]);
      expect([sources.prebuilt, sources.tsx]).toEqual([false, true]);
      expect(Object.keys(prebuilt.files)).toEqual([
        "client.ts",
        "index.ts",
        "operations.ts",
        "runtime.ts",
        "schema.ts",
      ]);
      expect(prebuilt.files).toEqual(sources.files);
    },
    60_000,
  );
});

if (!built)
  describe("this checkout's prebuilt generator", () => {
    it.skip("is stale or missing here: `npm run build` (npm ci runs it) to test it", () => {});
  });
