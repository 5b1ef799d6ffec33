// The floor phase of `npm run bench` (issue 7: "if a target is out of reach with the card's tools, say what the
// floor is, measured, and what would break it"). The card's tools are the product's fixed pipeline:
// openapi-typescript for the types, ts-morph for emission, prettier for formatting. On the GitHub spec this
// measures, each part as its own whole process (bench/lib/floor-runner.mjs, median of the run's repetitions,
// interleaved), the work such a pipeline cannot avoid:
//   node    Node's start and exit, nothing loaded (the baseline);
//   load    loading yaml, ts-morph, prettier (with its babel-ts parser) and openapi-typescript's transform;
//   parse   reading and JSON.parse of the 13 MB document;
//   types   openapi-typescript's types step called as a library: load, parse, transform, print (the schema
//           thread's unavoidable share; without openapiTS()'s Redocly lint and bundle, which a pipeline skips);
//   emit    ts-morph printing specfetch's statement structures for client.ts (the structures are built once
//           beforehand by bench/lib/floor-structures.mjs and read from JSON, not counted);
//   format  prettier (specfetch's options) on specfetch's own client.ts for GitHub, its doc comments laid aside
//   main    the main thread's unavoidable share in one process: load its modules, parse, print client.ts with
//           ts-morph, format it.
// operations.ts (the metadata table) is laid out by prettier's printer from documents specfetch builds for it,
// without prettier's parser (generator/emit/layout.ts): no ts-morph or prettier parse to count, and its layout
// is specfetch's own work, left out like the rest below.
// The main thread's floor is `main` less its reading of the structures. Left out, so the floor is lower than any
// real pipeline's: validation, the IR and the structures built from it, writing the files, a worker thread's
// start. prettier gets the text already in its final layout, the cheapest input it can get (ts-morph's raw print
// costs it more).
// The floor of a missed target is then computed from these medians and the gen phase's peers of the same run.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { median, runMeasured, summarise } from "./lib/measure.mjs";
import { mib, ratio, seconds, table } from "./lib/report.mjs";
import { BENCH, genDir, generators, specs, WORK } from "./lib/tools.mjs";

export const FLOOR_PARTS = [
  { id: "node", label: "node start, nothing loaded" },
  { id: "load", label: "start + load yaml, ts-morph, prettier, openapi-typescript" },
  { id: "parse", label: "start + read + JSON.parse of the document" },
  {
    id: "types",
    label: "start + openapi-typescript's types step (load, parse, transform, print)",
  },
  { id: "emit", label: "start + ts-morph printing specfetch's structures of client.ts" },
  { id: "format", label: "start + prettier on specfetch's client.ts (doc comments laid aside)" },
  {
    id: "main",
    label:
      "start + load yaml, ts-morph, prettier + parse + print client.ts with ts-morph + format it",
  },
];
/** The files the pipeline emits with ts-morph and formats with prettier. */
const FILES = ["client.ts"];
const RUNNER = join(BENCH, "lib/floor-runner.mjs");

/** The recorded experiment that removed ts-morph + prettier from the main thread (not measured in this run). */
const LAYOUT_PRINTER = [
  "The recorded layout-printer experiment (not measured in this run): client.ts and operations.ts printed through",
  "prettier's layout documents directly, without ts-morph or a prettier parse (commits 0cd548e, 18792e8, 98bcaea,",
  "recorded by merge 332af9f and not applied: the product's pipeline is ts-morph + prettier), measured in its own",
  "earlier run 0.77× openapi-typescript's time and 1.25× its peak RSS on GitHub, with byte-identical output.",
].join("\n");

/**
 * specfetch's GitHub output, whose client.ts prettier formats (the gen phase's, or one run now), and the
 * ts-morph structures of that file as JSON.
 */
async function specfetchOutput({ spec, specfetchRoot, timeoutMs, log }) {
  const dir = genDir("github", "specfetch");
  if (!FILES.every((f) => existsSync(join(dir, f)))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, ".."), { recursive: true });
    const [command, args] = generators[0].command({ spec, out: dir, specfetchRoot });
    const run = await runMeasured({ command, args, cwd: WORK, timeoutMs });
    log(`floor: specfetch's GitHub output ${run.ok ? "generated" : `FAILED ${run.error}`}`);
    if (!run.ok) return { error: `specfetch produced no GitHub output: ${run.error}` };
  }
  const structures = join(WORK, "floor", "structures.json");
  mkdirSync(join(structures, ".."), { recursive: true });
  const run = await runMeasured({
    command: process.execPath,
    args: [join(BENCH, "lib/floor-structures.mjs"), specfetchRoot, spec, structures],
    cwd: WORK,
    timeoutMs,
  });
  log(`floor: specfetch's ts-morph structures ${run.ok ? "written" : `FAILED ${run.error}`}`);
  return run.ok ? { dir, structures } : { error: `no ts-morph structures: ${run.error}` };
}

