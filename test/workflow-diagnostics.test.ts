/**
 * Diagnostics of a broken spec: every problem in one run, each with severity, stable code, file:line:col, JSON
 * pointer and hint, printed once — as text, as JSON (`--reporter json`) and as GitHub annotations (the default
 * under GitHub Actions). On a terminal: code frames and colours, never with NO_COLOR.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../generator/diagnostics.js";
import { Ui } from "../generator/output/terminal.js";
import { CLI, FIXTURES } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-diagnostics-"));
  cpSync(join(FIXTURES, "workflow"), join(work, "fixtures/workflow"), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SPEC = "fixtures/workflow/broken.yaml";
/** A clean environment: no CI variables, no colour settings inherited from whoever runs the tests. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const key of ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "CI"]) delete clean[key];
  return { ...clean, ...extra };
}
const specfetch = (args: string[], extra: Record<string, string> = {}) =>
  run(process.execPath, [CLI, ...args], { cwd: work, env: env(extra) });

describe("a spec with six problems: exit 1, all reported, nothing written", () => {
  it("text (the default): file:line:col severity code: message, pointer, hint", async () => {
    const { code, stdout, stderr } = await specfetch([SPEC, "--out", "out"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(existsSync(join(work, "out"))).toBe(false);
    await expect(stderr).toMatchFileSnapshot("__snapshots__/workflow/diagnostics.txt");
  });

  it("--reporter json: one JSON object on stdout, nothing else", async () => {
    const { code, stdout, stderr } = await specfetch([SPEC, "--out", "out", "--reporter", "json"]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    const result = JSON.parse(stdout) as { durationMs: number; diagnostics: Diagnostic[] };
    expect(result.diagnostics).toHaveLength(6);
    expect(result.durationMs).toBeGreaterThan(0);
    result.durationMs = 0;
    await expect(JSON.stringify(result, null, 2) + "\n").toMatchFileSnapshot(
      "__snapshots__/workflow/diagnostics.json",
    );
  });

  it("GITHUB_ACTIONS=true: workflow commands GitHub shows as annotations on the spec's lines", async () => {
    const { code, stdout, stderr } = await specfetch([SPEC, "--out", "out"], {
      GITHUB_ACTIONS: "true",
    });
    expect(code).toBe(1);
    expect(
      stdout
        .split("\n")
        .filter((l) => l.startsWith("::error file=fixtures/workflow/broken.yaml,line=")),
    ).toHaveLength(6);
    expect(stderr).toBe("specfetch: the spec has 6 errors; nothing was written\n");
    await expect(stdout).toMatchFileSnapshot("__snapshots__/workflow/diagnostics.github.txt");
  });
});

describe("on a terminal", () => {
  const diagnostic: Diagnostic = {
    code: "unknown-security-scheme",
    severity: "error",
    message: 'security scheme "BearerAuth" is not declared in components.securitySchemes',
    file: join(FIXTURES, "workflow/broken.yaml"),
    pointer: "/paths/~1accounts~1{accountId}/get/security/0/BearerAuth",
    line: 16,
    col: 11,
    hint: 'did you mean "bearerAuth"? (names are case-sensitive)',
  };
  const print = (io: { stderrIsTTY: boolean; env: NodeJS.ProcessEnv }) => {
    let stderr = "";
    const ui = new Ui(
      { stdout: () => {}, stderr: (t) => void (stderr += t), ...io },
      { reporter: "text", quiet: false, verbose: false },
    );
    ui.diagnostics([diagnostic], "/");
    return stderr;
  };

  it("a code frame of the offending lines, in colour", () => {
    const out = print({ stderrIsTTY: true, env: {} });
    expect(out).toContain("\u001b[31merror\u001b[0m");
    // eslint-disable-next-line no-control-regex
    expect(
      out
        .replace(/\u001b\[\d+m/g, "")
        .split("\n")
        .slice(3)
        .join("\n"),
    ).toBe(
      [
        "    14 |         - { name: page, in: query, style: sideways, schema: { type: integer } }",
        "    15 |       security:",
        "  > 16 |         - BearerAuth: []",
        "       |           ^",
        '    17 |       responses: { "204": { description: OK } }',
        "    18 |   files:",
        "",
      ].join("\n"),
    );
  });

  it("NO_COLOR: the frame without colours", () => {
    const out = print({ stderrIsTTY: true, env: { NO_COLOR: "1" } });
    expect(out).not.toContain("\u001b[");
    expect(out).toContain("  > 16 |         - BearerAuth: []\n       |           ^\n");
  });

  it("not a terminal: neither frame nor colours (FORCE_COLOR forces colours only)", () => {
    expect(print({ stderrIsTTY: false, env: {} })).not.toMatch(/\u001b|\| {9}- BearerAuth/);
    const forced = print({ stderrIsTTY: false, env: { FORCE_COLOR: "1" } });
    expect(forced).toContain("\u001b[31merror");
    expect(forced).not.toContain("BearerAuth: []");
    expect(readFileSync(diagnostic.file, "utf8")).toContain("        - BearerAuth: []");
  });
});

/** util-linux `script` gives the binary a real pseudo-terminal (absent on some machines: then skipped). */
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!HAS_SCRIPT)("the real binary on a pseudo-terminal", () => {
  it("progress line while it works (then erased), code frames and colours in the diagnostics", async () => {
    const command = [process.execPath, CLI, SPEC, "--out", "out"].map((a) => `'${a}'`).join(" ");
    // The line is drawn at once (else only after 300 ms, and the prebuilt generator can be done sooner).
    const { code, stdout } = await run("script", ["-qec", command, "/dev/null"], {
      cwd: work,
      env: env({ SPECFETCH_PROGRESS_AFTER_MS: "0" }),
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\r\u001b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] generating from fixtures\/workflow\/broken\.yaml \(1 KB\) \d+\.\d s/,
    );
    expect(stdout).toContain(
      "\r\u001b[K\u001b[1mfixtures/workflow/broken.yaml:6:5\u001b[0m \u001b[31merror\u001b[0m",
    );
    expect(stdout.replace(/\r/g, "")).toContain(
      "  \u001b[31m>\u001b[0m 16 |         - BearerAuth: []\n       |           \u001b[31m^\u001b[0m\n",
    );
  });
});
