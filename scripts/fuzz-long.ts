/**
 * The long run of the property test in `test/security-fuzz.test.ts`: `npm run fuzz` checks 20,000 random
 * hostile specs (`npm run fuzz -- <count> [seed]` for another figure). The seed is random unless given, and
 * printed, so that a failure can be replayed: fast-check reports the seed and the shrunk counterexample. Any
 * crash (a case neither generated nor rejected with located diagnostics) makes it exit 1.
 */
import { runFuzz } from "../test/helpers/security-fuzz.js";

const count = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? process.env.SPECFETCH_FUZZ_SEED ?? Date.now() % 2 ** 31);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

console.log(`specfetch fuzz: ${count} cases, seed ${seed}`);
try {
  const result = await runFuzz({
    count,
    seed,
    onProgress: (done) => {
      if (done % 1000 === 0) console.log(`  ${done} cases, ${seconds()} s`);
    },
  });
  const failed = Object.values(result.failed).reduce((a, b) => a + b, 0);
  console.log(
    `${failed === 0 ? "passed" : "FAILED"}: ${count} cases in ${seconds()} s: ${result.generated} generated ` +
      `(output checked), ${result.rejected} rejected with located diagnostics, ${failed} crashed`,
  );
  console.log(`  rejections by code: ${JSON.stringify(result.codes)}`);
  if (failed > 0) {
    // A crash (no output, no location) is a failure of the property: the first fields of each kind replay it.
    console.log(`  crashes: ${JSON.stringify(result.failed)}`);
    for (const [message, fields] of Object.entries(result.failedExamples))
      console.log(`  first ${JSON.stringify(message)}: ${JSON.stringify(fields)}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`FAILED after ${seconds()} s (seed ${seed}):`);
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
