// `npm run bench`: specfetch against its peers (issue 7). Installs the bench's own pinned peers on first use
// (`npm ci --prefix bench`), then measures, interleaved (each repetition goes round the tools, starting one
// further along each time), the median of several whole-process runs of:
//   gen     generation time and peak RSS on GitHub, Stripe and the Dashboard spec, plus specfetch's no-change rerun;
//   tsc     `tsc --noEmit` of a consumer calling GET /repos/{owner}/{repo} through each tool's GitHub output;
//   bundle  min and min+gzip bytes of that consumer bundled by esbuild (measured once: it is deterministic);
//   rps     sequential calls per second against a local node:http server, vs a hand-written fetch;
//   floor   the parts a pipeline with the card's tools cannot avoid on GitHub, each a whole process, and the
//           floor they set for a missed generation target (bench/floor.mjs);
//   profile a --cpu-prof run of specfetch on GitHub, summarised (bench/profile.mjs).
// Prints the tables and writes bench/RESULTS.md (only after a full run with every phase).
//
//   npm run bench [-- --reps 3] [-- --phases gen,tsc,bundle,rps,floor,profile] [-- --specfetch <checkout>]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import {
  firstErrorLine,
  GNU_TIME,
  hasGnuTime,
  median,
  runMeasured,
  summarise,
} from "./lib/measure.mjs";
import {
  BENCH,
  consumers,
  consumerTsconfig,
  generators,
  genDir,
  PEERS,
  ROOT,
  specs,
  versionOf,
  WORK,
} from "./lib/tools.mjs";
import { floorMarkdown, floorPhase } from "./floor.mjs";
import {
  bundleTable,
  generationTable,
  rpsTable,
  seconds,
  bundleWhy,
  targets,
  targetsTable,
  tscTable,
} from "./lib/report.mjs";

const PHASES = ["gen", "tsc", "bundle", "rps", "floor", "profile"];
const TIMEOUT_MS = 5 * 60_000;
const RPS_WARMUP = 500;
const RPS_CALLS = 5_000;
/** Per-call runs are short (seconds) and the noisiest measure on a shared machine: twice the repetitions. */
const RPS_REPS_FACTOR = 2;

const { values: options } = parseArgs({
  options: {
    reps: { type: "string", default: "3" },
    phases: { type: "string", default: PHASES.join(",") },
    specfetch: { type: "string", default: ROOT },
  },
});
const reps = Number(options.reps);
const phases = options.phases.split(",").map((p) => p.trim());
const specfetchRoot = resolve(options.specfetch);
if (!Number.isInteger(reps) || reps < 1 || phases.some((p) => !PHASES.includes(p))) {
  console.error(
    `usage: node bench/run.mjs [--reps N≥1] [--phases ${PHASES.join(",")}] [--specfetch <checkout>]`,
  );
  process.exit(2);
}
const fullRun = PHASES.every((p) => phases.includes(p)) && reps >= 3;
const benchStarted = Date.now();
const log = (message) =>
  console.log(`[${((Date.now() - benchStarted) / 1000).toFixed(0).padStart(5)} s] ${message}`);

/** The peers live in bench/node_modules, installed from bench/package-lock.json, never in the main install. */
function ensurePeers() {
  if (existsSync(join(PEERS, ".package-lock.json"))) return;
  log("installing the bench's peers: npm ci --prefix bench");
  const result = spawnSync("npm", ["ci", "--prefix", BENCH, "--no-audit", "--no-fund"], {
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error("bench: `npm ci --prefix bench` failed");
    process.exit(1);
  }
}

/** Rotate a list by `n`, so each repetition starts with a different tool (no tool always runs first or after the same one). */
const rotate = (list, n) => list.map((_, i) => list[(i + n) % list.length]);

function gitDescribe(dir) {
  const head = spawnSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  if (head.status !== 0) return "not a git checkout";
  const dirty = spawnSync(
    "git",
    ["-C", dir, "status", "--porcelain", "--", "bin", "generator", "package.json"],
    { encoding: "utf8" },
  );
  return `${head.stdout.trim()}${dirty.stdout.trim() ? " + uncommitted changes in bin/, generator/ or package.json" : ""}`;
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadStart: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" "),
  };
}

