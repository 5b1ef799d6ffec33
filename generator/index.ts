/**
 * `generate()`: wires the stages (load → validate → IR → emit → format → write or check). No logic of its own.
 */
import { readFile } from "node:fs/promises";
import { DiagnosticSink, type Diagnostic } from "./diagnostics.js";
import { clientStatements } from "./emit/client.js";
import { indexStatements, schemaHelpersIn } from "./emit/index-file.js";
import { operationsTableStatements } from "./emit/operations-table.js";
import { printClientFormatted } from "./emit/client-layout.js";
import { printStatementsFormatted } from "./emit/layout.js";
import { schemaThread } from "./emit/schema-thread.js";
import { printStatements } from "./emit/source-file.js";
import type { StatementStructures } from "ts-morph";
import { loadSpec } from "./load/load-spec.js";
import { explainSchemaFailure, validateDocument } from "./load/validate.js";
import { buildModel } from "./model/build-operations.js";
import type { ApiModel } from "./model/ir.js";
import { formatTypeScript, uncheckedBody, sourceEntries, stampFiles } from "./output/format.js";
import { readOutputFolder } from "./output/manifest.js";
import {
  changedFiles,
  compareOutput,
  recoverInterrupted,
  writeOutput,
  type Drift,
  type GeneratedFiles,
} from "./output/write.js";
import { GENERATOR_VERSION } from "./version.js";

export interface GenerateOptions {
  /** Path to the spec file (read from disk). */
  spec: string;
  /** How the spec path appears in diagnostics; default `spec` with forward slashes. */
  displayPath?: string;
  /** How the spec path appears in the output's banner; default `displayPath`. */
  bannerPath?: string;
  /** Extra folders external `$ref`s may read from (`--allow-ref-root`); the spec's own folder always may. */
  allowRefRoots?: readonly string[] | undefined;
  /** Hosts remote `$ref`s may be fetched from (`--allow-ref-host`, see `load/remote.ts`); none by default. */
  allowRefHosts?: readonly string[] | undefined;
  /**
   * The process's last generation (not watching, no other client after it): the schema thread is ended once
   * it has answered, so that its memory is freed before the files are stamped and written.
   */
  lastGeneration?: boolean | undefined;
}

export interface Generated {
  files: GeneratedFiles;
  model: ApiModel;
  /** Warnings (errors throw `SpecError`). */
  diagnostics: Diagnostic[];
  /** Absolute paths of every file the spec was read from, the root first (multi-file specs have more). */
  sourceFiles: string[];
}

// Through the project root: the same path from `generator/` and from the prebuilt `dist/` (both one level down).
const RUNTIME_SOURCE = new URL("../generator/runtime/runtime.ts", import.meta.url);

// Prettier formats index.ts, and lays out operations.ts and client.ts from documents built for them (its printer
// without its parser: `emit/layout.ts`, `emit/client-layout.ts`). Not the runtime, copied verbatim (it is kept
// prettier-formatted in the repository), nor schema.ts, printed by openapi-typescript's TypeScript printer,
// already consistently laid out: prettier on a large schema.ts would be most of a run's time (8 s of GitHub's
// 13 MB types) for no change a reader would notice.

/**
 * Everything in memory: nothing is written. Throws `SpecError` with every problem found.
 *
 * Two threads: `schema.ts` (openapi-typescript) is printed in the schema thread (`emit/schema-thread.ts`) while
 * this one builds and formats the client; each file's text is the same as if one thread did it all.
 */
