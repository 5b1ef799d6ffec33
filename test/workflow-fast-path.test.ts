/**
 * The up-to-date run (hash hit) exits before the generator is loaded: `bin/specfetch.js` checks the output with
 * `generator/output/fast-path.js` (node built-ins only) and loads the generator (prebuilt in `dist/`, or the sources
 * through tsx) only when something must be generated.
 * Observed from outside: a module hook (`helpers/trace-imports.mjs`) logs every module the process resolves.
 * Every input the banner records still counts: a byte of the spec, of a file it references, the options, the
 * generator version, a hand edit in the output.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasExternalRefs } from "../generator/output/manifest.js";
import { CLI, FIXTURES, HAS_SHARED_SPECS, ROOT, SHARED_SPECS } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const TRACER = join(ROOT, "test/helpers/trace-imports.mjs");
const STRIPE = "peers/openapi-typescript/packages/openapi-typescript/examples/stripe-api.yaml";
/**
 * What a generating run loads and an up-to-date run must not: "generator" is the generator's entry, prebuilt
 * (`dist/launch.mjs`) or the sources (`generator/launch.ts`).
 */
const HEAVY = [
  "generator",
  "tsx",
  "prettier",
  "ts-morph",
  "openapi-typescript",
  "@redocly",
  "yaml",
  "typescript",
];

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-fast-"));
  cpSync(join(FIXTURES, "workflow/multi"), join(work, "multi"), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI; `heavy` lists the packages of HEAVY it resolved. */
async function specfetch(...args: string[]) {
  const log = join(work, `imports-${Math.random().toString(36).slice(2)}.log`);
  const result = await run(process.execPath, ["--import", TRACER, CLI, ...args], {
    cwd: work,
    env: { ...process.env, TRACE_IMPORTS_LOG: log },
  });
  const urls = existsSync(log) ? readFileSync(log, "utf8").split("\n") : [];
  rmSync(log, { force: true });
  const heavy = HEAVY.filter((name) =>
    urls.some((url) =>
      name === "generator"
        ? /\/(dist\/launch\.mjs|generator\/launch\.ts)$/.test(url)
        : url.includes(`/node_modules/${name}/`),
    ),
  );
  return { ...result, heavy };
}

const generate = (...extra: string[]) => specfetch("multi/spec.yaml", "--out", "out", ...extra);

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

/** Rewrites the banner of every generated file the same way (the set stays consistent, the bodies intact). */
function editBanners(edit: (banner: string) => string): void {
  for (const file of readdirSync(join(work, "out"))) {
    const path = join(work, "out", file);
    const [headline, manifest, ...rest] = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, [...edit(`${headline}\n${manifest}`).split("\n"), ...rest].join("\n"));
  }
}

describe("an up-to-date output: the generator is not loaded", () => {
  it("the second run loads none of the generator, tsx, prettier, ts-morph, openapi-typescript, redocly, yaml", async () => {
    const first = await generate();
    expect(first.code, first.stderr).toBe(0);
    // The tracer sees a generating run's dependencies (else this test could not fail). It sees `import`s only:
    // the prebuilt generator loads ts-morph and TypeScript through `require` (scripts/build.mjs).
    expect(first.heavy).toEqual(expect.arrayContaining(["generator", "prettier"]));
    const before = snapshot(join(work, "out"));

    const again = await generate();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^specfetch: out is up to date with multi\/spec\.yaml \(spec, options and generator unchanged: nothing regenerated\) in \d+\.\d s\n$/,
    );
    expect(again.heavy).toEqual([]);
    expect(snapshot(join(work, "out"))).toEqual(before);

    const quiet = await generate("--quiet");
    expect([quiet.code, quiet.stdout, quiet.heavy]).toEqual([0, "", []]);
  });

  it("any other flag takes the full CLI (which decides the same)", async () => {
    expect((await generate()).code).toBe(0);
    const verbose = await generate("--verbose");
    expect(verbose.stdout).toContain("nothing regenerated");
    expect(verbose.heavy).toContain("generator");
    const check = await generate("--check");
    expect([check.code, check.heavy.includes("generator")]).toEqual([0, true]);
    const json = await generate("--reporter", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "up-to-date", exitCode: 0 });
  });
});

