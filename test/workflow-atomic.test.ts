/**
 * Atomic output: a run killed at any moment (SIGKILL: no cleanup of any kind) leaves the output folder exactly
 * as it was or exactly as the new run would have written it, never a mix. The one moment when the folder does
 * not exist (between the two renames of the swap) is repaired by the next run, which puts the old output back.
 * Nothing beside the output folder survives a completed run.
 *
 * The large spec (`spec/dashboard-api.yaml`, 275 operations, ~1.2 MB of output) makes the write phase long
 * enough to be hit: one kill lands at a random moment of the run, two at random moments just after the
 * temporary folder appears (while files are written and swapped).
 */
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverInterrupted } from "../generator/output/write.js";
import { CLI, FIXTURES, GENERATED, SPEC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-atomic-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function snapshotFolder(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

/** Starts a generation and SIGKILLs it after `delayMs`, or `afterTempMs` after its temporary folder appears. */
async function killedRun({
  cwd,
  delayMs,
  afterTempMs,
}: {
  cwd: string;
  delayMs?: number;
  afterTempMs?: number;
}): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, [CLI, "spec/dashboard-api.yaml", "--out", "out"], {
    cwd,
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  let killed = false;
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) killed = child.kill("SIGKILL");
  };
  let watcher: ReturnType<typeof watch> | undefined;
  if (afterTempMs !== undefined) {
    watcher = watch(cwd, (_event, name) => {
      if (name?.toString().startsWith(".out.specfetch-new-")) {
        watcher?.close();
        setTimeout(kill, afterTempMs);
      }
    });
  } else {
    setTimeout(kill, delayMs);
  }
  await exited;
  watcher?.close();
  return { killed };
}

describe("SIGKILL at random moments", () => {
  it(
    "leaves exactly the old or exactly the new output, every time",
    { timeout: 600_000 },
    async () => {
      // old: the committed client; new: what a slightly changed spec generates, written over old by one full
      // (timed) run, which also shows a completed run leaves nothing beside the folder.
      mkdirSync(join(work, "spec"));
      const spec = readFileSync(SPEC, "utf8");
      const changed = spec.replace("Revokes the specified session.", "Revokes the given session.");
      expect(changed).not.toBe(spec);
      writeFileSync(join(work, "spec/dashboard-api.yaml"), changed);
      cpSync(GENERATED, join(work, "old"), { recursive: true });
      cpSync(GENERATED, join(work, "out"), { recursive: true });
      const started = Date.now();
      const full = await run(process.execPath, [CLI, "spec/dashboard-api.yaml", "--out", "out"], {
        cwd: work,
      });
      const runMs = Date.now() - started;
      expect(full.code, full.stderr).toBe(0);
      expect(readdirSync(work).sort()).toEqual(["old", "out", "spec"]);
      const old = snapshotFolder(join(work, "old"));
      const fresh = snapshotFolder(join(work, "out"));
      expect(fresh).not.toEqual(old);

      const outcomes: string[] = [];
      const plans = [
        { delayMs: Math.round(runMs * (0.3 + 0.8 * Math.random())) },
        { afterTempMs: Math.round(Math.random() * 5) },
        { afterTempMs: Math.round(10 + Math.random() * 240) }, // writing, swapping or cleaning up
      ];
      for (const plan of plans) {
        rmSync(join(work, "out"), { recursive: true, force: true });
        cpSync(join(work, "old"), join(work, "out"), { recursive: true });
        const { killed } = await killedRun({ cwd: work, ...plan });
        let state: string;
        if (existsSync(join(work, "out"))) {
          const now = snapshotFolder(join(work, "out"));
          state = JSON.stringify(now) === JSON.stringify(old) ? "old" : "new";
          expect(now, `after a kill (${JSON.stringify(plan)})`).toEqual(
            state === "old" ? old : fresh,
          );
        } else {
          // Killed between the two renames: the old output waits beside it, whole, for the next run.
          const leftover = readdirSync(work).find((n) => n.startsWith(".out.specfetch-old-"));
          expect(leftover, "the old output is kept beside the missing folder").toBeDefined();
          expect(snapshotFolder(join(work, leftover!))).toEqual(old);
          state = "missing, old kept";
        }
        // What the next run does first: restore or clean up, leaving only `out`.
        await recoverInterrupted(join(work, "out"));
        expect(readdirSync(work).filter((n) => n.includes("specfetch-"))).toEqual([]);
        expect([JSON.stringify(old), JSON.stringify(fresh)]).toContain(
          JSON.stringify(snapshotFolder(join(work, "out"))),
        );
        outcomes.push(`${killed ? "killed" : "finished"} → ${state}`);
      }
      console.log(`kill test (full run ${runMs} ms): ${outcomes.join("; ")}`);
    },
  );
});

describe("recovery by the next run", () => {
  it("a run killed between the two renames: the next run puts the old output back and removes the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-recover-"));
    try {
      cpSync(join(FIXTURES, "seed"), join(dir, "seed"), { recursive: true });
      const first = await run(process.execPath, [CLI, "seed/revoke-session.yaml", "--out", "out"], {
        cwd: dir,
      });
      expect(first.code, first.stderr).toBe(0);
      const before = snapshotFolder(join(dir, "out"));
      // The state a SIGKILL between `rename(out, old)` and `rename(new, out)` leaves (pid 2^22+1: not running).
      renameSync(join(dir, "out"), join(dir, ".out.specfetch-old-4194305"));
      mkdirSync(join(dir, ".out.specfetch-new-4194305"));
      writeFileSync(join(dir, ".out.specfetch-new-4194305/client.ts"), "// half");
      const { code, stdout, stderr } = await run(
        process.execPath,
        [CLI, "seed/revoke-session.yaml", "--out", "out", "--check"],
        { cwd: dir },
      );
      expect(stderr).toContain(
        "specfetch: out was missing after an interrupted run: restored the previous output",
      );
      expect(code).toBe(0);
      expect(stdout).toContain("out is up to date");
      expect(snapshotFolder(join(dir, "out"))).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual(["out", "seed"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
