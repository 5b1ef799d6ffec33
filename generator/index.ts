/**
 * `generate()`: wires the stages (load → validate → IR → emit → format → write or check). No logic of its own.
 */
import { readFile } from "node:fs/promises";
import { DiagnosticSink, type Diagnostic } from "./diagnostics.js";
import { clientStatements } from "./emit/client.js";
import { indexStatements } from "./emit/index-file.js";
import { operationsTableStatements } from "./emit/operations-table.js";
import { schemaSource } from "./emit/schema.js";
import { printStatements } from "./emit/source-file.js";
import { readDocument } from "./load/read-document.js";
import { validateDocument } from "./load/validate.js";
import { buildModel } from "./model/build-operations.js";
import type { ApiModel } from "./model/ir.js";
import { banner, formatTypeScript } from "./output/format.js";
import { compareOutput, writeOutput, type Drift, type GeneratedFiles } from "./output/write.js";
import { GENERATOR_VERSION } from "./version.js";

export interface GenerateOptions {
  /** Path to the spec file (read from disk). */
  spec: string;
  /** How the spec path appears in banners and diagnostics; default `spec` with forward slashes. */
  displayPath?: string;
}

export interface Generated {
  files: GeneratedFiles;
  model: ApiModel;
  /** Warnings (errors throw `SpecError`). */
  diagnostics: Diagnostic[];
}

const RUNTIME_SOURCE = new URL("./runtime/runtime.ts", import.meta.url);

/** Everything in memory: nothing is written. Throws `SpecError` with every problem found. */
export async function generateFiles({
  spec,
  displayPath = spec.replace(/\\/g, "/"),
}: GenerateOptions): Promise<Generated> {
  const source = await readDocument({ path: spec, displayPath });
  const sink = new DiagnosticSink(source.file, source.locate);
  // Collect everything (document and operations) before failing once, so one run lists every problem.
  if (!validateDocument({ document: source.document, sink })) sink.throwIfErrors();
  const document = source.document as Record<string, unknown>;
  const model = buildModel({ document, sink, locate: source.locate });
  sink.throwIfErrors();
  const sources: [string, string][] = [
    ["schema.ts", await schemaSource(document)],
    ["operations.ts", printStatements("operations.ts", operationsTableStatements(model))],
    ["client.ts", printStatements("client.ts", clientStatements(model))],
    ["runtime.ts", await readFile(RUNTIME_SOURCE, "utf8")],
    ["index.ts", printStatements("index.ts", indexStatements())],
  ];
  const head = banner({
    version: GENERATOR_VERSION,
    specPath: source.file,
    specSha256: source.sha256,
  });
  const files = new Map<string, string>();
  for (const [name, text] of sources) files.set(name, head + (await formatTypeScript(text)));
  return { files, model, diagnostics: sink.items };
}

export async function generate(options: GenerateOptions & { out: string }): Promise<Generated> {
  const generated = await generateFiles(options);
  await writeOutput({ out: options.out, files: generated.files });
  return generated;
}

export async function check(
  options: GenerateOptions & { out: string },
): Promise<Generated & { drift: Drift[] }> {
  const generated = await generateFiles(options);
  return { ...generated, drift: await compareOutput({ out: options.out, files: generated.files }) };
}
