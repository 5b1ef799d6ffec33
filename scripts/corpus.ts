/**
 * `npm run corpus`: every real document in ../shared/specs through the generator.
 * Valid documents must generate and the output must type-check under `tsc --strict` (with the other strict flags
 * the product promises); documents under `invalid/` must be rejected with a located error, or, where the defect
 * cannot affect the client, generate with a located warning (the decision per fixture is `INVALID_EXPECTATIONS`).
 * Prints one line per failure and `corpus: N generated and compiled, N rejected as expected, N failed`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { SpecError, type Diagnostic } from "../generator/diagnostics.js";
import { generateFiles } from "../generator/index.js";
import { compareApis } from "../generator/report/compare.js";
import { readApiSurface } from "../generator/report/surface.js";
import { PROMISED_FLAGS, typeCheckable } from "../test/helpers/strict-flags.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SPECS = process.env.SPECFETCH_SHARED_SPECS ?? join(ROOT, "../shared/specs");

export interface CorpusEntry {
  path: string;
  version: string;
  invalid: boolean;
}

/** What each intentionally invalid document must produce; the README of the corpus says why each is invalid. */
export const INVALID_EXPECTATIONS: Record<
  string,
  { outcome: "rejected" | "warned"; code: string; why: string }
> = {
  "peers/hey-api/specs/2.0.x/invalid/operationId-unique.yaml": {
    outcome: "rejected",
    code: "duplicate-operation-id",
    why: "two operations share an operationId: two functions cannot share a name",
  },
  "peers/hey-api/specs/3.0.x/invalid/operationId-unique.yaml": {
    outcome: "rejected",
    code: "duplicate-operation-id",
    why: "as above",
  },
  "peers/hey-api/specs/3.1.x/invalid/operationId-unique.yaml": {
    outcome: "rejected",
    code: "duplicate-operation-id",
    why: "as above",
  },
  "peers/hey-api/specs/3.0.x/invalid/servers-array.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "`servers` is not an array: the default base URL is unknowable",
  },
  "peers/hey-api/specs/3.1.x/invalid/servers-array.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "as above",
  },
  "peers/hey-api/specs/3.0.x/invalid/servers-entry.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "a server entry is not an object with a url",
  },
  "peers/hey-api/specs/3.1.x/invalid/servers-entry.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "as above",
  },
  "peers/hey-api/specs/3.0.x/invalid/servers-required.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "a server entry lacks its required url",
  },
  "peers/hey-api/specs/3.1.x/invalid/servers-required.yaml": {
    outcome: "rejected",
    code: "invalid-field",
    why: "as above",
  },
};

/**
 * Real documents outside `invalid/` with a real defect that specfetch rejects on purpose (each checked by hand):
 * the client could not be right, so a located error is the correct outcome, not a failure of the corpus run.
 */
