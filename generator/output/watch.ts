/**
 * `--watch`: run every client once, then again whenever its spec or any file the spec was read from changes.
 *
 * - Folders are watched, not files (`node:fs` `watch`): editors often save by writing a new file and renaming it
 *   over the old one, which ends a watch on the old file. Events are filtered by file name.
 * - Debounced: a burst of events (an editor writes, renames, touches) gives one run, 150 ms after the last.
 * - Runs never overlap: a change during a run queues one more run of that client after it.
 * - A save that breaks the spec prints its diagnostics and leaves the last good output as it is (generation
 *   fails before anything is written); the next good save regenerates.
 * - The watched set is updated after every run (`Generated.sourceFiles`: a multi-file spec's references).
 */
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ClientPlan, RunPlan } from "../config/plan.js";
import { EXIT, runClient, type ClientResult } from "./run.js";
import type { Ui } from "./terminal.js";

const DEBOUNCE_MS = 150;

export async function watchClients({
  plan,
  ui,
  afterRun,
}: {
  plan: RunPlan;
  ui: Ui;
  /** Called after every run (writes the change reports). */
  afterRun: (client: ClientPlan, result: ClientResult) => Promise<void>;
}): Promise<number> {
  const watched = new Map<ClientPlan, Set<string>>();
  const watchers = new Map<string, FSWatcher>();
  const timers = new Map<ClientPlan, NodeJS.Timeout>();
  const pending = new Set<ClientPlan>();
  let queue = Promise.resolve();

  const runOnce = async (client: ClientPlan) => {
    const result = await runClient({ client, plan, ui, watching: true });
    await afterRun(client, result);
    // A failed run may have read none of the spec's files: the ones watched so far stay watched, so that
    // fixing the file that broke (one the spec references) regenerates.
    const before = result.status === "failed" ? (watched.get(client) ?? []) : [];
    watched.set(client, new Set([client.spec, ...before, ...result.sourceFiles]));
    syncWatchers();
  };

  const schedule = (client: ClientPlan) => {
    clearTimeout(timers.get(client));
    timers.set(
      client,
      setTimeout(() => {
        timers.delete(client);
        if (pending.has(client)) return;
        pending.add(client);
        queue = queue.then(async () => {
          pending.delete(client);
          ui.verbose(`change in ${client.specPath}: regenerating ${client.outPath}`);
          await runOnce(client);
        });
      }, DEBOUNCE_MS),
    );
  };

  const onEvent = (dir: string, filename: string | null) => {
    for (const [client, files] of watched) {
      const hit =
        filename === null
          ? [...files].some((f) => dirname(f) === dir)
          : files.has(join(dir, filename.toString()));
      if (hit) schedule(client);
    }
  };

  const syncWatchers = () => {
    const dirs = new Set(
      [...watched.values()].flatMap((files) => [...files].map((f) => dirname(f))),
    );
    for (const [dir, watcher] of watchers)
      if (!dirs.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: true }, (_event, filename) =>
          onEvent(dir, filename),
        );
        watcher.on("error", (error) =>
          ui.error(`specfetch: cannot watch ${dir}: ${error.message}`),
        );
        watchers.set(dir, watcher);
      } catch (error) {
        ui.error(`specfetch: cannot watch ${dir}: ${(error as Error).message}`);
      }
    }
  };

  for (const client of plan.clients) {
    watched.set(client, new Set([client.spec]));
    syncWatchers(); // before the first run, so an edit during it is not missed
    await runOnce(client);
  }
  const count = new Set([...watched.values()].flatMap((f) => [...f])).size;
  ui.info(
    `specfetch: watching ${count} file${count === 1 ? "" : "s"} (${[...new Set(plan.clients.map((c) => basename(c.spec)))].join(", ")}) for changes; Ctrl-C to stop`,
  );

  return new Promise((resolveExit) => {
    const stop = () => {
      for (const watcher of watchers.values()) watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void queue.then(() => resolveExit(EXIT.ok));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