describe("every recorded input still regenerates", () => {
  it.each([
    [
      "a byte of the spec",
      () => {
        const spec = join(work, "multi/spec.yaml");
        writeFileSync(spec, readFileSync(spec, "utf8") + "\n");
      },
    ],
    [
      "a byte of a file the spec references",
      () => {
        const shared = join(work, "multi/shared.yaml");
        writeFileSync(shared, readFileSync(shared, "utf8") + "\n");
      },
    ],
    [
      "the options recorded in the banners",
      () => editBanners((b) => b.replace(/options=[0-9a-f]{16}/, "options=0000000000000000")),
    ],
    [
      "the generator version recorded in the banners",
      () => editBanners((b) => b.replace(/specfetch \S+ from/, "specfetch 0.0.9 from")),
    ],
    [
      "a hand edit of one output file",
      () => {
        const client = join(work, "out/client.ts");
        writeFileSync(client, readFileSync(client, "utf8") + "// mine\n");
      },
    ],
  ])("%s", async (_what, change) => {
    expect((await generate()).code).toBe(0);
    const clean = snapshot(join(work, "out"));
    change();
    const next = await generate();
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).not.toContain("nothing regenerated");
    expect(next.stdout).toMatch(/specfetch: generated 1 operation from multi\/spec\.yaml/);
    expect(next.heavy).toContain("generator");
    // What the regeneration wrote is again recognised as up to date without the generator.
    const settled = await generate();
    expect([settled.stdout.includes("nothing regenerated"), settled.heavy]).toEqual([true, []]);
    if (_what === "a hand edit of one output file")
      expect(snapshot(join(work, "out"))).toEqual(clean);
  });

  it("a leftover of an interrupted run is repaired by the full CLI", async () => {
    expect((await generate()).code).toBe(0);
    cpSync(join(work, "out"), join(work, ".out.specfetch-new-4194305"), { recursive: true });
    const next = await generate();
    expect(next.code, next.stderr).toBe(0);
    expect(next.heavy).toContain("generator");
    expect(existsSync(join(work, ".out.specfetch-new-4194305"))).toBe(false);
  });
});

describe("hasExternalRefs: the bytes scan means the pattern it replaced", () => {
  const pattern = /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#][^\s"']*/;
  it.each([
    '$ref: "#/components/schemas/A"',
    "$ref: ./shared.yaml#/A",
    '{"$ref": "other.json"}',
    "'$ref' : 'x.yaml'",
    "$ref:#a",
    "$ref:\u00a0x.yaml", // a no-break space is whitespace to `\s`
    "$ref:\u00a0#/a",
    "$ref\u3000: y.yaml",
    "$ref: é.yaml",
    '$ref: "',
    "$ref",
    "$ref: \n  x.yaml",
    'x: 1\n$ref: "#/a"\n$ref: b.yaml',
  ])("%j", (text) => {
    expect(hasExternalRefs(Buffer.from(text))).toBe(pattern.test(text));
  });

  it.each([
    // A YAML block scalar is read from its first line (Stripe writes long local references so).
    ["$ref: >-\n  #/components/schemas/a", false],
    ["$ref: |\n\n   #/x", false],
    ["$ref: >2-  \n  #/a", false],
    ["$ref: >-\n  shared.yaml#/a", true],
    ["$ref: > # a comment\n  #/a", true], // not recognised: regenerating is the safe side
    // Spaces past the first 4 KiB decoded.
    [`$ref:${" ".repeat(5000)}b.yaml`, true],
    [`$ref:${"\u00a0".repeat(3000)}#/a`, false],
    [`$ref:${"\u00a0".repeat(3000)}b.yaml`, true],
  ])("%j → %s", (text, external) => {
    expect(hasExternalRefs(Buffer.from(text))).toBe(external);
  });

  it.skipIf(!HAS_SHARED_SPECS)(
    "Stripe's spec, whose long local references are block scalars, has no external one (skipped when ../shared/specs is absent)",
    () => {
      expect(hasExternalRefs(readFileSync(join(SHARED_SPECS, STRIPE)))).toBe(false);
    },
  );
});
