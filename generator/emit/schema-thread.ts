/**
 * openapi-typescript in a second thread. On a big spec it is the longest stage (6 s of GitHub's 13 MB document,
 * and 2 s to import), and it needs nothing from the client functions: the thread starts with the run, imports
 * openapi-typescript while the main thread reads and validates the spec, and prints `schema.ts` while the main
 * thread builds and formats the client. The document is copied to the thread (structured clone, 0.1-0.4 s of
 * this thread on GitHub); the text comes back.
 */
import { Worker } from "node:worker_threads";

export type SchemaRequest = { id: number; document: Record<string, unknown> };

export type SchemaReply =
  | { id: number; ok: true; text: string }
  | { id: number; ok: false; message: string; stack: string | undefined };

type Pending = { resolve: (text: string) => void; reject: (error: Error) => void };

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
  private readonly worker = new Worker(new URL("./schema-worker.mjs", import.meta.url));
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

  /** `schema.ts`'s text for a validated document (`schemaSource`). */
  schema(document: Record<string, unknown>): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref(); // a run waits for its answer
      this.worker.postMessage({ id, document } satisfies SchemaRequest);
    });
  }

  private settle(reply: SchemaReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) pending?.resolve(reply.text);
    else {
      const error = new Error(reply.message);
      if (reply.stack) error.stack = reply.stack;
      pending?.reject(error);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
