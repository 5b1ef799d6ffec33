/**
 * The schema thread (see `schema-thread.ts`): `schema.ts` through openapi-typescript, imported as the thread
 * starts, while the main thread is still loading the generator and reading the spec.
 *
 * A JSON spec named ahead (`prefetch`) is read and parsed here, and its `schema.ts` printed at once, while the
 * main thread validates the same bytes and builds the model: the answer is given only to a request that names
 * the file with the sha256 the main thread validated, so nothing printed from a document validation rejected
 * (or from a file changed in between) is ever used. Work begins only on a document within the size, depth and
 * node limits (`load/limits.ts`), as the main thread's own walks do.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { LIMITS, measureShape } from "../load/limits.js";
import { schemaSource } from "./schema.js";
import type { PrefetchRequest, SchemaReply, SchemaRequest } from "./schema-thread.js";

const port = parentPort!;

type Printed = { ok: true; text: string } | { ok: false; error: unknown };

/** A JSON spec read ahead: the sha256 of its bytes and, if it is plain JSON within the limits, its schema.ts. */
type Prefetched = { sha256: string; schema: Printed | undefined };

/** Read ahead, by path: taken by the `schema` request that names the file. */
const prefetched = new Map<string, Promise<Prefetched>>();

port.on("message", (request: PrefetchRequest | SchemaRequest) => {
  if (request.kind === "prefetch") prefetched.set(request.path, readAndPrint(request.path));
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

async function readAndPrint(path: string): Promise<Prefetched> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readBounded(path);
  } catch {
    bytes = undefined;
  }
  if (bytes === undefined) return { sha256: "", schema: undefined };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  } catch {
    return { sha256, schema: undefined }; // not plain JSON after all: the main thread reads it as YAML
  }
  if (measureShape(document).exceeded) return { sha256, schema: undefined }; // rejected there
  try {
    return { sha256, schema: { ok: true, text: await schemaSource(document, { owned: true }) } };
  } catch (error) {
    return { sha256, schema: { ok: false, error } };
  }
}

async function answer(request: SchemaRequest): Promise<SchemaReply> {
  try {
    let printed: Printed;
    if ("document" in request)
      printed = { ok: true, text: await schemaSource(request.document, { owned: true }) };
    else {
      const { path, sha256 } = request.file;
      const read = prefetched.get(path) ?? readAndPrint(path);
      prefetched.delete(path);
      const ahead = await read;
      if (ahead.sha256 !== sha256 || ahead.schema === undefined)
        return { id: request.id, ok: false, stale: true };
      printed = ahead.schema;
    }
    if (!printed.ok) throw printed.error;
    return { id: request.id, ok: true, text: printed.text };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, ok: false, message, stack };
  }
}
