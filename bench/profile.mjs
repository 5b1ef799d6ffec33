// CPU profile of one specfetch run: `node --cpu-prof bin/specfetch.js <spec> --out <tmp>`, summarised as the top
// self-time functions and the files they live in. The lead reads this before optimising (issue 7).
//
//   node bench/profile.mjs [spec]   # default: the GitHub document from @octokit/openapi (npm ci --prefix bench)
//
// bin/specfetch.js runs the prebuilt generator (dist/, bundled by scripts/build.mjs) when it matches the sources,
// else the sources through tsx (then the profile includes tsx's loader thread). The schema thread
// (openapi-typescript) writes its own .cpuprofile; each thread is summarised separately. Frames in dist/ are
// named by the generator file they come from, through the bundle's source maps.
import { readdirSync, readFileSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, resolve, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runMeasured } from "./lib/measure.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const WORK = join(ROOT, "bench", ".work");
export const GITHUB_SPEC = join(
  ROOT,
  "bench/node_modules/@octokit/openapi/generated/api.github.com.json",
);

/** Self time of every sample, attributed like Chrome DevTools: sample i lasts until sample i + 1. */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const next = timeDeltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + next);
  }
  return self; // node id -> microseconds
}

/** `file:///…/generator/x.ts` -> `generator/x.ts` (whichever checkout); a package path -> `pkg/path/in/package`. */
function shortUrl(url) {
  if (url === "") return "";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) return path.slice(nm + "/node_modules/".length);
  const own = /\/((?:generator|bin|scripts)\/.*)$/.exec(path);
  return own ? own[1] : path;
}

/** Package (or `specfetch:<folder>`, `node:internal`, `(vm)`) a frame belongs to. */
function ownerOf(url) {
  const short = shortUrl(url);
  if (short === "") return "(vm: gc, program, idle)";
  if (url.startsWith("wasm:")) return "(wasm)";
  if (short.startsWith("node:")) return "node: built-ins";
  if (url.includes("/node_modules/")) {
    const parts = short.split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const folder = short.split("/").slice(0, 2).join("/");
  return `specfetch: ${folder}`;
}

/**
 * Inclusive time per specfetch source file (generator/, bin/): each sample counts once for every such file on its
 * stack, so this shows where the pipeline's stages spend their time, dependencies included.
 */
function inclusiveBySpecfetchFile(profile, self) {
  const parent = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map();
  for (const [id, us] of self) {
    const files = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? "";
      if (url.startsWith("file://") && !url.includes("/node_modules/")) files.add(shortUrl(url));
    }
    for (const file of files) totals.set(file, (totals.get(file) ?? 0) + us);
  }
  return totals;
}

/**
 * A profile whose frames in the prebuilt generator (`dist/*.mjs`, bundled by scripts/build.mjs) name the source
 * file, line and column they come from, through the bundle's source map: a chunk's name says nothing.
 */
function withSourceFrames(profile) {
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      let map = null;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, "utf8")));
      } catch {
        // not a bundle of ours, or built without maps: the frame stays as it is
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  const nodes = profile.nodes.map((node) => {
    const { url, lineNumber, columnNumber } = node.callFrame;
    const map = /\/dist\/[^/]+\.mjs$/.test(url) ? mapOf(url) : null;
    const entry = map?.findEntry(lineNumber, columnNumber);
    if (!entry?.originalSource) return node;
    const source = new URL(entry.originalSource, url).href;
    const callFrame = { ...node.callFrame, url: source, lineNumber: entry.originalLine };
    return { ...node, callFrame: { ...callFrame, columnNumber: entry.originalColumn } };
  });
  return { ...profile, nodes };
}

