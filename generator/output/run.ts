/**
 * One client, one run: repair an interrupted previous run, skip when nothing changed (incremental), generate,
 * write atomically, report what changed in the API. Or, with `--check`, compare and write nothing.
 *
 * The heavy stages (ts-morph, prettier, openapi-typescript, the TypeScript parser for the change report) are
 * imported only when a run needs them, so an up-to-date run finishes in a fraction of a second.
 */
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { ClientPlan, RunPlan } from "../config/plan.js";
import { SpecError, type Diagnostic } from "../diagnostics.js";
import type { ChangeReport } from "../report/compare.js";
import { renderText, type ClientReport } from "../report/render.js";
import { sourceOutsideRoots } from "../load/roots.js";
import { GENERATOR_VERSION } from "../version.js";
import { GENERATION_OPTIONS } from "./fast-path.js";
import { checkFreshness, readOutputFolder, type OutputFolder } from "./manifest.js";
import { displayDiagnostics, type Ui } from "./terminal.js";
import {
  assertOwnedBySpecfetch,
  changedFiles,
  compareOutput,
  OutputError,
  recoverInterrupted,
  writeOutput,
  type Drift,
  type GeneratedFiles,
} from "./write.js";

export const EXIT = { ok: 0, failed: 1, usage: 2, drift: 3, breaking: 4 } as const;

/** Generation options that change the output (none yet), hashed into every banner's manifest: see `fast-path.js`. */
export { GENERATION_OPTIONS };

/** What one client run did; with `--reporter json` this object is printed as one line of JSON. */
export interface ClientResult {
  spec: string;
  out: string;
  status: "generated" | "unchanged" | "up-to-date" | "drift" | "failed";
  exitCode: number;
  operations?: number;
  /** Files added, changed or removed in `out` (generation), sorted. */
  changedFiles?: string[];
  /** `--check`: how `out` differs. */
  drift?: Drift[];
  diagnostics: Diagnostic[];
  /** The API changes against the previous output, when the output changed. */
  changes?: ClientReport;
  error?: string;
  durationMs: number;
  /** Every file the spec was read from (absolute): what `--watch` watches. */
  sourceFiles: string[];
}

export async function runClient({
  client,
  plan,
  ui,
  watching = false,
}: {
  client: ClientPlan;
  plan: RunPlan;
  ui: Ui;
  watching?: boolean;
}): Promise<ClientResult> {
  const started = performance.now();
  const result: ClientResult = {
    spec: client.specPath,
    out: client.outPath,
    status: "failed",
    exitCode: EXIT.failed,
    diagnostics: [],
    durationMs: 0,
    sourceFiles: [client.spec],
  };
  try {
    await stat(client.spec); // a missing spec fails here, before the generator is loaded
    await (plan.check ? checkClient : generateClient)({ client, plan, ui, result, watching });
  } catch (error) {
    failure({ error, client, ui, result, watching });
  }
  result.durationMs = Math.round(performance.now() - started);
  ui.json(withoutSources(result));
  return result;
}

interface Step {
  client: ClientPlan;
  plan: RunPlan;
  ui: Ui;
  result: ClientResult;
  watching: boolean;
}

/** Whether this is the process's last generation (see `GenerateOptions.lastGeneration`). */
function lastGeneration({ client, plan, watching }: Step): boolean {
  return !watching && plan.clients.at(-1) === client;
}

async function generateClient(step: Step): Promise<void> {
  const { client, plan, ui, result } = step;
  const started = performance.now();
  const folder = await prepare(client, ui);
  assertOwnedBySpecfetch(client.outPath, folder); // before generating: a mistyped --out fails fast
  if (!plan.force) {
    const freshness = await freshnessOf(client, folder);
    ui.verbose(`${client.outPath}: ${freshness.reason}`);
    if (freshness.upToDate) {
      result.status = "up-to-date";
      result.exitCode = EXIT.ok;
      result.sourceFiles = sourcesFromBanner(client, folder);
      ui.info(
        `specfetch: ${client.outPath} is up to date with ${client.specPath} (spec, options and generator unchanged: nothing regenerated) in ${seconds(started)} s`,
      );
      return;
    }
  }
  const generated = await generateWithProgress(client, ui, lastGeneration(step));
  result.sourceFiles = generated.sourceFiles;
  result.operations = generated.model.operations.length;
  printWarnings(generated.diagnostics, client, ui, result);
  const changed = changedFiles(folder.files, generated.files);
  result.changedFiles = changed;
  if (changed.length > 0 || folder.foreign.length > 0) {
    const writing = performance.now();
    await writeOutput({ out: client.out, files: generated.files, folder, display: client.outPath });
    ui.verbose(
      `${client.outPath}: wrote ${generated.files.size} files (atomic swap) in ${seconds(writing)} s`,
    );
  }
  const overwritten = folder.edited.filter((f) => generated.files.has(f));
  if (overwritten.length > 0)
    ui.warn(
      `specfetch: warning: ${overwritten.join(", ")} in ${client.outPath} had been edited by hand; regenerated over the edit`,
    );
  result.status = changed.length > 0 ? "generated" : "unchanged";
  result.exitCode = EXIT.ok;
  const count = `${result.operations} operation${result.operations === 1 ? "" : "s"}`;
  const files =
    changed.length === 0
      ? "no files changed"
      : `${changed.length} file${changed.length === 1 ? "" : "s"} changed`;
  ui.info(
    `specfetch: generated ${count} from ${client.specPath} in ${seconds(started)} s → ${client.outPath} (${files})`,
  );
  if (changed.length > 0) {
    result.changes = await changeReport({
      client,
      ui,
      previous: folder.files,
      next: generated.files,
    });
    announceChanges({ client, ui, result });
  }
}

