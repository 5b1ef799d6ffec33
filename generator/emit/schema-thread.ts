/**
 * openapi-typescript in a second thread. On a big spec it is the longest stage, and it needs nothing from the
 * client functions: the thread starts with the process (`bin/specfetch.js` starts it before it loads the
 * generator) and imports openapi-typescript while the main thread loads the generator and reads and validates
 * the spec, then prints `schema.ts` while the main thread builds and prints the client.
 *
 * The document reaches the thread one of two ways. A JSON spec that loading leaves as it was (no Swagger 2.0
 * conversion, no external `$ref`s bundled) is read, parsed and printed by the thread itself as soon as the main
 * thread knows the path (`prefetch`), in parallel with the main thread's own reading, validation and model:
 * the text is used only if the request names the bytes the main thread validated (sha256), and the run fails
 * if the file changed in between (see `schema-worker.ts`). Any other document is copied to the thread once
 * validated (structured clone, 0.1-0.4 s of each thread on GitHub's 13 MB). Either way the thread owns its
 * copy, which it prepares in place. The text comes back.
 */
import { Worker } from "node:worker_threads";

/** Read `path` (a `.json` spec) and parse it, ahead of a `schema` request for it. */
export type PrefetchRequest = { kind: "prefetch"; path: string };

/**
 * `schema.ts` for a validated document: given, or the JSON file at `file.path` if its bytes still have the
 * sha256 the main thread read (else the reply is `stale`).
 */
export type SchemaRequest = {
  kind: "schema";
  id: number;
} & ({ document: Record<string, unknown> } | { file: { path: string; sha256: string } });

export type SchemaReply =
  | { id: number; ok: true; text: string }
  | { id: number; ok: false; stale: true }
  | { id: number; ok: false; stale?: false; message: string; stack: string | undefined };

type Pending = { resolve: (text: string) => void; reject: (error: Error) => void };

/**
 * The thread's young generation (V8's default is 3 × 16 MB semi-spaces). openapi-typescript allocates
 * short-lived objects at a high rate: with a small young generation they are collected as often but in a
 * smaller space, which keeps the process's peak memory 60-70 MB lower on GitHub at no measurable CPU cost.
 */
const YOUNG_GENERATION_MB = 12;

let shared: SchemaThread | undefined;

/**
 * The process's schema thread, started on first use and kept for the next run (`--watch`, several clients: the
 * imports are paid once). It does not keep the process alive while it has nothing to do.
 */
export function schemaThread(): SchemaThread {
  if (shared === undefined || shared.failed) shared = new SchemaThread();
  return shared;
}

export class SchemaThread {
  private readonly worker = new Worker(new URL("./schema-worker.mjs", import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    this.worker.on("message", (reply: SchemaReply) => this.settle(reply));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`the schema thread exited (${code})`)));
    this.worker.unref();
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Ends the thread (the process generates nothing more): its heap, most of a big run's memory, is freed at
   * once instead of staying until the process exits. The next `schemaThread()` starts a new one.
   */
  close(): void {
    this.fail(new Error("the schema thread was closed"));
    if (shared === this) shared = undefined;
    void this.worker.terminate();
  }

  /** Lets the thread read and parse a JSON spec while this thread does the same (see `schemaOfFile`). */
  prefetch(path: string): void {
    if (this.failure || !/\.json$/i.test(path)) return;
    this.worker.postMessage({ kind: "prefetch", path } satisfies PrefetchRequest);
  }

  /** `schema.ts`'s text for a validated document (`schemaSource`), copied to the thread. */
  schema(document: Record<string, unknown>): Promise<string> {
    return this.request((id) => ({ kind: "schema", id, document }));
  }

  /**
   * `schema.ts`'s text for a validated document that is exactly the JSON file at `path` parsed
   * (`LoadedSpec.parsedJson`): the thread reads it itself. Fails if the file's bytes no longer have this
   * `sha256` (it changed during the run): the document this thread validated is not sent, so that it can be
   * freed as soon as the model is built.
   */
  schemaOfFile({ path, sha256 }: { path: string; sha256: string }): Promise<string> {
    return this.request((id) => ({ kind: "schema", id, file: { path, sha256 } }));
  }

  private request(message: (id: number) => SchemaRequest): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref(); // a run waits for its answer
      this.worker.postMessage(message(id));
    });
  }

  private settle(reply: SchemaReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.ok) pending?.resolve(reply.text);
    else if (reply.stale === true)
      pending?.reject(
        new Error("the spec file changed while it was being generated from: run again"),
      );
    else {
      const error = new Error(reply.message);
      if (reply.stack) error.stack = reply.stack;
      pending?.reject(error);
    }
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
