/**
 * Everything the CLI prints goes through `Ui`: the reporter (`text`, `json`, `github`), `--quiet` and `--verbose`,
 * colours (only on a TTY, never with `NO_COLOR`; `FORCE_COLOR` forces them on), code frames and the progress
 * indicator (only when stderr is a terminal).
 *
 * Streams: results and summaries on stdout; diagnostics, warnings and errors on stderr. With `--reporter json`,
 * stdout carries only JSON (one object per client run) and human text is suppressed. With `--reporter github`,
 * diagnostics become workflow commands (`::error file=…,line=…::…`) on stdout, which GitHub turns into annotations.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { resolve, relative } from "node:path";
import {
  formatDiagnostic,
  formatGithubAnnotation,
  painter,
  type Colour,
  type Diagnostic,
} from "../diagnostics.js";
import type { Reporter } from "../config/types.js";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout / stderr are terminals. */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
};

/** no-color.org: any non-empty `NO_COLOR` turns colours off; `FORCE_COLOR` (not `0`) turns them on without a TTY. */
export function colourEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false")
    return true;
  return isTTY;
}

export class Ui {
  readonly reporter: Reporter;
  readonly quiet: boolean;
  readonly verbosity: boolean;
  private readonly colorOut: boolean;
  private readonly colorErr: boolean;
  private readonly terminal: boolean;

  constructor(
    private readonly io: Io,
    options: { reporter: Reporter; quiet: boolean; verbose: boolean },
  ) {
    const env = io.env ?? {};
    this.reporter = options.reporter;
    this.quiet = options.quiet;
    this.verbosity = options.verbose;
    this.colorOut = colourEnabled(io.stdoutIsTTY === true, env);
    this.colorErr = colourEnabled(io.stderrIsTTY === true, env);
    this.terminal = io.stderrIsTTY === true;
  }

  /** Colouring for stdout text. */
  get paint(): (colour: Colour, text: string) => string {
    return painter(this.colorOut);
  }

  get paintErr(): (colour: Colour, text: string) => string {
    return painter(this.colorErr);
  }

  /** A result line (summary, report) on stdout: not with `--quiet` or `--reporter json`. */
  info(text: string): void {
    if (!this.quiet && this.reporter !== "json") this.io.stdout(ensureNewline(text));
  }

  /** A detail line, only with `--verbose` (on stderr, so stdout stays the results). */
  verbose(text: string): void {
    if (this.verbosity && this.reporter !== "json")
      this.io.stderr(this.paintErr("dim", ensureNewline(`specfetch: ${text}`)));
  }

  /** A problem that is not a spec diagnostic (printed in every mode but json, where it is in the result). */
  error(text: string): void {
    if (this.reporter !== "json") this.io.stderr(ensureNewline(text));
  }

  /** A warning line; not with `--quiet`. */
  warn(text: string): void {
    if (!this.quiet && this.reporter !== "json") this.io.stderr(ensureNewline(text));
  }

  /** A GitHub workflow command, only with the github reporter. */
  github(command: string): void {
    if (this.reporter === "github") this.io.stdout(ensureNewline(command));
  }

  /** One JSON object per client run, only with the json reporter. */
  json(value: unknown): void {
    if (this.reporter === "json") this.io.stdout(JSON.stringify(value) + "\n");
  }

  /**
   * Prints diagnostics once, in document order (already sorted by the sink). `baseDir` is what their `file`
   * paths are relative to; they are shown relative to the working directory.
   */
  diagnostics(list: readonly Diagnostic[], baseDir: string = process.cwd()): void {
    const shown = displayDiagnostics(list, baseDir).filter(
      (d) => d.severity === "error" || !this.quiet,
    );
    if (this.reporter === "json") return;
    if (this.reporter === "github") {
      for (const d of shown) this.io.stdout(formatGithubAnnotation(d) + "\n");
      return;
    }
    const sources = new Map<string, string | undefined>();
    const readSource = (file: string) => {
      if (!sources.has(file))
        sources.set(file, isUrl(file) ? undefined : tryRead(resolve(process.cwd(), file)));
      return sources.get(file);
    };
    for (const d of shown)
      this.io.stderr(
        formatDiagnostic(d, { color: this.colorErr, codeFrame: this.terminal, readSource }) + "\n",
      );
  }

  /**
   * A progress line on a terminal for runs that take a while: shown after 300 ms (`SPECFETCH_PROGRESS_AFTER_MS`:
   * another delay; 0 draws it at once, which the tests use: a run can be over in less), redrawn every 100 ms with the
   * elapsed time, erased when done. Generation keeps the main thread busy for seconds at a time, so the ticking
   * runs in a small worker thread that writes to the terminal (fd 2) itself. Nothing at all off a terminal, with
   * `--quiet`, `--verbose` (which prints each step instead) or another reporter than text. The returned function stops it and resolves once the line is erased.
   */
  progress(label: string): () => Promise<void> {
    if (
      !this.terminal ||
      this.quiet ||
      this.verbosity ||
      this.reporter !== "text" ||
      this.io !== processIo
    )
      return async () => {};
    const worker = new Worker(SPINNER, {
      eval: true,
      workerData: { label, started: Date.now(), after: progressDelay() },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const done = new Promise<void>((resolve) => {
      worker.once("message", () => resolve());
      worker.once("error", () => resolve());
      worker.once("exit", () => resolve());
    });
    return async () => {
      worker.postMessage("stop");
      await done;
      await worker.terminate();
    };
  }
}

/** Milliseconds before the progress line appears: 300, or `SPECFETCH_PROGRESS_AFTER_MS` when it is a number ≥ 0. */
function progressDelay(): number {
  const given = Number(process.env["SPECFETCH_PROGRESS_AFTER_MS"] ?? "300");
  return Number.isFinite(given) && given >= 0 ? given : 300;
}

/**
 * The progress worker (CommonJS, evaluated): ticks on its own event loop, writes with `writeSync(2, …)`. With
 * no delay it draws before it reads any message, so a "stop" always finds the line drawn.
 */
const SPINNER = `
const { workerData, parentPort } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
let frame = 0;
let drawn = false;
const draw = () => {
  const ms = Date.now() - workerData.started;
  if (ms < workerData.after) return;
  writeSync(2, "\\r\\u001b[K" + frames[frame++ % frames.length] + " " + workerData.label + " " + (ms / 1000).toFixed(1) + " s");
  drawn = true;
};
if (workerData.after === 0) draw();
const timer = setInterval(draw, 100);
parentPort.once("message", () => {
  clearInterval(timer);
  if (drawn) writeSync(2, "\\r\\u001b[K");
  parentPort.postMessage("stopped");
});
`;

/** Diagnostics with their files relative to the working directory (they are relative to `baseDir`). */
export function displayDiagnostics(list: readonly Diagnostic[], baseDir: string): Diagnostic[] {
  return list.map((d) => ({ ...d, file: displayFile(d.file, baseDir) }));
}

/** A diagnostic's file as the user should click it: relative to the working directory. */
function displayFile(file: string, baseDir: string): string {
  if (isUrl(file)) return file; // a remote document (--allow-ref-host): shown by its URL
  const absolute = resolve(baseDir, file);
  return relative(process.cwd(), absolute).replace(/\\/g, "/") || file;
}

function isUrl(file: string): boolean {
  return /^https?:\/\//.test(file);
}

function tryRead(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : text + "\n";
}