async function checkClient(step: Step): Promise<void> {
  const { client, plan, ui, result } = step;
  const folder = await prepare(client, ui);
  const generated = await generateWithProgress(client, ui, lastGeneration(step));
  result.sourceFiles = generated.sourceFiles;
  result.operations = generated.model.operations.length;
  printWarnings(generated.diagnostics, client, ui, result);
  const drift = await compareOutput({ out: client.out, files: generated.files, folder });
  result.drift = drift;
  if (drift.length === 0) {
    result.status = "up-to-date";
    result.exitCode = EXIT.ok;
    ui.info(`specfetch: ${client.outPath} is up to date with ${client.specPath}`);
    return;
  }
  result.status = "drift";
  result.exitCode = EXIT.drift;
  ui.error(`specfetch: ${client.outPath} differs from what ${client.specPath} generates:`);
  for (const d of drift) {
    ui.error(`  ${d.status.padEnd(7)} ${d.file}`);
    ui.github(
      `::error file=${client.outPath}/${d.file},title=specfetch drift::${d.file} is ${describeDrift(d.status)}. Run: ${plan.fixCommand}`,
    );
  }
  const edited = drift.filter((d) => d.status === "edited").map((d) => d.file);
  if (edited.length > 0)
    ui.error(
      `Edited by hand: ${edited.join(", ")} (the content no longer matches the hash in the banner). Generated files are overwritten on every run: change the spec instead.`,
    );
  // A run refuses to replace a folder holding files it did not write (`write.ts`): they go first.
  if (folder.foreign.length > 0)
    ui.error(
      `Remove what specfetch did not generate from ${client.outPath} (${folder.foreign.join(", ")}), then regenerate with: ${plan.fixCommand}`,
    );
  else ui.error(`Regenerate with: ${plan.fixCommand}`);
  if (drift.some((d) => d.status === "changed")) {
    result.changes = await changeReport({
      client,
      ui,
      previous: folder.files,
      next: generated.files,
    });
    announceChanges({ client, ui, result });
  }
}

function describeDrift(status: Drift["status"]): string {
  return {
    changed: "out of date",
    missing: "missing",
    extra: "no longer generated",
    edited: "edited by hand",
  }[status];
}

/** Repairs an interrupted run and reads the previous output. */
async function prepare(client: ClientPlan, ui: Ui): Promise<OutputFolder> {
  const recovery = await recoverInterrupted(client.out);
  if (recovery.restored)
    ui.warn(
      `specfetch: ${client.outPath} was missing after an interrupted run: restored the previous output`,
    );
  for (const removed of recovery.removed)
    ui.verbose(`removed ${removed}, left by an interrupted run`);
  return readOutputFolder(client.out);
}

async function freshnessOf(client: ClientPlan, folder: OutputFolder) {
  // A recorded source no longer inside the spec's folder or an allowed root (a root was removed): regenerate,
  // which refuses it at its `$ref`, rather than call an output that would now fail "up to date".
  const unconfined = sourceOutsideRoots({
    specFile: client.spec,
    extraRoots: client.allowRefRoots,
    sources: folder.banner?.sources ?? [],
  });
  if (unconfined)
    return { upToDate: false, reason: `${unconfined.path} is not inside an allowed root` };
  return checkFreshness({
    folder,
    version: GENERATOR_VERSION,
    specFile: client.spec,
    specPath: client.bannerPath,
    options: GENERATION_OPTIONS,
  });
}