// ---------------------------------------------------------------------------------------------- generation

async function generateOnce({ spec, tool, rep }) {
  const out = genDir(spec.id, tool.id);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(tool.createsOut ? join(out, "..") : out, { recursive: true });
  const [command, args] = tool.command({ spec: spec.path, out, specfetchRoot });
  const run = await runMeasured({ command, args, cwd: WORK, timeoutMs: TIMEOUT_MS });
  if (run.ok && !existsSync(join(out, tool.expect))) {
    run.ok = false;
    run.error = `exited 0 but wrote no ${tool.expect}: ${firstErrorLine(`${run.stderr}\n${run.stdout}`)}`;
  }
  log(
    `gen ${rep + 1}/${reps} ${spec.id} ${tool.id}: ${run.ok ? `${seconds(run.wallMs)}, ${Math.round(run.maxRssKiB / 1024)} MiB` : `FAILED ${run.error}`}`,
  );
  return run;
}

/** specfetch again into the folder it just wrote, from the same spec: nothing changed, so nothing should be redone. */
async function regenerateOnce({ spec, rep }) {
  const tool = generators.find((g) => g.id === "specfetch");
  const [command, args] = tool.command({
    spec: spec.path,
    out: genDir(spec.id, tool.id),
    specfetchRoot,
  });
  const run = await runMeasured({ command, args, cwd: WORK, timeoutMs: TIMEOUT_MS });
  log(
    `gen ${rep + 1}/${reps} ${spec.id} specfetch no-change rerun: ${run.ok ? `${seconds(run.wallMs)}, ${Math.round(run.maxRssKiB / 1024)} MiB` : `FAILED ${run.error}`}`,
  );
  return run;
}

async function generationPhase() {
  const available = specs.filter((spec) => existsSync(spec.path));
  for (const spec of specs.filter((s) => !available.includes(s)))
    log(`skipping ${spec.label}: ${spec.missing}`);
  const runs = new Map(); // `${spec}/${tool}` -> runs
  const push = (key, run) => runs.set(key, [...(runs.get(key) ?? []), run]);
  const failed = new Set();
  const operations = new Map();
  for (let rep = 0; rep < reps; rep++) {
    for (const spec of available) {
      for (const tool of rotate(generators, rep)) {
        const key = `${spec.id}/${tool.id}`;
        if (failed.has(key)) continue; // a peer that failed once fails the same way: no need to wait for it again
        const run = await generateOnce({ spec, tool, rep });
        push(key, run);
        if (!run.ok) failed.add(key);
        if (tool.id !== "specfetch" || !run.ok) continue;
        operations.set(spec.id, /generated (\d+) operations/.exec(run.stdout + run.stderr)?.[1]);
        push(`${spec.id}/specfetch-regen`, await regenerateOnce({ spec, rep }));
      }
    }
  }
  const labelOf = (id) =>
    id === "specfetch-regen"
      ? "specfetch, no-change rerun (same spec, same --out)"
      : generators.find((g) => g.id === id).label;
  return {
    specs: specs.map((spec) =>
      available.includes(spec)
        ? {
            id: spec.id,
            label: spec.label,
            operations: operations.get(spec.id),
            rows: ["specfetch", "specfetch-regen", ...generators.slice(1).map((g) => g.id)]
              .filter((id) => runs.has(`${spec.id}/${id}`))
              .map((id) => ({
                id,
                label: labelOf(id),
                ...summarise(runs.get(`${spec.id}/${id}`)),
              })),
          }
        : { id: spec.id, label: spec.label, skipped: spec.missing },
    ),
  };
}

/** The consumer phases need each tool's GitHub output: generate it once if the gen phase did not run. */
async function ensureGithubOutputs() {
  const github = specs.find((s) => s.id === "github");
  for (const tool of generators) {
    if (existsSync(join(genDir("github", tool.id), tool.expect))) continue;
    await generateOnce({ spec: github, tool, rep: 0 });
  }
}

// ---------------------------------------------------------------------------------------------- consumers

const consumerDir = (id) => join(WORK, "consumers", id);