/** Median of each in-process step over the runs that completed. */
function medianSteps(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps ?? {})))];
  return Object.fromEntries(
    names.map((name) => [name, median(runs.map((r) => r.steps?.[name] ?? NaN))]),
  );
}

export async function floorPhase({ reps, specfetchRoot, timeoutMs, log, rotate }) {
  const spec = specs.find((s) => s.id === "github");
  if (!existsSync(spec.path)) return { skipped: spec.missing };
  const output = await specfetchOutput({ spec: spec.path, specfetchRoot, timeoutMs, log });
  if (output.error) return { skipped: output.error };
  const runs = new Map(FLOOR_PARTS.map((p) => [p.id, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const part of rotate(FLOOR_PARTS, rep)) {
      if (runs.get(part.id).some((r) => !r.ok)) continue;
      const run = await runMeasured({
        command: process.execPath,
        args: [RUNNER, part.id, specfetchRoot, spec.path, output.dir, output.structures],
        cwd: WORK,
        timeoutMs,
      });
      if (run.ok) run.steps = JSON.parse(run.stdout.trim().split("\n").at(-1)).steps;
      runs.get(part.id).push(run);
      log(
        `floor ${rep + 1}/${reps} ${part.id}: ${run.ok ? `${seconds(run.wallMs)}, ${mib(run.maxRssKiB)}` : `FAILED ${run.error}`}`,
      );
    }
  }
  return {
    parts: FLOOR_PARTS.map((part) => ({
      ...part,
      ...summarise(runs.get(part.id)),
      steps: medianSteps(runs.get(part.id).filter((r) => r.ok)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------- the floor

/**
 * The unavoidable work placed on two threads, with client.ts formatted on either: the main thread
 * runs the `main` part less the files moved; the other thread runs the `types` part, then loads prettier and
 * formats the files moved to it. A thread's start and the wait for the emitted text are not counted (lower).
 * Returns every placement and the cheapest; one thread (everything in sequence, the document parsed once) too.
 */
export function floorOf(floor) {
  const part = (id) => floor.parts.find((p) => p.id === id);
  const [node, main, types] = [part("node"), part("main"), part("types")];
  if (![node, main, types].every((p) => p?.ok)) return null;
  const format = (file) => main.steps[`prettier ${file}`];
  // Reading the structures from JSON stands for building them from the IR: specfetch's work, not the floor's.
  const mainMsAll = main.wallMs - main.steps["read structures"];
  const placements = [[], FILES].map((moved) => {
    const movedMs = moved.reduce((sum, file) => sum + format(file), 0);
    const mainMs = mainMsAll - movedMs;
    const otherMs = types.wallMs + (moved.length > 0 ? main.steps["load prettier"] + movedMs : 0);
    return { moved, mainMs, otherMs, wallMs: Math.max(mainMs, otherMs) };
  });
  const cheapest = placements.reduce((best, p) => (p.wallMs < best.wallMs ? p : best));
  return {
    node,
    main,
    mainMs: mainMsAll,
    types,
    placements,
    cheapest,
    /** Both threads' peaks at once, Node's own baseline counted once. */
    twoThreadsRssKiB: main.maxRssKiB + types.maxRssKiB - node.maxRssKiB,
    oneThread: {
      wallMs: mainMsAll + types.wallMs - node.wallMs - types.steps["read + JSON.parse"],
      /** At least the larger of the two: one thread's peak cannot be below either part's. */
      maxRssKiB: Math.max(main.maxRssKiB, types.maxRssKiB),
    },
  };
}

const stepsCell = (steps) =>
  Object.entries(steps)
    .map(([name, ms]) => `${name} ${seconds(ms)}`)
    .join("; ");

export function floorPartsTable(floor) {
  return table(
    [
      "part (GitHub spec, whole process)",
      "time (median)",
      "peak RSS (median)",
      "runs (s)",
      "in the process (median)",
    ],
    floor.parts.map((p) =>
      p.ok
        ? [
            p.label,
            seconds(p.wallMs),
            mib(p.maxRssKiB),
            p.all.map((ms) => (ms / 1000).toFixed(1)).join(", "),
            stepsCell(p.steps) || "—",
          ]
        : [p.label, `**failed**: ${p.error}`, "", "", ""],
    ),
  );
}

const placementLabel = (p) =>
  p.moved.length === 0
    ? "types on the other thread, client.ts formatted on the main thread"
    : `types and the formatting of ${p.moved.join(" and ")} on the other thread`;

/** What the longer thread of a placement runs, in words. */
function longerThread(p) {
  const formatted = FILES.filter((f) => !p.moved.includes(f));
  return p.mainMs >= p.otherMs
    ? `the main thread (start, load, parse, ts-morph's print${formatted.length > 0 ? `, prettier on ${formatted.join(" and ")}` : ""}): ${seconds(p.mainMs)}`
    : `the other thread (openapi-typescript's types step${p.moved.length > 0 ? `, then prettier on ${p.moved.join(" and ")}` : ""}): ${seconds(p.otherMs)}`;
}

/**
 * What alone takes longer than `budgetMs`, among the work no placement divides: the types step (one thread loads,
 * parses and transforms), the parse, and each prettier call (one file, one call).
 */
function overBudget(floor, budgetMs) {
  const over = floor.parts
    .filter((p) => p.ok && ["types", "parse"].includes(p.id) && p.wallMs > budgetMs)
    .map((p) => `${p.label}, ${seconds(p.wallMs)}`);
  const format = floor.parts.find((p) => p.id === "format");
  for (const file of FILES) {
    const ms = format?.ok ? format.steps[`prettier ${file}`] : NaN;
    if (ms > budgetMs) over.push(`prettier on ${file}, one call, ${seconds(ms)} in the process`);
  }
  return over;
}

function timeFloorText({ floor, target, peerRow, computed }) {
  const { cheapest } = computed;
  const budget = peerRow.wallMs; // every time target is ≤ or < 1.0× the peer
  const value = cheapest.wallMs / peerRow.wallMs;
  const lines = [
    `**${target.label}**: specfetch ${target.measured}. Floor on two threads: ${seconds(cheapest.wallMs)}, ` +
      `${ratio(cheapest.wallMs, peerRow.wallMs)} ${peerRow.id} (${seconds(peerRow.wallMs)}), with ${placementLabel(cheapest)}; its longer thread is ${longerThread(cheapest)}.`,
  ];
  if (target.floor.pass(value)) {
    lines.push(
      "The floor is within the target: the card's tools do not stop it. The gap between specfetch and this floor is specfetch's own: " +
        "reading and validating the untrusted document, the IR and the structures built from it, laying out operations.ts, the schema thread's " +
        "preparation of the document for openapi-typescript, and the garbage collection all of it costs (prettier on ts-morph's raw print of " +
        "client.ts costs about what it does on the laid-out text: 0.66 s against 0.64 s warm, measured 2026-12-06).",
    );
    return lines.join(" ");
  }
  const over = overBudget(floor, budget);
  lines.push(
    over.length > 0
      ? `Why: already over the target's ${seconds(budget)}, measured alone: ${over.join("; ")}.`
      : `Why: no part alone exceeds ${seconds(budget)}; their sum on the longer thread does, however the formatting is split.`,
  );
  // Without ts-morph's print and prettier the main thread keeps its start, its loads and the parse (a printer of
  // laid-out text would add its own time, not counted here).
  const { main, mainMs, types } = computed;
  const printing = [
    "ts-morph project",
    ...FILES.flatMap((f) => [`ts-morph ${f}`, `prettier ${f}`]),
  ];
  const withoutThem = Math.max(
    mainMs - printing.reduce((sum, name) => sum + main.steps[name], 0),
    types.wallMs,
  );
  lines.push(
    `What would break it: emitting client.ts as text already laid out, with neither ts-morph's printer nor prettier's parser ` +
      `(what generator/emit/client-layout.ts now does). ` +
      `Without their share, this run's floor would be ${seconds(withoutThem)}, ${ratio(withoutThem, peerRow.wallMs)} ${peerRow.id} ` +
      `(${target.floor.pass(withoutThem / peerRow.wallMs) ? "within" : "still over"} the target, before such a printer's own time; the recorded experiment below).`,
  );
  return lines.join(" ");
}

function memoryFloorText({ floor, target, peerRow, computed }) {
  const { node, main, types, oneThread } = computed;
  const two = computed.twoThreadsRssKiB;
  const budget = peerRow.maxRssKiB * 1.2; // the only memory target: ≤ 1.2× openapi-typescript alone
  const lines = [
    `**${target.label}**: specfetch ${target.measured}. Floor on two threads (as the time floor needs): ` +
      `${mib(two)}, ${ratio(two, peerRow.maxRssKiB)} ${peerRow.id} (${mib(peerRow.maxRssKiB)}): the types part's ` +
      `${mib(types.maxRssKiB)} and the main part's ${mib(main.maxRssKiB)} at once, Node's ${mib(node.maxRssKiB)} counted once. ` +
      `On one thread: at least ${mib(oneThread.maxRssKiB)}, ${ratio(oneThread.maxRssKiB, peerRow.maxRssKiB)}, ` +
      `but its time floor is the sum, ${seconds(oneThread.wallMs)}, ${ratio(oneThread.wallMs, peerRow.wallMs)} ${peerRow.id}'s time.`,
  ];
  if (target.floor.pass(two / peerRow.maxRssKiB)) {
    lines.push(
      "The two-thread floor is within the target: the card's tools do not stop it; the gap is specfetch's own (what its two heaps hold besides the parts' work).",
    );
    return lines.join(" ");
  }
  const over = floor.parts
    .filter((p) => p.ok && p.id !== "node" && p.maxRssKiB > budget)
    .map((p) => `${p.label}, ${mib(p.maxRssKiB)}`);
  lines.push(
    over.length > 0
      ? `Why: already over the target's ${mib(budget)}, measured alone: ${over.join("; ")}.`
      : `Why: no part alone exceeds the target's ${mib(budget)}; the two heaps held at once do.`,
    target.floor.pass(oneThread.maxRssKiB / peerRow.maxRssKiB)
      ? "One thread would be within this target and give up the time targets."
      : "Not even one thread would be within this target.",
    "What would break it: one thread, at the time cost above, or a main thread holding less than ts-morph and prettier need " +
      "(the recorded experiment below stayed over this target).",
  );
  return lines.join(" ");
}

/**
 * "Missed targets: the measured floor": the parts' table, then one paragraph per missed generation target
 * (`targets`: report.mjs's list for this run), set against the peers of the gen phase of the same run.
 */
export function floorMarkdown({ floor, generation, targets }) {
  const lines = [
    "The card's tools (openapi-typescript for the types, ts-morph for emission, prettier for formatting) on the",
    "GitHub spec: the work a pipeline built on them cannot avoid, each part its own whole process",
    "(`bench/floor.mjs`, `bench/lib/floor-runner.mjs`), medians of this run. Left out, so that the floor is",
    "lower than any real pipeline: validation, the IR and the ts-morph structures built from it (the parts read",
    "specfetch's structures from JSON, not counted), writing the files, a worker's start. prettier formats",
    "specfetch's own output (text already in its final layout, the cheapest input it can get) with its doc",
    "comments laid aside (prettier prints them as they are). specfetch itself no longer runs either on most of",
    "client.ts: it lays the statements out with prettier's doc printer from their structures",
    "(`generator/emit/client-layout.ts`), so its main thread can be under this floor's. The floor",
    "sets the gen phase's peers of this same run against the cheapest way to place this work on two threads.",
    "",
  ];
  if (floor.skipped) return [...lines, `Not measured: ${floor.skipped}.`].join("\n");
  lines.push(floorPartsTable(floor), "");
  const computed = floorOf(floor);
  if (!computed) return [...lines, "No floor: a part failed."].join("\n");
  lines.push(
    "Placements on two threads (the cheapest is the floor of the critical path):",
    "",
    table(
      ["placement", "main thread", "other thread", "critical path"],
      computed.placements.map((p) => [
        placementLabel(p),
        seconds(p.mainMs),
        seconds(p.otherMs),
        seconds(p.wallMs),
      ]),
    ),
    "",
  );
  const gh = generation?.specs.find((s) => s.id === "github" && !s.skipped);
  const missed = (targets ?? []).filter((t) => t.floor && t.status === "missed");
  if (!gh) {
    lines.push("No gen phase in this run: the floor is not set against the targets.");
    return lines.join("\n");
  }
  if (missed.length === 0) {
    lines.push("No generation target was missed in this run.");
    return lines.join("\n");
  }
  for (const target of missed) {
    const peerRow = gh.rows.find((r) => r.id === target.floor.peer);
    lines.push(
      target.floor.measure === "wallMs"
        ? timeFloorText({ floor, target, peerRow, computed })
        : memoryFloorText({ floor, target, peerRow, computed }),
      "",
    );
  }
  if (lines.some((line) => line.includes("the recorded experiment below")))
    lines.push(LAYOUT_PRINTER);
  return lines.join("\n").trimEnd();
}
