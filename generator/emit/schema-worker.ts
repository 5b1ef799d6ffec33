/**
 * The schema thread (see `schema-thread.ts`): `schema.ts` through openapi-typescript, imported as the thread
 * starts, while the main thread is still reading and validating the spec.
 */
import { parentPort } from "node:worker_threads";
import { schemaSource } from "./schema.js";
import type { SchemaReply, SchemaRequest } from "./schema-thread.js";

const port = parentPort!;

port.on("message", (request: SchemaRequest) => {
  void answer(request).then((reply) => port.postMessage(reply));
});

async function answer(request: SchemaRequest): Promise<SchemaReply> {
  try {
    return { id: request.id, ok: true, text: await schemaSource(request.document) };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, ok: false, message, stack };
  }
}
