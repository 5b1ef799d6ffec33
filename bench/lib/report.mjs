// Tables, targets and RESULTS.md from the bench's measurements. Every row carries the ratio specfetch / that row.

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
export const seconds = (ms) =>
  Number.isFinite(ms)
    ? ms < 10_000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${(ms / 1000).toFixed(1)} s`
    : "—";
export const mib = (kib) => (Number.isFinite(kib) ? `${Math.round(kib / 1024)} MiB` : "—");
const bytes = (n) => (Number.isFinite(n) ? `${n.toLocaleString("en-US")} B` : "—");
export const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "—";
const rate = (n) => (Number.isFinite(n) ? `${Math.round(n).toLocaleString("en-US")}/s` : "—");
const runsCell = (row) =>
  row.all.map((ms) => (ms === null ? "✗" : (ms / 1000).toFixed(1))).join(", ");

/** A markdown table whose first `textColumns` columns are left-aligned and the rest (numbers) right-aligned. */
export function table(header, rows, textColumns = 1) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((h, i) => (i < textColumns ? "---" : "--:")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

const failedCell = (row) => `**failed**: ${row.error}`;

export function generationTable(generation) {
  const rows = [];
  for (const spec of generation.specs) {
    if (spec.skipped) {
      rows.push([spec.label, `skipped: ${spec.skipped}`, "", "", "", "", ""]);
      continue;
    }
    const own = spec.rows.find((r) => r.id === "specfetch");
    for (const row of spec.rows) {
      const mine = row.id === "specfetch" || row.id === "specfetch-regen";
      const label =
        row.label +
        (spec.operations && row.id === "specfetch" ? ` (${spec.operations} operations)` : "");
      if (!row.ok) {
        rows.push([spec.label, label, failedCell(row), "", runsCell(row), "", ""]);
        continue;
      }
      rows.push([
        spec.label,
        label,
        seconds(row.wallMs),
        mib(row.maxRssKiB),
        runsCell(row),
        mine ? "—" : own?.ok ? ratio(own.wallMs, row.wallMs) : "—",
        mine ? "—" : own?.ok ? ratio(own.maxRssKiB, row.maxRssKiB) : "—",
      ]);
    }
  }
  return table(
    [
      "spec",
      "tool",
      "time (median)",
      "peak RSS (median)",
      "runs (s)",
      "specfetch / tool: time",
      "specfetch / tool: RSS",
    ],
    rows,
    2,
  );
}

export function tscTable(tsc) {
  const own = tsc.rows.find((r) => r.id === "specfetch");
  const empty = tsc.rows.find((r) => r.id === "empty");
  const rows = tsc.rows.map((row) => {
    if (!row.ok) return [row.label, failedCell(row), "", "", "", "", ""];
    const note = row.typeErrors > 0 ? ` (${row.typeErrors} type errors)` : "";
    return [
      row.label + note,
      seconds(row.wallMs),
      mib(row.maxRssKiB),
      empty?.ok ? ratio(row.wallMs, empty.wallMs) : "—",
      runsCell(row),
      row.id === "specfetch" || !own?.ok ? "—" : ratio(own.wallMs, row.wallMs),
      row.id === "specfetch" || !own?.ok ? "—" : ratio(own.maxRssKiB, row.maxRssKiB),
    ];
  });
  return table(
    [
      "consumer (GitHub, calls repos/get)",
      "tsc --noEmit (median)",
      "peak RSS",
      "× empty project",
      "runs (s)",
      "specfetch / this: time",
      "specfetch / this: RSS",
    ],
    rows,
  );
}

export function bundleTable(bundle) {
  const own = bundle.rows.find((r) => r.id === "specfetch");
  const rows = bundle.rows.map((row) =>
    row.ok
      ? [
          row.label,
          bytes(row.min),
          bytes(row.gzip),
          row.id === "specfetch" || !own?.ok ? "—" : ratio(own.gzip, row.gzip),
        ]
      : [row.label, failedCell(row), "", ""],
  );
  return table(
    ["client (GitHub, calls repos/get)", "min", "min+gzip", "specfetch / this (gzip)"],
    rows,
  );
}

export function rpsTable(rps) {
  const own = rps.rows.find((r) => r.id === "specfetch");
  const rows = rps.rows.map((row) =>
    row.ok
      ? [
          row.label,
          rate(row.rps),
          row.all.map((n) => Math.round(n)).join(", "),
          row.id === "specfetch" || !own?.ok ? "—" : ratio(own.rps, row.rps),
        ]
      : [row.label, failedCell(row), "", ""],
  );
  return table(
    [
      `client (${rps.calls.toLocaleString("en-US")} sequential calls after ${rps.warmup} warm-up, ${rps.rows.find((r) => r.ok)?.all.length ?? 0} runs each)`,
      "requests/s (median)",
      "runs",
      "specfetch / this",
    ],
    rows,
  );
}

/** The issue's targets, each judged on the GitHub spec from this run's medians. */
export function targets({ generation, tsc, bundle, rps }) {
  const gh = generation?.specs.find((s) => s.id === "github" && !s.skipped);
  const g = (id) => gh?.rows.find((r) => r.id === id);
  const row = (section, id) => section?.rows.find((r) => r.id === id);
  const judge = (label, a, b, test, show) => {
    if (!a?.ok || !b?.ok)
      return {
        label,
        measured: "not measured (a run failed or the phase was skipped)",
        status: "n/a",
      };
    const value = test.value(a, b);
    return { label, measured: show(value, a, b), status: test.pass(value) ? "met" : "missed" };
  };
  const timeRatio = { value: (a, b) => a.wallMs / b.wallMs };
  const showTime = (v, a, b) => `${v.toFixed(2)}× (${seconds(a.wallMs)} vs ${seconds(b.wallMs)})`;
  // A generation target carries `floor` (the peer, the measure, the pass rule): bench/floor.mjs sets a missed one
  // against the measured floor of the card's tools.
  const generationTarget = (label, peer, measure, pass, show) => ({
    floor: { peer, measure, pass },
    ...judge(
      label,
      g("specfetch"),
      g(peer),
      { value: (a, b) => a[measure] / b[measure], pass },
      show,
    ),
  });
  const list = [
    generationTarget(
      "Generation time ≤ 1.0× openapi-typescript alone",
      "openapi-typescript",
      "wallMs",
      (v) => v <= 1.0,
      showTime,
    ),
    ...["oazapfts", "orval", "hey-api"].map((peer) =>
      generationTarget(
        `Generation faster than ${peer} (< 1.0×)`,
        peer,
        "wallMs",
        (v) => v < 1.0,
        showTime,
      ),
    ),
    generationTarget(
      "Peak memory ≤ 1.2× openapi-typescript alone",
      "openapi-typescript",
      "maxRssKiB",
      (v) => v <= 1.2,
      (v, a, b) => `${v.toFixed(2)}× (${mib(a.maxRssKiB)} vs ${mib(b.maxRssKiB)})`,
    ),
    judge(
      "Consumer type-check ≤ 1.2× bare openapi-typescript types",
      row(tsc, "specfetch"),
      row(tsc, "openapi-typescript"),
      { ...timeRatio, pass: (v) => v <= 1.2 },
      (v, a, b) => `${v.toFixed(2)}× (${seconds(a.wallMs)} vs ${seconds(b.wallMs)})`,
    ),
    ...["openapi-fetch", "oazapfts", "orval", "hey-api"].map((peer) =>
      judge(
        `Consumer type-check cheaper than ${peer} (< 1.0×)`,
        row(tsc, "specfetch"),
        row(tsc, peer),
        { ...timeRatio, pass: (v) => v < 1.0 },
        (v, a, b) => `${v.toFixed(2)}× (${seconds(a.wallMs)} vs ${seconds(b.wallMs)})`,
      ),
    ),
    judge(
      "Bundle for one operation smaller than openapi-fetch's (min+gzip)",
      row(bundle, "specfetch"),
      row(bundle, "openapi-fetch"),
      { value: (a, b) => a.gzip / b.gzip, pass: (v) => v < 1.0 },
      (v, a, b) => `${v.toFixed(2)}× (${bytes(a.gzip)} vs ${bytes(b.gzip)})`,
    ),
    judge(
      "Per-call throughput ≥ 0.9× hand-written fetch",
      row(rps, "specfetch"),
      row(rps, "fetch"),
      { value: (a, b) => a.rps / b.rps, pass: (v) => v >= 0.9 },
      (v, a, b) => `${v.toFixed(2)}× (${rate(a.rps)} vs ${rate(b.rps)})`,
    ),
    judge(
      "No-change regeneration < 0.3 s",
      g("specfetch-regen"),
      g("specfetch-regen"),
      { value: (a) => a.wallMs, pass: (v) => v < 300 },
      (v) => seconds(v),
    ),
  ];
  return list;
}

export function targetsTable(list) {
  return table(
    ["target (GitHub spec)", "measured (specfetch / peer)", "status"],
    list.map((t) => [
      t.label,
      t.measured,
      t.status === "met" ? "**met**" : t.status === "missed" ? "**missed**" : t.status,
    ]),
    2,
  );
}

/**
 * Gzip bytes each runtime feature adds to specfetch's one-operation bundle, recorded in the 2026-12-06 sessions by
 * removing one feature at a time from the minified bundle of `revokeSessionById` (3,059 B then), and the last
 * entry by adding it (3,059 B → 3,145 B): not measured by this run. `absent` marks what openapi-fetch's client
 * does not do at all.
 */
const RECORDED_FEATURE_COSTS = [
  { feature: "retries (backoff with jitter, Retry-After)", gzip: 355, absent: true },
  { feature: "security schemes (credentials, redaction)", gzip: 231, absent: false },
  { feature: "the error classes", gzip: 184, absent: false },
  { feature: "the operation's metadata", gzip: 129, absent: false },
  { feature: "the abortable sleep (retry waits, timeouts)", gzip: 91, absent: true },
  { feature: "header name and value checks", gzip: 85, absent: false },
  { feature: "middleware", gzip: 81, absent: false },
  { feature: "per-attempt timeouts", gzip: 75, absent: true },
  {
    feature:
      "error responses checked against their declared media types (`declared`, empty and bad JSON)",
    gzip: 86,
    absent: true,
  },
];

/**
 * Why the bundle target is missed, when it is: this run's gap, against the recorded cost of the behaviour issue 4
 * requires that openapi-fetch does not have. `null` when the target is met or not measured.
 */
export function bundleWhy(bundle) {
  const own = bundle?.rows.find((r) => r.id === "specfetch");
  const peer = bundle?.rows.find((r) => r.id === "openapi-fetch");
  if (!own?.ok || !peer?.ok || own.gzip < peer.gzip) return null;
  const gap = own.gzip - peer.gzip;
  const absent = RECORDED_FEATURE_COSTS.filter((f) => f.absent);
  const absentBytes = absent.reduce((sum, f) => sum + f.gzip, 0);
  return [
    `specfetch's bundle is ${bytes(gap)} over openapi-fetch's (${bytes(own.gzip)} vs ${bytes(peer.gzip)} min+gzip, this run).`,
    `The runtime carries behaviour issue 4 requires that openapi-fetch's client does not have: ${absent
      .map((f) => `${f.feature} ${bytes(f.gzip)}`)
      .join(
        ", ",
      )}; ${bytes(absentBytes)} together, ${absentBytes > gap ? "more than" : "less than"} the gap.`,
    "These costs were recorded in the 2026-12-06 sessions by removing one feature at a time from the minified",
    "bundle, the last by adding it (not measured in this run); the others: " +
      RECORDED_FEATURE_COSTS.filter((f) => !f.absent)
        .map((f) => `${f.feature} ${bytes(f.gzip)}`)
        .join(", ") +
      ".",
    absentBytes > gap
      ? "What would break it: leaving out retries, timeouts or the checks of error responses, which the issue and the README's promise that a narrowed error type never lies require; so the target stays missed."
      : "The gap is larger than those features: part of it is specfetch's own code to shrink.",
  ].join(" ");
}
