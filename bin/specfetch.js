#!/usr/bin/env node
// The `specfetch` command. An up-to-date output (same spec bytes, options and generator) is recognised first, in
// plain JavaScript, so that such a run loads nothing else (`generator/output/fast-path.js`). Otherwise it runs the
// prebuilt generator (`dist/`, bundled from the sources on `npm ci`) when that matches the sources, else the
// TypeScript sources through tsx: an edit needs no build step to take effect (`generator/output/prebuilt.js`).
import { upToDateRun } from "../generator/output/fast-path.js";
import { prebuiltEntry } from "../generator/output/prebuilt.js";

const argv = process.argv.slice(2);
const upToDate = await upToDateRun(argv);
if (upToDate !== undefined) process.exitCode = upToDate;
else {
  const prebuilt = prebuiltEntry();
  if (prebuilt === undefined) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  const { launch } = await import(prebuilt ?? "../generator/launch.ts");
  process.exitCode = await launch(argv);
}
