/**
 * Starts Stoplight Prism (`@stoplight/prism-cli`, a devDependency) as a real mock server for contract tests.
 *
 * Why Prism: the generated client and the generator share one reading of the spec, so a test that checks the
 * client against the generator's own model can only find disagreements the generator did not make. Prism is an
 * independent implementation: it reads the OpenAPI document itself and validates every incoming request
 * against it — path template match, path/query/header parameter schemas, request body schema and content type,
 * security requirements — and logs each problem as a `Violation: ...` line (and in the `sl-violations` response
 * header). A request built by the generated client that Prism accepts without a violation is evidence, from a
 * second implementation, that the client serializes that operation the way the spec says. In `--errors` mode
 * Prism also turns violations of its own mocked responses into error responses.
 *
 * Log model: Prism's CLI writes one line per event to stdout; every request starts with a line
 * `[HTTP SERVER] <method> <path> ℹ info Request received`, followed by the negotiator/validator lines and,
 * last, the `Violation:` lines. Those lines pass through an internal stream before they reach stdout, so they
 * may arrive after the HTTP response does. `settle()` therefore sends a marker request (an unknown path Prism
 * answers with 404) and waits until the marker's "Request received" line is captured: everything Prism logged
 * for earlier requests is then in `logs()`. Marker requests are left out of `requestLog` and `violationsSince`.
 *
 * The process runs in its own process group (`detached`); `stop()` kills the whole group (SIGTERM, then
 * SIGKILL) and throws if anything of it survives. A process `exit` hook does the same if a run ends early.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface StartPrismOptions {
  /** How long to wait for "Prism is listening" (default 90 s). */
  readonly startupTimeoutMs?: number;
  /** Extra CLI arguments for `prism mock` (e.g. `["--dynamic"]`). */
  readonly extraArgs?: readonly string[];
}

export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (Prism serves the spec's paths at its root). */
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to "Prism is listening". */
  readonly startupMs: number;
  /** Every captured stdout/stderr line so far (ANSI colours stripped), in arrival order. */
  logs(): string[];
  /** The current log position; pass it to `requestLog` / `violationsSince` to look only at later lines. */
  mark(): number;
  /** Waits until Prism has logged everything for the requests it has answered so far. */
  settle(): Promise<void>;
  /**
   * The log lines of the first request after `mark` to `method path` (path without query string): from its
   * "Request received" line up to, not including, the next request's. Throws if there is none.
   */
  requestLog(mark: number, method: string, path: string): Promise<string[]>;
  /** The `Violation` lines Prism logged for all (non-marker) requests after `mark`. */
  violationsSince(mark: number): Promise<string[]>;
  /** Every (non-marker) request Prism logged after `mark`, as `requestSections` splits them (after `settle()`). */
  requestsSince(mark: number): Promise<RequestSection[]>;
  /** Kills Prism's process group and checks that nothing of it is left. */
  stop(): Promise<void>;
}

const VIOLATION = /Violation/;
const REQUEST_RECEIVED = /\[HTTP SERVER\] (\S+) (\S+) .*Request received/;
const MARKER_PATH = "/__specfetch_log_mark__/";
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The `Violation` lines among `lines` (the detector both the contract tests and the negative control use). */
export function violationsIn(lines: readonly string[]): string[] {
  return lines.filter((line) => VIOLATION.test(line));
}

const PASSED = /\[VALIDATOR\].*The request passed the validation rules/;
const VALIDATOR_ERROR = /\[VALIDATOR\]\s+\S+\s+error\s+(.+)$/;
const TERMINATED = /Request terminated with error: (\S+?)(?::\s+(.*))?$/;

/**
 * Everything wrong with the REQUEST of one section of Prism's log (see `requestSections`), one string each:
 * - `Violation: request...` lines (`request.query Request query must have required property 'x'`);
 * - the validator's own error lines (`Request path parameter id must match format "uuid"`), which are the only
 *   trace when the operation declares no 400/422 (or no 401) response: Prism then answers with its own
 *   problem+json 422/401, logs no `Violation:` line and sets no `sl-violations` header;
 * - `Request terminated with error` for anything but a response violation (no path or method matched, 401,
 *   406, 415, 422 generated by Prism);
 * - if none of these and Prism never logged "The request passed the validation rules": that fact, so that a
 *   request Prism did not validate cannot count as valid.
 * Response violations (`Violation: response...`, `#VIOLATIONS` terminations) are not included.
 */