export const KNOWN_DEFECTS: Record<string, { code: string; why: string }> = {
  "dynamic/dynamic-xyz-sdk-api-openapi.yml": {
    code: "unknown-security-scheme",
    why: "POST /sdk/{environmentId}/solana/optimizeTransaction asks for `BearerAuth`; only `bearerAuth` is declared (spec/ corrects it with an overlay)",
  },
  "peers/hey-api/specs/2.0.x/full.yaml": {
    code: "undeclared-path-parameter",
    why: "`{api-version}` is in 40+ path templates and declared nowhere",
  },
  "peers/hey-api/specs/3.0.x/full.yaml": { code: "undeclared-path-parameter", why: "as above" },
  "peers/hey-api/specs/3.1.x/full.yaml": { code: "undeclared-path-parameter", why: "as above" },
  "peers/hey-api/specs/3.1.x/openai.yaml": {
    code: "undeclared-path-parameter",
    why: "POST and DELETE /organization/certificates/{certificate_id} do not declare certificate_id (GET does)",
  },
  "peers/hey-api/specs/3.0.x/transformers-allof-response-wrapper.json": {
    code: "undeclared-path-parameter",
    why: "POST /secrets/{id} declares no parameters",
  },
  "peers/hey-api/specs/3.1.x/transformers-allof-response-wrapper.json": {
    code: "undeclared-path-parameter",
    why: "as above",
  },
  "peers/hey-api/specs/2.0.x/external.yaml": {
    code: "unused-path-parameter",
    why: "as in the 3.x copies below",
  },
  "peers/hey-api/specs/3.0.x/external.yaml": {
    code: "unused-path-parameter",
    why: "a path parameter `id` is declared on /external-model, which has no `{id}`",
  },
  "peers/hey-api/specs/3.1.x/external.yaml": { code: "unused-path-parameter", why: "as above" },
  "peers/hey-api/specs/3.1.x/validators-circular-ref.json": {
    code: "circular-ref",
    why: "schemas Baz and Qux are each only a $ref to the other: no type exists",
  },
  "peers/openapi-typescript/packages/openapi-fetch/test/common/schemas/common.yaml": {
    code: "unused-path-parameter",
    why: "path templates use RFC 6570 operators (`{.label}`, `{;matrix}`, `{name*}`), which OpenAPI path templating does not have",
  },
  "peers/openapi-typescript/packages/openapi-react-query/test/fixtures/api.yaml": {
    code: "unused-path-parameter",
    why: "as above",
  },
  "peers/openapi-typescript/packages/openapi-typescript/test/fixtures/generate-params-test.yaml": {
    code: "undeclared-path-parameter",
    why: "a fixture of an undefined path parameter, on purpose",
  },
  "peers/hey-api/specs/3.0.x/sdk-method-class-conflict.yaml": {
    code: "undeclared-path-parameter",
    why: "OData paths like /Businesses({key}) declare `key` in the query, not the path",
  },
  "peers/openapi-typescript/packages/openapi-typescript/test/fixtures/parameters-test.yaml": {
    code: "unused-path-parameter",
    why: "path parameters declared on /endpoint, which has no template",
  },
};

