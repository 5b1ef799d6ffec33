#!/usr/bin/env node
// The `specfetch` command. The generator is TypeScript, run through tsx: there is no build step to remember.
// An up-to-date output (same spec bytes, options and generator) is recognised first, in plain JavaScript, so
// that such a run loads neither tsx nor the generator (`generator/output/fast-path.js`).
import { upToDateRun } from "../generator/output/fast-path.js";

const argv = process.argv.slice(2);
const upToDate = await upToDateRun(argv);
if (upToDate !== undefined) process.exitCode = upToDate;
else {
  const { register } = await import("tsx/esm/api");
  register();
  // The schema thread (openapi-typescript) first: it loads its modules while this thread loads the generator.
  if (!argv.some((a) => a === "--help" || a === "--version")) {
    const { schemaThread } = await import("../generator/emit/schema-thread.ts");
    schemaThread();
  }
  const { main } = await import("../generator/cli.ts");
  process.exitCode = await main(argv);
}
