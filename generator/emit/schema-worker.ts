/**
 * The schema thread (see `schema-thread.ts`): `schema.ts` through openapi-typescript, imported as the thread
 * starts, while the main thread is still loading the generator and reading the spec.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { LIMITS } from "../load/limits.js";
import { parentPort } from "node:worker_threads";
import { schemaSource } from "./schema.js";
import type { PrefetchRequest, SchemaReply, SchemaRequest } from "./schema-thread.js";

const port = parentPort!;

type Parsed = { sha256: string; document: Record<string, unknown> | undefined };

/** The JSON spec read ahead (`prefetch`), by path: taken by the `schema` request that names it. */
const prefetched = new Map<string, Promise<Parsed>>();

port.on("message", (request: PrefetchRequest | SchemaRequest) => {
  if (request.kind === "prefetch") prefetched.set(request.path, readJson(request.path));
  else void answer(request).then((reply) => port.postMessage(reply));
});

/** The file's bytes, or `undefined` past `maxDocumentBytes` (the main thread reports that; this one only skips). */
async function readBounded(path: string): Promise<Buffer | undefined> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    if (size > LIMITS.maxDocumentBytes) return undefined;
    // One byte more than the size: a file that grew since is not this run's (its sha256 will not match).
    const buffer = Buffer.allocUnsafe(size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > size) return undefined;
    }
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

async function readJson(path: string): Promise<Parsed> {
  try {
    const bytes = await readBounded(path);
    if (bytes === undefined) return { sha256: "", document: undefined };
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    let document: Record<string, unknown> | undefined;
    try {
      document = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    } catch {
      document = undefined; // not plain JSON after all (the main thread read it as YAML): sent instead
    }
    return { sha256, document };
  } catch {
    return { sha256: "", document: undefined };
  }
}

async function answer(request: SchemaRequest): Promise<SchemaReply> {
  try {
    let document: Record<string, unknown>;
    if ("document" in request) document = request.document;
    else {
      const { path, sha256 } = request.file;
      const read = prefetched.get(path) ?? readJson(path);
      prefetched.delete(path);
      const parsed = await read;
      if (parsed.sha256 !== sha256 || parsed.document === undefined)
        return { id: request.id, ok: false, stale: true };
      document = parsed.document;
    }
    return { id: request.id, ok: true, text: await schemaSource(document, { owned: true }) };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, ok: false, message, stack };
  }
}
