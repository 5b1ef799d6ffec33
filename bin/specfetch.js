#!/usr/bin/env node
// The `specfetch` command. The generator is TypeScript, run through tsx: there is no build step to remember.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../generator/cli.ts");
process.exitCode = await main(process.argv.slice(2));