/** Summarise one .cpuprofile: total sampled time, top functions and top owners by self time. */
export function summariseProfile(raw, { top = 15 } = {}) {
  const profile = withSourceFrames(raw);
  const self = selfTimes(profile);
  const byFunction = new Map();
  const byOwner = new Map();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
    const key = `${name}\u0000${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const owner = ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => ({ key, ms: us / 1000, share: us / totalUs }));
  return {
    totalMs: totalUs / 1000,
    functions: rank(byFunction).map(({ key, ms, share }) => {
      const [name, where] = key.split("\u0000");
      return { name, where, ms, share };
    }),
    owners: rank(byOwner).map(({ key, ms, share }) => ({ owner: key, ms, share })),
    idleMs: (byFunction.get("(idle)\u0000") ?? 0) / 1000,
    specfetchFiles: rank(inclusiveBySpecfetchFile(profile, self)).map(({ key, ms, share }) => ({
      file: key,
      ms,
      share,
    })),
  };
}

const pct = (share) => `${(share * 100).toFixed(1)} %`;
const ms = (value) => `${Math.round(value).toLocaleString("en-US")} ms`;
const cell = (text) => String(text).replaceAll("|", "\\|");

/** Markdown for one thread's summary. */
export function profileMarkdown(summary, { title }) {
  const lines = [
    `**${title}**: ${ms(summary.totalMs)} sampled, ${ms(summary.totalMs - summary.idleMs)} of it not idle.`,
    "",
    "| # | function | where | self | share |",
    "| -: | --- | --- | -: | -: |",
    ...summary.functions.map(
      (f, i) =>
        `| ${i + 1} | \`${cell(f.name)}\` | ${cell(f.where) || "—"} | ${ms(f.ms)} | ${pct(f.share)} |`,
    ),
    "",
    "| package / folder | self | share |",
    "| --- | -: | -: |",
    ...summary.owners
      .slice(0, 10)
      .map((o) => `| ${cell(o.owner)} | ${ms(o.ms)} | ${pct(o.share)} |`),
  ];
  if (summary.specfetchFiles.length > 0)
    lines.push(
      "",
      "Inclusive time by specfetch file counts only synchronous stacks: work resumed after an `await` (prettier's",
      "async `format`, for one) has no caller on its stack, so it shows in the tables above, not under its caller.",
      "",
      "| specfetch file (inclusive: its code and everything it calls synchronously) | time | share |",
      "| --- | -: | -: |",
      ...summary.specfetchFiles
        .slice(0, 12)
        .map((f) => `| ${cell(f.file)} | ${ms(f.ms)} | ${pct(f.share)} |`),
    );
  return lines.join("\n");
}

/**
 * Run specfetch under --cpu-prof on `spec` and summarise every thread's profile.
 * Returns { ok, error, wallMs, maxRssKiB, threads: [{ file, summary }], markdown }.
 */
export async function profileSpecfetch({
  spec = GITHUB_SPEC,
  specfetchRoot = ROOT,
  top = 15,
  timeoutMs = 5 * 60_000,
} = {}) {
  const profDir = join(WORK, "profile");
  const out = join(WORK, "profile-out");
  rmSync(profDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const run = await runMeasured({
    command: process.execPath,
    args: [
      "--cpu-prof",
      `--cpu-prof-dir=${profDir}`,
      join(specfetchRoot, "bin/specfetch.js"),
      spec,
      "--out",
      out,
    ],
    cwd: specfetchRoot,
    timeoutMs,
  });
  const files = existsSync(profDir)
    ? readdirSync(profDir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort()
    : [];
  const threads = files
    .map((file) => ({
      file,
      summary: summariseProfile(JSON.parse(readFileSync(join(profDir, file), "utf8")), { top }),
    }))
    .sort((a, b) => b.summary.totalMs - a.summary.totalMs);
  const command = `node --cpu-prof --cpu-prof-dir=bench/.work/profile bin/specfetch.js ${relative(ROOT, spec)} --out bench/.work/profile-out`;
  const parts = [
    `Command: \`${command}\` (${run.ok ? `${(run.wallMs / 1000).toFixed(1)} s wall under the profiler` : `failed: ${run.error}`}).`,
    "Self time: time spent in the function's own code, not in what it calls. The main thread comes first; the",
    "others are the schema thread (openapi-typescript, `generator/emit/schema-thread.ts`) and, when the sources run through tsx, its module",
    "loaders (transpiling the generator), one per thread. The raw `.cpuprofile` files stay in",
    "`bench/.work/profile/` (open them in Chrome DevTools or speedscope).",
  ];
  threads.forEach((thread, i) => {
    const title = i === 0 ? `Main thread (${thread.file})` : `Other thread (${thread.file})`;
    parts.push(
      "",
      profileMarkdown(
        i === 0
          ? thread.summary
          : { ...thread.summary, functions: thread.summary.functions.slice(0, 5) },
        { title },
      ),
    );
  });
  return {
    ok: run.ok,
    error: run.error,
    wallMs: run.wallMs,
    maxRssKiB: run.maxRssKiB,
    threads,
    markdown: parts.join("\n"),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const spec = process.argv[2] ? resolve(process.argv[2]) : GITHUB_SPEC;
  if (!existsSync(spec)) {
    console.error(
      `profile: ${spec} not found (the GitHub spec comes from the bench's peers: npm ci --prefix bench)`,
    );
    process.exit(2);
  }
  const result = await profileSpecfetch({ spec });
  console.log(result.markdown);
  process.exitCode = result.ok ? 0 : 1;
}
