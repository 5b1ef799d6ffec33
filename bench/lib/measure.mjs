// Whole-process measurement: wall time from Node's monotonic clock, peak RSS from GNU time (`/usr/bin/time`,
// Debian package `time`). A run past its time box is killed with its whole process group.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const GNU_TIME = "/usr/bin/time";
export const hasGnuTime = existsSync(GNU_TIME);

const KEEP_OUTPUT = 64 * 1024;

/** Keep the tail of a stream: enough for an error message, bounded for a chatty tool. */
function tailBuffer() {
  let text = "";
  return {
    push(chunk) {
      text += chunk.toString();
      if (text.length > KEEP_OUTPUT * 2) text = text.slice(-KEEP_OUTPUT);
    },
    get text() {
      return text;
    },
  };
}

// Escape sequences that colourful CLIs print even into a pipe.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The line that best names why a tool failed: the first one that says "error", else the last one printed. When
 * that line only wraps another error (hey-api's "Unexpected error: JobError"), the wrapped error's message
 * follows as its cause.
 */
export function firstErrorLine(output) {
  const lines = output
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== "" &&
        !line.startsWith("at ") &&
        !line.startsWith("Command exited with non-zero status"),
    );
  const index = lines.findIndex((l) => /error|cannot|unsupported|failed/i.test(l));
  let line = index >= 0 ? lines[index] : (lines.at(-1) ?? "no output");
  const cause = lines.slice(index + 1).find((l) => /^(?:error: )?(?:[A-Z]\w*)?Error: [^{]/.test(l));
  // A message that is only an error class's name ("…: JobError") says nothing: add the error it wraps.
  if (index >= 0 && cause !== undefined && /\b\w*Error$/.test(line))
    line = `${line} (${cause.replace(/^error: /, "")})`;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Run one command to completion (or its time box) and measure it.
 * `okExitCodes` lists the exit codes that count as a completed run (tsc exits 2 when it reports type errors).
 * Returns { ok, wallMs, maxRssKiB, exitCode, timedOut, stdout, stderr, error }.
 */
export function runMeasured({
  command,
  args,
  cwd,
  env,
  timeoutMs = 5 * 60_000,
  okExitCodes = [0],
}) {
  const statsDir = mkdtempSync(join(tmpdir(), "specfetch-bench-"));
  const statsFile = join(statsDir, "rusage");
  const [file, argv] = hasGnuTime
    ? [GNU_TIME, ["-f", "%M %x", "-o", statsFile, command, ...args]]
    : [command, args];
  return new Promise((resolve) => {
    const stdout = tailBuffer();
    const stderr = tailBuffer();
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a time-out kills the tool, not only GNU time
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.stdout.on("data", (c) => stdout.push(c));
    child.stderr.on("data", (c) => stderr.push(c));
    child.on("error", (error) => {
      clearTimeout(timer);
      rmSync(statsDir, { recursive: true, force: true });
      resolve({
        ok: false,
        wallMs: NaN,
        maxRssKiB: NaN,
        exitCode: null,
        timedOut,
        stdout: "",
        stderr: "",
        error: error.message,
      });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let maxRssKiB = NaN;
      let exitCode = code;
      if (hasGnuTime && existsSync(statsFile)) {
        const last = readFileSync(statsFile, "utf8").trim().split("\n").at(-1) ?? "";
        const [rss, status] = last.split(" ").map(Number);
        if (Number.isFinite(rss)) maxRssKiB = rss;
        if (Number.isFinite(status)) exitCode = status;
      }
      rmSync(statsDir, { recursive: true, force: true });
      const ok = !timedOut && okExitCodes.includes(exitCode);
      const error = ok
        ? null
        : timedOut
          ? `timed out after ${Math.round(timeoutMs / 1000)} s`
          : firstErrorLine(`${stderr.text}\n${stdout.text}`);
      resolve({
        ok,
        wallMs,
        maxRssKiB,
        exitCode,
        timedOut,
        stdout: stdout.text,
        stderr: stderr.text,
        error,
      });
    });
  });
}

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Fold the runs of one row into medians; a row with any failed run is reported failed with that run's error. */
export function summarise(runs) {
  const failed = runs.find((r) => !r.ok);
  return {
    runs: runs.length,
    ok: !failed,
    error: failed?.error ?? null,
    wallMs: median(runs.filter((r) => r.ok).map((r) => r.wallMs)),
    maxRssKiB: median(runs.filter((r) => r.ok).map((r) => r.maxRssKiB)),
    all: runs.map((r) => (r.ok ? Math.round(r.wallMs) : null)),
  };
}
