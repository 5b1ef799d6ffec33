/**
 * openapi-typescript in a second thread. On a big spec it is the longest stage (6 s of GitHub's 13 MB document,
 * and 2 s to import), and it needs nothing from the client functions: the thread starts with the run, imports
 * openapi-typescript while the main thread reads and validates the spec, and prints `schema.ts` while the main
 * thread builds and formats the client. It can format a file too (prettier), to share that work between the
 * two cores. The document is copied to the thread (structured clone); the text comes back.
 */
import { Worker } from "node:worker_threads";

export type SchemaTask =
  { task: "schema"; document: Record<string, unknown> } | { task: "format"; text: string };

export type SchemaRequest = SchemaTask & { id: number };

export type SchemaReply =
  | { id: number; ok: true; text: string }
  | { id: number; ok: false; message: string; stack: string | undefined };

type Pending = { resolve: (text: string) => void; reject: (error: Error) => void };

export class SchemaThread {
  private readonly worker = new Worker(new URL("./schema-worker.mjs", import.meta.url));
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    this.worker.on("message", (reply: SchemaReply) => this.settle(reply));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`the schema thread exited (${code})`)));
  }

  /** `schema.ts`'s text for a validated document (`schemaSource`). */
  schema(document: Record<string, unknown>): Promise<string> {
    return this.request({ task: "schema", document });
  }

  /** Prettier's output for `text` (`formatTypeScript`). */
  format(text: string): Promise<string> {
    return this.request({ task: "format", text });
  }

  /** Stops the thread (whatever it is doing: after a spec error, its work is not needed). */
  async close(): Promise<void> {
    this.failure ??= new Error("the schema thread was closed");
    await this.worker.terminate();
  }

  private request(task: SchemaTask): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...task, id });
    });
  }

  private settle(reply: SchemaReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
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
