/**
 * Property-based: random hostile unicode in every spec field never becomes code (see
 * `test/helpers/security-fuzz.ts` for the properties checked). A fixed seed keeps CI deterministic;
 * `SPECFETCH_FUZZ_SEED` and `SPECFETCH_FUZZ_CASES` explore further, and `npm run fuzz` runs 20,000 cases.
 */
import { expect, it } from "vitest";
import { runFuzz } from "./helpers/security-fuzz.js";

const CASES = Number(process.env.SPECFETCH_FUZZ_CASES ?? 400);
const SEED = Number(process.env.SPECFETCH_FUZZ_SEED ?? 20_240_611);

it(`${CASES} random hostile specs: each is rejected with located diagnostics, or its output parses, holds no injected code and round-trips every value`, async () => {
  const started = performance.now();
  const result = await runFuzz({ count: CASES, seed: SEED });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${CASES} cases (seed ${SEED}) in ${seconds} s:`, JSON.stringify(result));
  // Enough of them get through validation for the output properties to be exercised.
  expect(result.generated).toBeGreaterThan(CASES * 0.3);
  expect(
    result.generated + result.rejected + Object.values(result.failed).reduce((a, b) => a + b, 0),
  ).toBe(CASES);
});
