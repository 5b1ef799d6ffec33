/** A fixture's client, generated in memory, written to a fresh temporary folder and imported (tsx runs it). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { generateFiles } from "../../generator/index.js";
import { startRecordingServer, type RecordingServer } from "./http-server.js";
import { displayPathOf } from "./paths.js";

export interface GeneratedClient<Api> {
  /** The generated `index.ts`'s exports. */
  api: Api;
  /** The folder holding the generated files (and nothing else unless the caller put it there). */
  dir: string;
  /** The warnings generation reported. */
  diagnostics: Diagnostic[];
}

/**
 * Generates `spec` and imports the result. `dir` is where the files go (a new temporary folder when omitted);
 * the caller removes it.
 */
export async function importGeneratedClient<Api>(
  spec: string,
  dir: string = mkdtempSync(join(tmpdir(), "specfetch-client-")),
): Promise<GeneratedClient<Api>> {
  const { files, diagnostics } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  const api = (await import(pathToFileURL(join(dir, "index.ts")).href)) as Api;
  return { api, dir, diagnostics };
}

export interface ClientAgainstServer<Api> extends GeneratedClient<Api> {
  /** A recording `node:http` server on 127.0.0.1. */
  server: RecordingServer;
  /** `api.createClient({ baseUrl: server.origin })`. */
  client: unknown;
}

/** A fixture's generated client, pointed at a fresh recording server: a test file's `beforeAll`. */
export async function startClientAgainstServer<Api extends { createClient(o: unknown): unknown }>(
  spec: string,
): Promise<ClientAgainstServer<Api>> {
  const generated = await importGeneratedClient<Api>(spec);
  const server = await startRecordingServer();
  return { ...generated, server, client: generated.api.createClient({ baseUrl: server.origin }) };
}

/** The matching `afterAll`: closes the server and removes the generated files. */
export async function stopClientAgainstServer({
  server,
  dir,
}: {
  server: RecordingServer;
  dir: string;
}) {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The error a call rejects with (the test fails if it resolves). */
export async function rejectionOf(call: Promise<unknown>): Promise<Record<string, unknown>> {
  return call.then(
    () => {
      throw new Error("expected a rejection, but the call resolved");
    },
    (error: unknown) => error as Record<string, unknown>,
  );
}