function sourcesFromBanner(client: ClientPlan, folder: OutputFolder): string[] {
  return [
    client.spec,
    ...(folder.banner?.sources ?? []).map((s) => resolve(dirname(client.spec), s.path)),
  ];
}

async function generateWithProgress(client: ClientPlan, ui: Ui, last = false) {
  const size = await stat(client.spec)
    .then((s) => ` (${Math.round(s.size / 1024)} KB)`)
    .catch(() => "");
  const stop = ui.progress(`generating from ${client.specPath}${size}`);
  try {
    const loading = performance.now();
    // Loaded here, not at the top: ts-morph, prettier and openapi-typescript take seconds to import.
    const { generateFiles } = await import("../index.js");
    ui.verbose(`loaded the generator in ${seconds(loading)} s`);
    const generating = performance.now();
    const generated = await generateFiles({
      spec: client.spec,
      displayPath: client.specPath,
      bannerPath: client.bannerPath,
      allowRefRoots: client.allowRefRoots,
      allowRefHosts: client.allowRefHosts,
      lastGeneration: last,
    });
    ui.verbose(`generated in memory in ${seconds(generating)} s`);
    return generated;
  } finally {
    await stop();
  }
}

/** Compares the API of the previous output with the new one; `first` when there was no previous output. */
async function changeReport({
  client,
  ui,
  previous,
  next,
}: {
  client: ClientPlan;
  ui: Ui;
  previous: GeneratedFiles;
  next: GeneratedFiles;
}): Promise<ClientReport> {
  const base = { spec: client.specPath, out: client.outPath };
  // No previous metadata and types (a first run): nothing to compare, and TypeScript (the parser the report
  // reads them with, 0.7 s and 80 MB to load) is not loaded. `readApiSurface` needs both files.
  if (!previous.has("operations.ts") || !previous.has("schema.ts"))
    return { ...base, status: "first", report: undefined };
  const started = performance.now();
  const { readApiSurface } = await import("../report/surface.js");
  const { compareApis } = await import("../report/compare.js");
  // No previous API (a first run): the new output is not parsed (1.5 s of TypeScript parsing on GitHub).
  const before = readApiSurface(previous);
  const after = before && readApiSurface(next);
  if (!before || !after) return { ...base, status: "first", report: undefined };
  const report: ChangeReport = compareApis(before, after);
  ui.verbose(`compared the API with the previous output in ${seconds(started)} s`);
  return { ...base, status: "changed", report };
}

/** Prints the change report (text) and, under GitHub Actions, one annotation per breaking change. */
function announceChanges({
  client,
  ui,
  result,
}: {
  client: ClientPlan;
  ui: Ui;
  result: ClientResult;
}): void {
  const report = result.changes?.report;
  if (!report) return;
  ui.info(renderText(result.changes!, ui.paint));
  for (const change of report.changes.filter((c) => c.breaking))
    ui.github(
      `::${client.failOnBreaking ? "error" : "warning"} title=specfetch breaking change::${change.operations.join(", ")}: ${change.message.replace(/`/g, "")}`,
    );
}

function printWarnings(
  diagnostics: readonly Diagnostic[],
  client: ClientPlan,
  ui: Ui,
  result: ClientResult,
): void {
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  result.diagnostics.push(...displayDiagnostics(warnings, client.baseDir));
  ui.diagnostics(warnings, client.baseDir);
}

function failure({
  error,
  client,
  ui,
  result,
  watching,
}: {
  error: unknown;
  client: ClientPlan;
  ui: Ui;
  result: ClientResult;
  watching: boolean;
}): void {
  result.status = "failed";
  result.exitCode = EXIT.failed;
  const kept = watching
    ? `; kept the last good output in ${client.outPath}`
    : "; nothing was written";
  if (error instanceof SpecError) {
    result.diagnostics.push(...displayDiagnostics(error.diagnostics, client.baseDir));
    ui.diagnostics(error.diagnostics, client.baseDir);
    result.error = error.message;
    ui.error(`specfetch: ${error.message}${kept}`);
  } else if (error instanceof OutputError) {
    result.error = error.message;
    ui.error(`specfetch: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException)?.path === client.spec) {
    result.error = `cannot read ${client.specPath}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`;
    ui.error(`specfetch: ${result.error}`);
  } else if ((error as NodeJS.ErrnoException)?.code === "ENOENT") {
    result.error = (error as Error).message;
    ui.error(`specfetch: ${(error as Error).message}`);
  } else {
    result.error = String((error as Error)?.stack ?? error);
    ui.error(`specfetch: generation failed: ${result.error}`);
  }
}

function withoutSources(result: ClientResult): Omit<ClientResult, "sourceFiles"> {
  const { sourceFiles: _, ...rest } = result;
  return rest;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
