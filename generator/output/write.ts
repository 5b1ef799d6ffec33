/**
 * Writes the generated files all at once, so that an interrupted run never leaves a mix of old and new files.
 *
 * 1. Every file is written (and fsynced) into `.<out>.specfetch-new-<pid>`, a fresh folder beside `<out>`.
 * 2. `<out>` is renamed to `.<out>.specfetch-old-<pid>`, then the new folder is renamed to `<out>`.
 * 3. The old folder is removed.
 *
 * A rename is atomic, so a reader (or a SIGKILL) sees `<out>` either whole and old or whole and new — except in
 * the instant between the two renames of step 2, when `<out>` does not exist. A run killed in that instant leaves
 * `<out>` missing and the complete old output in `.<out>.specfetch-old-<pid>`: the next specfetch run for that
 * folder (`recoverInterrupted`, called before anything else) renames it back. Leftover temporary folders of
 * processes that are gone are removed. Nothing outside `<out>` and these sibling folders is touched.
 *
 * `--check` compares instead (`compareOutput`).
 */
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { readOutputFolder, type OutputFolder } from "./manifest.js";

export type GeneratedFiles = ReadonlyMap<string, string>;

export class OutputError extends Error {}

/** Writes `files` as the whole content of `out`; refuses a folder holding anything specfetch did not write. */
export async function writeOutput({
  out,
  files,
  folder,
  display = out,
}: {
  out: string;
  files: GeneratedFiles;
  /** `out` as read before generating, when the caller already has it. */
  folder?: OutputFolder;
  /** `out` as messages show it. */
  display?: string;
}): Promise<void> {
  await recoverInterrupted(out);
  assertOwnedBySpecfetch(display, folder ?? (await readOutputFolder(out)));
  const { temp, old } = siblingsOf(out, process.pid);
  // A leftover (or planted) entry at `temp`, a symlink too, is removed, not followed; then `temp` is created
  // anew (not `recursive`, which would accept a symlink to a folder reappearing there) and each file with `wx`
  // (fails rather than follow anything already in its place).
  await rm(temp, { recursive: true, force: true });
  await mkdir(dirname(temp), { recursive: true });
  await mkdir(temp);
  for (const [name, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
    await writeDurably(join(temp, name), content);
  const existed = await exists(out);
  if (existed) await rename(out, old);
  await rename(temp, out);
  if (existed) await rm(old, { recursive: true, force: true });
}

/** Written and flushed to the disk before the folder is swapped in. */
async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function siblingsOf(out: string, pid: number): { temp: string; old: string } {
  const stem = join(dirname(out), `.${basename(out)}`);
  return { temp: `${stem}.specfetch-new-${pid}`, old: `${stem}.specfetch-old-${pid}` };
}

export interface Recovery {
  /** The leftover folder renamed back to `out`, if `out` was missing. */
  restored: string | undefined;
  /** Leftover temporary folders removed. */
  removed: string[];
}

/**
 * Repairs what a killed run may have left beside `out` (see the file comment). Folders of a process that is still
 * running are left alone: it may be writing them right now.
 */
export async function recoverInterrupted(out: string): Promise<Recovery> {
  const recovery: Recovery = { restored: undefined, removed: [] };
  const dir = dirname(out);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(out))}\\.specfetch-(new|old)-(\\d+)$`);
  const leftovers: { path: string; kind: string; mtime: number }[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = pattern.exec(name);
    if (!match || isRunning(Number(match[2]))) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info) leftovers.push({ path, kind: match[1]!, mtime: info.mtimeMs });
  }
  if (!(await exists(out))) {
    const old = leftovers.filter((l) => l.kind === "old").sort((a, b) => b.mtime - a.mtime)[0];
    if (old) {
      await rename(old.path, out);
      recovery.restored = old.path;
    }
  }
  for (const leftover of leftovers) {
    if (leftover.path === recovery.restored) continue;
    await rm(leftover.path, { recursive: true, force: true });
    recovery.removed.push(leftover.path);
  }
  return recovery;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Refuses to replace a folder holding anything specfetch did not write (a mistyped `--out src` must not wipe src). */
export function assertOwnedBySpecfetch(out: string, folder: OutputFolder): void {
  if (!folder.exists) return;
  if (folder.foreign.includes(".")) throw new OutputError(`${out} exists and is not a folder`);
  if (folder.foreign.length > 0) {
    throw new OutputError(
      `refusing to replace ${out}: it holds files specfetch did not generate (${folder.foreign.join(", ")})`,
    );
  }
}

export interface Drift {
  file: string;
  /** `edited`: the file's body no longer matches the hash in its own banner (a hand edit). */
  status: "changed" | "missing" | "extra" | "edited";
}

/** What differs between `out` and the files the spec generates now, sorted by file name. */
export async function compareOutput({
  out,
  files,
  folder,
}: {
  out: string;
  files: GeneratedFiles;
  folder?: OutputFolder;
}): Promise<Drift[]> {
  const present = folder ?? (await readOutputFolder(out));
  const drift: Drift[] = [];
  for (const [name, content] of files) {
    const current = present.files.get(name);
    if (current === undefined) {
      if (!present.foreign.includes(name)) drift.push({ file: name, status: "missing" });
    } else if (present.edited.includes(name)) drift.push({ file: name, status: "edited" });
    else if (current !== content) drift.push({ file: name, status: "changed" });
  }
  for (const name of [...present.files.keys(), ...present.foreign])
    if (!files.has(name) && name !== ".") drift.push({ file: name, status: "extra" });
  for (const name of present.foreign)
    if (files.has(name)) drift.push({ file: name, status: "changed" });
  return drift.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The names of the files that writing `next` over `previous` adds, changes or removes (sorted). */
export function changedFiles(previous: GeneratedFiles, next: GeneratedFiles): string[] {
  const names = new Set([...previous.keys(), ...next.keys()]);
  return [...names].filter((name) => previous.get(name) !== next.get(name)).sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