function writeConsumers() {
  for (const consumer of consumers) {
    const dir = consumerDir(consumer.id);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "consumer.ts"), consumer.source().trimStart());
    writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(consumerTsconfig, null, 2)}\n`);
  }
}

/** A consumer whose generator has no GitHub output cannot be measured: say which generator failed. */
function missingOutput(consumer) {
  if (consumer.gen === null) return null;
  const tool = generators.find((g) => g.id === consumer.gen);
  return existsSync(join(genDir("github", tool.id), tool.expect))
    ? null
    : `${tool.id} produced no GitHub output`;
}

const failedRow = (consumer, error) => ({
  id: consumer.id,
  label: consumer.label,
  ok: false,
  error,
  all: [],
});

async function tscPhase() {
  const tsc = join(PEERS, "typescript/bin/tsc");
  const list = consumers.filter((c) => c.phases.includes("tsc"));
  const runs = new Map(list.map((c) => [c.id, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const consumer of rotate(list, rep)) {
      if (missingOutput(consumer)) continue;
      const run = await runMeasured({
        command: process.execPath,
        args: [tsc, "-p", join(consumerDir(consumer.id), "tsconfig.json")],
        cwd: consumerDir(consumer.id),
        timeoutMs: TIMEOUT_MS,
        okExitCodes: [0, 1, 2], // 1 and 2: it finished but reported type errors, counted below
      });
      run.typeErrors = (run.stdout.match(/error TS\d+/g) ?? []).length;
      runs.get(consumer.id).push(run);
      log(
        `tsc ${rep + 1}/${reps} ${consumer.id}: ${run.ok ? `${seconds(run.wallMs)}, ${Math.round(run.maxRssKiB / 1024)} MiB${run.typeErrors ? `, ${run.typeErrors} type errors: ${firstErrorLine(run.stdout)}` : ""}` : `FAILED ${run.error}`}`,
      );
    }
  }
  return {
    rows: list.map((consumer) => {
      const missing = missingOutput(consumer);
      if (missing) return failedRow(consumer, missing);
      const all = runs.get(consumer.id);
      return {
        id: consumer.id,
        label: consumer.label,
        ...summarise(all),
        typeErrors: Math.max(0, ...all.map((r) => r.typeErrors)),
      };
    }),
  };
}

/** esbuild from the bench's own install, so the root install does not need it. */
const esbuild = createRequire(join(BENCH, "package.json"))("esbuild");

/** Same settings as scripts/bundle-size.ts: --bundle --minify --format=esm --platform=neutral, gzip level 9. */
async function bundlePhase() {
  const rows = [];
  for (const consumer of consumers.filter((c) => c.phases.includes("bundle"))) {
    const missing = missingOutput(consumer);
    if (missing) {
      rows.push(failedRow(consumer, missing));
      continue;
    }
    try {
      const result = await esbuild.build({
        entryPoints: [join(consumerDir(consumer.id), "consumer.ts")],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "neutral",
        write: false,
        logLevel: "silent",
      });
      const code = result.outputFiles[0].contents;
      writeFileSync(join(consumerDir(consumer.id), "bundle.min.js"), code);
      rows.push({
        id: consumer.id,
        label: consumer.label,
        ok: true,
        min: code.byteLength,
        gzip: gzipSync(code, { level: 9 }).byteLength,
      });
    } catch (error) {
      rows.push(failedRow(consumer, firstErrorLine(String(error.message ?? error))));
    }
    const row = rows.at(-1);
    log(
      `bundle ${consumer.id}: ${row.ok ? `${row.min} B min, ${row.gzip} B gzip` : `FAILED ${row.error}`}`,
    );
  }
  return { rows };
}

/** Start the local server (our own child) and read its port from its first line. */
function startServer() {
  const child = spawn(process.execPath, [join(BENCH, "lib/server.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolvePort, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) =>
      resolvePort({ child, port: Number(String(chunk).trim()) }),
    );
  });
}

async function rpsPhase() {
  const list = consumers.filter((c) => c.phases.includes("rps"));
  const bundles = new Map();
  const errors = new Map();
  for (const consumer of list) {
    const missing = missingOutput(consumer);
    if (missing) {
      errors.set(consumer.id, missing);
      continue;
    }
    const file = join(consumerDir(consumer.id), "bundle.node.mjs");
    try {
      await esbuild.build({
        entryPoints: [join(consumerDir(consumer.id), "consumer.ts")],
        bundle: true,
        format: "esm",
        platform: "node",
        target: "node20",
        outfile: file,
        logLevel: "silent",
      });
      bundles.set(consumer.id, file);
    } catch (error) {
      errors.set(consumer.id, firstErrorLine(String(error.message ?? error)));
    }
  }
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const runs = new Map(list.map((c) => [c.id, []]));
  try {
    for (let rep = 0; rep < reps * RPS_REPS_FACTOR; rep++) {
      for (const consumer of rotate(list, rep)) {
        if (!bundles.has(consumer.id) || runs.get(consumer.id).some((r) => !r.ok)) continue;
        const run = await runMeasured({
          command: process.execPath,
          args: [
            join(BENCH, "lib/rps-runner.mjs"),
            bundles.get(consumer.id),
            baseUrl,
            String(RPS_WARMUP),
            String(RPS_CALLS),
          ],
          cwd: consumerDir(consumer.id),
          timeoutMs: TIMEOUT_MS,
        });
        if (run.ok) run.rps = JSON.parse(run.stdout.trim().split("\n").at(-1)).rps;
        runs.get(consumer.id).push(run);
        log(
          `rps ${rep + 1}/${reps * RPS_REPS_FACTOR} ${consumer.id}: ${run.ok ? `${Math.round(run.rps)}/s` : `FAILED ${run.error}`}`,
        );
      }
    }
  } finally {
    server.child.kill("SIGTERM");
  }
  return {
    warmup: RPS_WARMUP,
    calls: RPS_CALLS,
    rows: list.map((consumer) => {
      if (errors.has(consumer.id)) return failedRow(consumer, errors.get(consumer.id));
      const all = runs.get(consumer.id);
      const failed = all.find((r) => !r.ok);
      if (failed) return failedRow(consumer, failed.error);
      return {
        id: consumer.id,
        label: consumer.label,
        ok: true,
        rps: median(all.map((r) => r.rps)),
        all: all.map((r) => r.rps),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------- report

function versions() {
  const peers = [
    "openapi-typescript",
    "oazapfts",
    "@oazapfts/runtime",
    "orval",
    "@hey-api/openapi-ts",
    "openapi-fetch",
    "@octokit/openapi",
    "esbuild",
    "typescript",
  ];
  const own = ["openapi-typescript", "prettier", "ts-morph", "tsx", "typescript", "yaml"];
  return [
    `- specfetch ${generators[0].version(specfetchRoot)} (${specfetchRoot === ROOT ? "this checkout" : specfetchRoot}, ${gitDescribe(specfetchRoot)}); its own dependencies: ${own.map((n) => `${n} ${versionOf(n, specfetchRoot)}`).join(", ")}`,
    `- bench peers (bench/package-lock.json): ${peers.map((n) => `${n} ${versionOf(n)}`).join(", ")}`,
    `- tsc for the consumers: typescript ${versionOf("typescript")} from bench/node_modules`,
  ].join("\n");
}

function render({ results, profile, info, wallMs }) {
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const sections = [
    "# specfetch benchmark results",
    "",
    "Regenerated by `npm run bench` (bench/run.mjs): do not edit by hand. Targets and method: issue 7 and the",
    "README's Benchmarks section. The machine is shared and noisy: trust the ratios of one run more than the",
    "absolute times.",
    "",
    `- date: ${new Date(benchStarted).toISOString()}; bench wall time ${(wallMs / 60_000).toFixed(1)} min`,
    `- command: \`${command}\` (${reps} interleaved repetitions; medians; ${TIMEOUT_MS / 60_000} min time box per run)`,
    `- machine: ${info.cores} cores (${info.cpu}), ${info.memory} memory, ${info.os}, Node ${info.node}; load average ${info.loadStart} at start, ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")} at end`,
    `- peak RSS: ${hasGnuTime ? `${GNU_TIME} -f %M (the whole process)` : `not measured: ${GNU_TIME} is missing (apt-get install -y time)`}`,
    versions(),
    "",
    "Specs:",
    ...specs.map((s) => `- ${s.label}: ${s.source}`),
  ];
  if (results.generation)
    sections.push("", "## 1. Generation (whole process)", "", generationTable(results.generation));
  if (results.tsc)
    sections.push(
      "",
      "## 2. Type-check of a consumer calling one operation",
      "",
      "`tsc --noEmit` (strict, moduleResolution bundler, skipLibCheck, lib ES2022 + DOM + DOM.Iterable) of `bench/.work/consumers/<tool>/consumer.ts`,",
      "which calls GET /repos/{owner}/{repo} through the tool's GitHub output and reads the typed `full_name`.",
      "",
      tscTable(results.tsc),
    );
  if (results.bundle)
    sections.push(
      "",
      "## 3. Bundle of that consumer",
      "",
      "esbuild `--bundle --minify --format=esm --platform=neutral`, gzip level 9 (as scripts/bundle-size.ts).",
      "",
      bundleTable(results.bundle),
    );
  if (results.rps)
    sections.push(
      "",
      "## 4. Per-call overhead",
      "",
      "Each client calls GET /repos/{owner}/{repo} on a node:http server on 127.0.0.1 (another process), one call at a time, and parses",
      "the JSON. orval is left out: its fetch client requests relative URLs unless a base URL is baked in at generation time.",
      "",
      rpsTable(results.rps),
    );
  const targetList = targets(results);
  sections.push("", "## Targets (issue 7, GitHub spec, this run)", "", targetsTable(targetList));
  if (results.floor)
    sections.push(
      "",
      "## Missed targets: the measured floor",
      "",
      floorMarkdown({ floor: results.floor, generation: results.generation, targets: targetList }),
    );
  const why = bundleWhy(results.bundle);
  if (why) sections.push("", "## Missed target: the bundle", "", why);
  if (profile) sections.push("", "## CPU profile: specfetch on GitHub", "", profile.markdown);
  return `${sections.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------- main

ensurePeers();
if (!hasGnuTime)
  console.warn(
    `bench: ${GNU_TIME} not found, so peak RSS is not measured (apt-get install -y time)`,
  );
if (!existsSync(join(specfetchRoot, "bin/specfetch.js"))) {
  console.error(`bench: no bin/specfetch.js in ${specfetchRoot}`);
  process.exit(2);
}
mkdirSync(WORK, { recursive: true });
const info = machine();
log(
  `specfetch from ${specfetchRoot} (${gitDescribe(specfetchRoot)}); ${reps} repetitions; phases ${phases.join(",")}`,
);
const results = {};
if (phases.includes("gen")) results.generation = await generationPhase();
// Right after gen: the floor is set against gen's peers, so the two are measured as close in time as they can be.
if (phases.includes("floor"))
  results.floor = await floorPhase({ reps, specfetchRoot, timeoutMs: TIMEOUT_MS, log, rotate });
if (["tsc", "bundle", "rps"].some((p) => phases.includes(p))) {
  await ensureGithubOutputs();
  writeConsumers();
}
if (phases.includes("tsc")) results.tsc = await tscPhase();
if (phases.includes("bundle")) results.bundle = await bundlePhase();
if (phases.includes("rps")) results.rps = await rpsPhase();
let profile = null;
if (phases.includes("profile")) {
  log("profile: specfetch on GitHub under --cpu-prof");
  const { profileSpecfetch, GITHUB_SPEC } = await import("./profile.mjs");
  profile = await profileSpecfetch({ spec: GITHUB_SPEC, specfetchRoot });
}
const markdown = render({ results, profile, info, wallMs: Date.now() - benchStarted });
// The raw medians and every run, for a look or a comparison between two bench runs.
writeFileSync(
  join(WORK, "results.json"),
  `${JSON.stringify({ info, reps, phases, specfetchRoot, results, profile: profile && { ...profile, threads: profile.threads.map((t) => ({ file: t.file, summary: t.summary })) } }, null, 2)}\n`,
);
console.log(`\n${markdown}`);
const target = fullRun ? join(BENCH, "RESULTS.md") : join(WORK, "RESULTS.partial.md");
writeFileSync(target, markdown);
log(
  `wrote ${relative(ROOT, target)}${fullRun ? "" : " (a partial run: bench/RESULTS.md is written only by a full run)"}`,
);