export async function generateFiles({
  spec,
  displayPath = spec.replace(/\\/g, "/"),
  bannerPath = displayPath,
  allowRefRoots,
  allowRefHosts,
  lastGeneration = false,
}: GenerateOptions): Promise<Generated> {
  const thread = schemaThread(); // started by bin/specfetch.js; imports openapi-typescript meanwhile
  thread.prefetch(spec); // a JSON spec: the thread parses its own copy while this one parses
  const source = await loadSpec({
    path: spec,
    displayPath,
    allowedRoots: allowRefRoots,
    allowedHosts: allowRefHosts,
  });
  const sink = new DiagnosticSink(source.file, source.locate);
  sink.items.push(...source.diagnostics);
  // Collect everything (document and operations) before failing once, so one run lists every problem.
  if (
    !validateDocument({
      document: source.document,
      sink,
      refs: source.refs,
      reportedRefs: source.reportedRefs,
    })
  )
    sink.throwIfErrors();
  const document = source.document as Record<string, unknown>;
  const eagerPositions = !/\.json$/i.test(spec); // JSON positions need a second parse: only on a diagnostic
  const model = buildModel({ document, sink, locate: source.locate, eagerPositions });
  sink.throwIfErrors();
  const schema = source.parsedJson
    ? thread.schemaOfFile({ path: spec, sha256: source.sha256 })
    : thread.schema(document);
  schema.catch(() => undefined); // awaited below: handled even while this thread is still busy
  const format = (name: string, statements: StatementStructures[]) =>
    formatTypeScript(printStatements(name, statements));
  // The metadata table is laid out by prettier's printer directly (`emit/layout.ts`): no parse of 1 MB of data.
  const operations = await printStatementsFormatted(
    operationsTableStatements(model),
    formatTypeScript,
  );
  // The functions and their types: laid out the same way from their ts-morph structures (`emit/client-layout.ts`).
  const client = await printClientFormatted(clientStatements(model), formatTypeScript);
  const runtime = await readFile(RUNTIME_SOURCE, "utf8");
  const schemaText = await schema
    .finally(() => {
      if (lastGeneration) thread.close();
    })
    .catch((error: unknown) => {
      if (explainSchemaFailure({ error, document, sink })) sink.throwIfErrors();
      throw error;
    });
  // After schema.ts: it re-exports the helper types schema.ts declares (a few ms of prettier on a short file).
  const index = await format(
    "index.ts",
    indexStatements({ schemaHelpers: schemaHelpersIn(schemaText) }),
  );
  const texts: [string, string][] = [
    ["schema.ts", schemaText],
    ["operations.ts", operations],
    ["client.ts", client],
    ["runtime.ts", runtime],
    ["index.ts", index],
  ];
  const bodies = new Map(texts.map(([name, text]) => [name, uncheckedBody(text)]));
  const files = stampFiles(bodies, {
    version: GENERATOR_VERSION,
    specPath: bannerPath,
    specSha256: source.sha256,
    sources: [
      ...(await sourceEntries(source.files)),
      ...source.remote.map(({ url, sha256 }) => ({ path: url, sha256 })),
    ],
  });
  return { files, model, diagnostics: sink.items, sourceFiles: source.files };
}

/**
 * Generates and writes `out` atomically (see `output/write.ts`); leaves it untouched when nothing changed.
 * `changedFiles` lists the files added, changed or removed.
 */
export async function generate(
  options: GenerateOptions & { out: string },
): Promise<Generated & { changedFiles: string[] }> {
  const generated = await generateFiles(options);
  await recoverInterrupted(options.out);
  const folder = await readOutputFolder(options.out);
  const changed = changedFiles(folder.files, generated.files);
  if (changed.length > 0 || folder.foreign.length > 0)
    await writeOutput({ out: options.out, files: generated.files, folder });
  return { ...generated, changedFiles: changed };
}

/** Writes nothing: what differs between `out` and what the spec generates, hand edits included. */
export async function check(
  options: GenerateOptions & { out: string },
): Promise<Generated & { drift: Drift[] }> {
  const generated = await generateFiles(options);
  await recoverInterrupted(options.out);
  return { ...generated, drift: await compareOutput({ out: options.out, files: generated.files }) };
}

export { defineConfig, type ClientConfig, type SpecfetchConfig } from "./config/types.js";
