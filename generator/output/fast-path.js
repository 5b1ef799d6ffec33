/**
 * The up-to-date run without the generator: `bin/specfetch.js` calls `upToDateRun` before it registers tsx, so a
 * run whose spec, options and generator are unchanged (a hash hit, `manifest.js`) exits after reading and hashing
 * a few files, in a fraction of the 0.7 s that registering tsx alone costs. Plain JavaScript, node built-ins only.
 *
 * It handles only the plain command line `specfetch <spec> --out <dir> [--quiet]`; any other flag, a config file,
 * a leftover of an interrupted run or any doubt returns `undefined`, and the full CLI runs (and decides the same
 * way, through the same `checkFreshness`, then does everything else the run needs).
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { sourceOutsideRoots } from "../load/roots.js";
import { bannerSpecPath, checkFreshness, readOutputFolder } from "./manifest.js";

/** Generation options that change the output: none yet. Hashed into every banner's manifest (`run.ts`). */
export const GENERATION_OPTIONS = Object.freeze({});

/**
 * The exit code (0) when `argv` asks to generate into an output folder that is already up to date, after printing
 * what the full CLI prints in that case; `undefined` when the full CLI must run.
 * @param {readonly string[]} argv
 * @param {{ cwd?: string; stdout?: (text: string) => void }} [io]
 * @returns {Promise<number | undefined>}
 */
export async function upToDateRun(
  argv,
  { cwd = process.cwd(), stdout = (t) => void process.stdout.write(t) } = {},
) {
  const started = performance.now();
  const command = plainCommand(argv);
  if (command === undefined) return undefined;
  const spec = resolve(cwd, command.spec);
  const specPath = relative(cwd, spec).replace(/\\/g, "/") || command.spec;
  const out = resolve(cwd, command.out);
  try {
    if (await hasLeftovers(out)) return undefined; // the full CLI repairs an interrupted run first
    const folder = await readOutputFolder(out, { contents: false });
    // A source reached only through an extra root (not given on this plain command line): the full CLI decides.
    const sources = folder.banner?.sources ?? [];
    if (sourceOutsideRoots({ specFile: spec, sources })) return undefined;
    const freshness = await checkFreshness({
      folder,
      version: generatorVersion(),
      specFile: spec,
      specPath: bannerSpecPath(spec, out),
      options: GENERATION_OPTIONS,
    });
    if (!freshness.upToDate) return undefined;
  } catch {
    return undefined; // a missing spec, an unreadable folder: the full CLI reports it
  }
  if (!command.quiet) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    stdout(
      `specfetch: ${command.out} is up to date with ${specPath} (spec, options and generator unchanged: nothing regenerated) in ${seconds} s\n`,
    );
  }
  return 0;
}

/**
 * `<spec> --out <dir> [--quiet]` and nothing else, or `undefined`.
 * @param {readonly string[]} argv
 */
function plainCommand(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { out: { type: "string" }, quiet: { type: "boolean" } },
    });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  const spec = positionals[0];
  if (positionals.length !== 1 || spec === undefined || values.out === undefined) return undefined;
  if (!/\.(ya?ml|json)$/i.test(spec)) return undefined;
  // The github reporter (GITHUB_ACTIONS=true) prints the same summary line: nothing differs for this run.
  return { spec, out: values.out, quiet: values.quiet === true };
}

/**
 * Whether an interrupted run left `.<out>.specfetch-(new|old)-<pid>` beside `out` (see `write.ts`).
 * @param {string} out
 */
async function hasLeftovers(out) {
  const prefix = `.${basename(out)}.specfetch-`;
  const names = await readdir(dirname(out)).catch(() => []);
  return names.some((name) => name.startsWith(prefix));
}

/** The version every banner records (as `version.ts` reads it). */
function generatorVersion() {
  const url = new URL("../../package.json", import.meta.url);
  return /** @type {{ version: string }} */ (JSON.parse(readFileSync(url, "utf8"))).version;
}