export function requestViolationsIn(lines: readonly string[]): string[] {
  const found: string[] = [];
  const add = (text: string) => {
    // A validator error line repeats the message of its `Violation:` line: keep the located one.
    const duplicate = found.findIndex(
      (f) => f === text || f.endsWith(` ${text}`) || text.endsWith(` ${f}`),
    );
    if (duplicate === -1) found.push(text);
    else if (text.length > found[duplicate]!.length) found[duplicate] = text;
  };
  for (const line of lines) {
    const violation = /Violation: (.*)$/.exec(line)?.[1]?.trim();
    if (violation !== undefined) {
      if (/^request\b/.test(violation)) add(violation);
      continue;
    }
    const error = VALIDATOR_ERROR.exec(line)?.[1]?.trim();
    if (error !== undefined) add(error);
    const terminated = TERMINATED.exec(line);
    if (terminated && !/#VIOLATIONS$/.test(terminated[1]!))
      add(
        `terminated: ${terminated[1]!.replace(/^.*#/, "")}${terminated[2] ? ` ${terminated[2]}` : ""}`,
      );
  }
  if (found.length === 0 && !lines.some((line) => PASSED.test(line)))
    found.push("Prism did not log that the request passed validation");
  return found;
}

/** One request in Prism's log: its method, its path as logged, and its lines ("Request received" first). */
export interface RequestSection {
  method: string;
  path: string;
  lines: string[];
}

/** Splits log lines into per-request sections, each starting at a "Request received" line. */
export function requestSections(lines: readonly string[]): RequestSection[] {
  const sections: RequestSection[] = [];
  for (const line of lines) {
    const received = REQUEST_RECEIVED.exec(line);
    if (received) {
      sections.push({ method: received[1]!.toUpperCase(), path: received[2]!, lines: [line] });
    } else {
      sections.at(-1)?.lines.push(line);
    }
  }
  return sections;
}

/** The `prism` bin of the installed @stoplight/prism-cli, as its package.json declares it. */
export function prismBin(): string {
  const packageDir = join(projectRoot, "node_modules", "@stoplight", "prism-cli");
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["prism"];
  if (bin === undefined) throw new Error(`${packageDir}/package.json declares no "prism" bin`);
  return join(packageDir, bin);
}

/** A port that was free a moment ago (listen on 0, read the port, close). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`unexpected address ${String(address)}`));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  intervalMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(intervalMs);
  }
  return condition();
}

/** Starts `prism mock -h 127.0.0.1 -p <free port> --errors <specPath>`; retries on a lost port race. */
export async function startPrism(
  specPath: string,
  options: StartPrismOptions = {},
): Promise<PrismServer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(specPath, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PrismStartError && error.addressInUse)) throw error;
    }
  }
  throw lastError;
}

class PrismStartError extends Error {
  override readonly name = "PrismStartError";
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
  }
}

async function startOnce(specPath: string, options: StartPrismOptions): Promise<PrismServer> {
  const host = "127.0.0.1";
  const port = await freePort(host);
  const args = [
    prismBin(),
    "mock",
    "-h",
    host,
    "-p",
    String(port),
    "--errors",
    // One process: with --multiprocess (the default when NODE_ENV=production) Prism forks a cluster worker.
    "--no-multiprocess",
    ...(options.extraArgs ?? []),
    resolve(projectRoot, specPath),
  ];
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "test", FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${process.execPath} ${args.join(" ")}`);

  const lines: string[] = [];
  const capture = (stream: NodeJS.ReadableStream | null) => {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? "";
      for (const part of parts) lines.push(part.replace(ANSI, ""));
    });
    stream?.on("end", () => {
      if (partial !== "") lines.push(partial.replace(ANSI, ""));
      partial = "";
    });
  };
  capture(child.stdout);
  capture(child.stderr);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitedPromise = new Promise<void>((done) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      done();
    }),
  );
  const onExit = () => killGroup(pid, "SIGKILL");
  process.once("exit", onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", onExit);
    killGroup(pid, "SIGTERM");
    const gone = await Promise.race([
      exitedPromise.then(() => true),
      sleep(5_000).then(() => false),
    ]);
    if (!gone) killGroup(pid, "SIGKILL");
    // Also anything Prism may have started in its group.
    killGroup(pid, "SIGKILL");
    const groupGone = await waitFor(() => !isAlive(pid) && !isAlive(-pid), 5_000, 50);
    if (!groupGone)
      throw new Error(`Prism (pid ${pid}) or a process of its group is still running`);
  };

  const timeoutMs = options.startupTimeoutMs ?? 90_000;
  const listening = /Prism is listening on (\S+)/;
  const up = await waitFor(
    () => exited !== null || lines.some((line) => listening.test(line)),
    timeoutMs,
    50,
  );
  const listeningLine = lines.find((line) => listening.test(line));
  if (!up || listeningLine === undefined) {
    const why =
      exited === null
        ? `did not log "Prism is listening" within ${timeoutMs} ms`
        : `exited (${JSON.stringify(exited)})`;
    await stop().catch(() => undefined);
    const tail = lines.slice(-40).join("\n");
    throw new PrismStartError(`Prism ${why}; last log lines:\n${tail}`, /EADDRINUSE/.test(tail));
  }
  const url = listening.exec(listeningLine)![1]!.replace(/\/+$/, "");
  const startupMs = Date.now() - started;

  let markers = 0;
  const settle = async (): Promise<void> => {
    const path = `${MARKER_PATH}${++markers}`;
    const response = await fetch(url + path);
    await response.arrayBuffer();
    const seen = await waitFor(
      () => lines.some((line) => line.includes(` ${path} `) && REQUEST_RECEIVED.test(line)),
      10_000,
    );
    if (!seen) throw new Error(`Prism never logged the marker request ${path}`);
  };
  const sectionsSince = (mark: number) =>
    requestSections(lines.slice(mark)).filter((section) => !section.path.startsWith(MARKER_PATH));

  return {
    url,
    pid,
    startupMs,
    logs: () => [...lines],
    mark: () => lines.length,
    settle,
    async requestLog(mark, method, path) {
      await settle();
      const section = sectionsSince(mark).find(
        (s) => s.method === method.toUpperCase() && s.path === path,
      );
      if (section === undefined) {
        throw new Error(
          `Prism logged no request ${method.toUpperCase()} ${path} after line ${mark}; log since then:\n` +
            lines.slice(mark).join("\n"),
        );
      }
      return section.lines;
    },
    async violationsSince(mark) {
      await settle();
      return sectionsSince(mark).flatMap((section) => violationsIn(section.lines));
    },
    async requestsSince(mark) {
      await settle();
      return sectionsSince(mark);
    },
    stop,
  };
}
