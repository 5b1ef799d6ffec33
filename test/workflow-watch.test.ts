/**
 * `--watch`: the real binary, left running on a spec in two files; an edit of the file the spec references
 * regenerates (with the change report), a broken intermediate save of the spec prints its diagnostics and keeps
 * the last good output, the next good save regenerates (of the referenced file too, after a broken save of it),
 * and SIGTERM ends it cleanly. Every wait is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLI, FIXTURES } from "./helpers/paths.js";

let work: string;
let child: ChildProcess | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-watch-"));
  cpSync(join(FIXTURES, "workflow/multi"), work, { recursive: true });
});
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

function snapshotFolder(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

it(
  "regenerates on change, survives an invalid save, stops on SIGTERM",
  { timeout: 240_000 },
  async () => {
    let stdout = "";
    let stderr = "";
    child = spawn(process.execPath, [CLI, "spec.yaml", "--out", "out", "--watch"], {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child!.on("exit", (code) => done(code)));

    /** Waits until `condition()` holds, failing with everything printed so far after `ms`. */
    const until = async (what: string, condition: () => boolean, ms = 90_000) => {
      const deadline = Date.now() + ms;
      while (!condition()) {
        if (Date.now() > deadline || child!.exitCode !== null)
          throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    };
    const generations = () =>
      stdout.split("\n").filter((l) => l.includes("specfetch: generated")).length;

    await until("the first generation and the watch line", () =>
      stdout.includes("specfetch: watching 2 files (spec.yaml) for changes"),
    );
    expect(generations()).toBe(1);

    // An API change in the referenced file: a new optional property of the response.
    const shared = readFileSync(join(work, "shared.yaml"), "utf8");
    writeFileSync(join(work, "shared.yaml"), shared + "    name: { type: string }\n");
    await until("the regeneration", () => generations() === 2);
    await until("the change report", () =>
      stdout.includes("API changes in out: 0 breaking, 1 not breaking"),
    );
    expect(stdout).toContain(
      "getThing: schema Thing in responses narrowed: optional property name added",
    );
    const good = snapshotFolder(join(work, "out"));
    expect(good["schema.ts"]).toContain("name?: string;");

    const spec = readFileSync(join(work, "spec.yaml"), "utf8");
    // A save in the middle of typing: invalid YAML.
    writeFileSync(join(work, "spec.yaml"), spec.replace("paths:", "paths: [\n"));
    await until("the diagnostics", () => stderr.includes("kept the last good output in out"));
    expect(stderr).toMatch(/spec\.yaml:\d+:\d+ error invalid-yaml: /);
    expect(snapshotFolder(join(work, "out"))).toEqual(good);

    // The next good save.
    writeFileSync(
      join(work, "spec.yaml"),
      spec.replace("summary: Get a thing", "summary: Get one thing"),
    );
    await until("the regeneration after the fix", () => generations() === 3);
    expect(readFileSync(join(work, "out/client.ts"), "utf8")).toContain("Get one thing");

    // A broken save of the referenced file, then its fix: still watched after the failed run.
    const sharedNow = readFileSync(join(work, "shared.yaml"), "utf8");
    const failures = () => stderr.split("kept the last good output in out").length - 1;
    writeFileSync(join(work, "shared.yaml"), sharedNow + "  broken: [\n");
    await until("the diagnostics of the referenced file", () => failures() === 2);
    writeFileSync(join(work, "shared.yaml"), sharedNow + "    label: { type: string }\n");
    await until("the regeneration after fixing the referenced file", () => generations() === 4);
    expect(readFileSync(join(work, "out/schema.ts"), "utf8")).toContain("label?: string;");

    child.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise((done) => setTimeout(() => done("timeout"), 30_000)),
    ]);
    expect(code).toBe(0);
  },
);