/** The corpus README's table is the manifest: one row per document (fragments are `$ref` targets, not documents). */
export function readManifest(specs: string): CorpusEntry[] {
  const readme = readFileSync(join(specs, "README.md"), "utf8");
  return readme
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .map((cells) => ({
      path: cells[1]!.replace(/`/g, ""),
      version: cells[3]!,
      invalid: cells[1]!.includes("/invalid/"),
    }))
    .filter((entry) => entry.version !== "fragment");
}

interface Outcome {
  entry: CorpusEntry;
  status: "generated" | "rejected-as-expected" | "failed";
  detail: string;
  outDir?: string;
}

async function generateEntry(entry: CorpusEntry, outRoot: string, index: number): Promise<Outcome> {
  const spec = join(SPECS, entry.path);
  try {
    const { files, diagnostics } = await generateFiles({ spec, displayPath: entry.path });
    if (entry.invalid) return invalidButGenerated(entry, diagnostics);
    const selfChange = changeAgainstItself(files);
    if (selfChange !== undefined) return { entry, status: "failed", detail: selfChange };
    const outDir = join(outRoot, String(index).padStart(3, "0"));
    mkdirSync(outDir, { recursive: true });
    for (const [name, content] of files) writeFileSync(join(outDir, name), typeCheckable(content));
    return { entry, status: "generated", detail: "", outDir };
  } catch (error) {
    if (!(error instanceof SpecError))
      return { entry, status: "failed", detail: `crashed: ${firstLine(error)}` };
    if (entry.invalid) return invalidRejected(entry, error.diagnostics);
    return (
      knownDefect(entry, error.diagnostics) ?? {
        entry,
        status: "failed",
        detail: `rejected: ${summarize(error.diagnostics)}`,
      }
    );
  }
}

/**
 * The change report (`generator/report/`) on an output against itself must find nothing: every real document's
 * API read back from its own files, compared with a second reading. A finding is a false change a user would be
 * shown on regenerating an unchanged spec.
 */
function changeAgainstItself(files: ReadonlyMap<string, string>): string | undefined {
  const [before, after] = [readApiSurface(files), readApiSurface(files)];
  if (before === undefined || after === undefined)
    return "change report: the output's API cannot be read back";
  const { changes } = compareApis(before, after);
  return changes.length === 0
    ? undefined
    : `change report: the output against itself reports ${changes.length} changes, first: ${changes[0]!.message}`;
}

function knownDefect(entry: CorpusEntry, diagnostics: readonly Diagnostic[]): Outcome | undefined {
  const known = KNOWN_DEFECTS[entry.path];
  const located = diagnostics.find(
    (d) => d.severity === "error" && d.line > 0 && d.code === known?.code,
  );
  return located
    ? { entry, status: "rejected-as-expected", detail: summarize([located]) }
    : undefined;
}

function invalidRejected(entry: CorpusEntry, diagnostics: readonly Diagnostic[]): Outcome {
  const expected = INVALID_EXPECTATIONS[entry.path];
  const located = diagnostics.find(
    (d) => d.severity === "error" && d.line > 0 && d.code === expected?.code,
  );
  if (expected?.outcome === "rejected" && located)
    return { entry, status: "rejected-as-expected", detail: summarize([located]) };
  return {
    entry,
    status: "failed",
    detail: `expected ${expected?.outcome ?? "a decision"} with ${expected?.code ?? "?"}, got: ${summarize(diagnostics)}`,
  };
}

function invalidButGenerated(entry: CorpusEntry, diagnostics: readonly Diagnostic[]): Outcome {
  const expected = INVALID_EXPECTATIONS[entry.path];
  const warned = diagnostics.find(
    (d) => d.severity === "warning" && d.line > 0 && d.code === expected?.code,
  );
  if (expected?.outcome === "warned" && warned)
    return { entry, status: "rejected-as-expected", detail: summarize([warned]) };
  return {
    entry,
    status: "failed",
    detail: `expected ${expected?.outcome ?? "a decision"} (${expected?.code ?? "?"}), but it generated`,
  };
}

const STRICT_FLAGS = { ...PROMISED_FLAGS, noEmit: true, skipLibCheck: true };

/** One tsc program per batch (a process per client would take minutes); errors are mapped back by folder. */
function typecheck(outRoot: string, outcomes: Outcome[], batchSize = 25): void {
  const generated = outcomes.filter((o) => o.status === "generated");
  for (let start = 0; start < generated.length; start += batchSize) {
    const batch = generated.slice(start, start + batchSize);
    const tsconfig = join(outRoot, `tsconfig.${start}.json`);
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: STRICT_FLAGS,
        files: batch.map((o) => join(o.outDir!, "index.ts")),
      }),
    );
    const result = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", tsconfig],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    const output = result.stdout + result.stderr;
    for (const outcome of batch) {
      const errors = output
        .split("\n")
        .filter((line) => line.includes(outcome.outDir!) && line.includes("error TS"));
      if (errors.length === 0) continue;
      outcome.status = "failed";
      outcome.detail = `does not compile (${errors.length} errors): ${errors[0]!.replace(outcome.outDir! + "/", "")}`;
    }
  }
}

function summarize(diagnostics: readonly Diagnostic[]): string {
  const first = diagnostics[0];
  if (!first) return "no diagnostics";
  const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : "";
  return `${first.file}:${first.line}:${first.col} ${first.code}: ${first.message}${more}`;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!;
}

export async function runCorpus({ filter }: { filter?: string } = {}): Promise<{
  outcomes: Outcome[];
}> {
  const entries = readManifest(SPECS).filter((e) => !filter || e.path.includes(filter));
  const outRoot = mkdtempSync(join(tmpdir(), "specfetch-corpus-"));
  writeFileSync(join(outRoot, "package.json"), JSON.stringify({ type: "module" }));
  const outcomes: Outcome[] = [];
  try {
    for (const [i, entry] of entries.entries())
      outcomes.push(await generateEntry(entry, outRoot, i));
    typecheck(outRoot, outcomes);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  return { outcomes };
}

async function main(): Promise<void> {
  if (!existsSync(join(SPECS, "README.md"))) {
    console.log(`corpus: ${SPECS} is absent; nothing to run`);
    return;
  }
  const started = Date.now();
  const filter = process.argv[2];
  const { outcomes } = await runCorpus(filter ? { filter } : {});
  for (const o of outcomes.filter((o) => o.status === "failed"))
    console.log(`FAIL ${o.entry.path}: ${o.detail}`);
  const count = (status: Outcome["status"]) => outcomes.filter((o) => o.status === status).length;
  console.log(
    `corpus: ${count("generated")} generated and compiled, ${count("rejected-as-expected")} rejected as expected, ${count("failed")} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  // For CI, which adds these figures to the test totals of its closing line.
  const summaryFile = process.env.SPECFETCH_CORPUS_JSON;
  if (summaryFile) {
    const summary = {
      passed: count("generated") + count("rejected-as-expected"),
      failed: count("failed"),
    };
    writeFileSync(summaryFile, JSON.stringify(summary));
  }
  process.exitCode = count("failed") > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
