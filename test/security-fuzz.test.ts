/**
 * Property-based: random hostile unicode in every spec field never becomes code (see
 * `test/helpers/security-fuzz.ts` for the properties checked). A fixed seed keeps CI deterministic;
 * `SPECFETCH_FUZZ_SEED` and `SPECFETCH_FUZZ_CASES` explore further, and `npm run fuzz` runs 20,000 cases.
 *
 * Every case is generated or rejected with located diagnostics: a crash (no output, no location) fails the test.
 * The first `TYPE_CHECKED` generated outputs are also compiled, in one `tsc` program, under the strictest flags.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { runFuzz, type FuzzResult } from "./helpers/security-fuzz.js";
import { ROOT, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";

const CASES = Number(process.env.SPECFETCH_FUZZ_CASES ?? 400);
const SEED = Number(process.env.SPECFETCH_FUZZ_SEED ?? 20_240_611);
const TYPE_CHECKED = 40;

const tmp = mkdtempSync(join(tmpdir(), "specfetch-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let result: FuzzResult;

it(`${CASES} random hostile specs: each is rejected with located diagnostics, or its output parses, holds no injected code and round-trips every value; none crashes`, async () => {
  const started = performance.now();
  result = await runFuzz({ count: CASES, seed: SEED, keep: TYPE_CHECKED });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { samples: _, ...figures } = result;
  console.log(`fuzz: ${CASES} cases (seed ${SEED}) in ${seconds} s:`, JSON.stringify(figures));
  // A crash is a spec specfetch neither generates nor explains: the fields that caused it are shown.
  expect(result.failedExamples).toEqual({});
  expect(result.failed).toEqual({});
  // Enough of them get through validation for the output properties to be exercised.
  expect(result.generated).toBeGreaterThan(CASES * 0.3);
  expect(result.generated + result.rejected).toBe(CASES);
});

it(`the first ${TYPE_CHECKED} generated outputs type-check under the strictest flags (one tsc program)`, async () => {
  expect(result?.samples.length).toBe(TYPE_CHECKED);
  // One shared runtime (a symlink in each case: tsc resolves it to one source file), one folder per case.
  writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "module" }));
  const runtime = join(tmp, "runtime.ts");
  symlinkSync(join(ROOT, "generator/runtime/runtime.ts"), runtime);
  const files = result.samples.map((sample, i) => {
    const dir = join(tmp, `case-${i}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(sample)) writeFileSync(join(dir, name), text);
    symlinkSync(runtime, join(dir, "runtime.ts"));
    return `case-${i}/client.ts`;
  });
  withTypeChecking(tmp);
  writeFileSync(
    join(tmp, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...STRICTEST_FLAGS, noEmit: true }, files }),
  );
  const started = performance.now();
  const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: tmp });
  console.log(
    `fuzz: tsc on ${TYPE_CHECKED} outputs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.code).toBe(0);
});
