/**
 * The load stage: read the root file (positions kept) → bundle external references (confined) → convert
 * Swagger 2.0. What comes out is one OpenAPI 3.x document with local references only.
 */
import { resolve as resolvePath } from "node:path";
import type { Diagnostic, Locate } from "../diagnostics.js";
import { readDocument } from "./read-document.js";
import { collectRefs, type FoundRef } from "./refs.js";
import { convertSwagger2, isSwagger2 } from "./swagger2.js";

/**
 * Local references that point to nothing in the referenced file that has them, already reported there
 * (`Bundled.danglingRefs`), and the pointers of the root file's own references, which the bundled document
 * keeps: validation reports such a reference only at one of those.
 */
export interface ReportedRefs {
  refs: ReadonlySet<string>;
  rootPointers: ReadonlySet<string>;
}

export interface LoadedSpec {
  file: string;
  sha256: string;
  document: unknown;
  locate: Locate;
  /** Every local file the document was read from, the root first (what watch mode watches). */
  files: string[];
  /**
   * Every remote document fetched (only from allowed hosts), by URL with the sha256 of its text: recorded in
   * the banner, so that a change of remote content changes the output.
   */
  remote: { url: string; sha256: string }[];
  /** Warnings from loading (errors throw). */
  diagnostics: Diagnostic[];
  /**
   * Whether `document` is the root file's text as `JSON.parse` reads it, nothing converted or bundled: then
   * another thread can parse the file itself rather than be sent a copy (`emit/schema-thread.ts`).
   */
  parsedJson: boolean;
  /** Every `$ref` of `document`, when loading has collected them on it as returned (nothing bundled). */
  refs?: FoundRef[] | undefined;
  /** Dangling references of referenced files, already reported there (`ReportedRefs`). */
  reportedRefs?: ReportedRefs | undefined;
}

export async function loadSpec({
  path,
  displayPath,
  allowedRoots,
  allowedHosts,
}: {
  path: string;
  displayPath: string;
  /** Extra folders external `$ref`s may read from (the spec's own folder always may). */
  allowedRoots?: readonly string[] | undefined;
  /** Hosts remote `$ref`s may be fetched from, canonical (`normalizeHost`); none by default. */
  allowedHosts?: readonly string[] | undefined;
}): Promise<LoadedSpec> {
  const source = await readDocument({ path, displayPath });
  const absolute = resolvePath(path);
  let document = source.document;
  let files = [absolute];
  let remote: LoadedSpec["remote"] = [];
  let diagnostics: Diagnostic[] = [];
  let reportedRefs: ReportedRefs | undefined;
  let asParsed = source.json === true; // nothing converted or bundled (bundling may change it in place)
  // Converted first: the bundler then sees OpenAPI 3 everywhere (the targets of external references are
  // schemas, which read the same in both versions). Positions after conversion are those of the original
  // where the pointer still exists there (paths and operations keep theirs), else the nearest ancestor's.
  let converting: Diagnostic[] = [];
  if (isSwagger2(document)) {
    const converted = await convertSwagger2(document as Record<string, unknown>);
    document = converted.document;
    // Located in the original file, where the parameters are.
    converting = converted.warnings.map(({ pointer, message }) => ({
      code: "unsupported-collection-format",
      severity: "warning" as const,
      message,
      file: source.file,
      pointer,
      ...source.locate(pointer),
      hint: "csv anywhere; ssv, pipes and multi in the query or a URL-encoded body",
    }));
    asParsed = false;
  }
  let refs: FoundRef[] | undefined = collectRefs(document);
  if (refs.some(({ ref }) => !ref.startsWith("#"))) {
    const rootPointers = new Set(refs.map(({ pointer }) => pointer));
    refs = undefined; // of the document before bundling
    asParsed = false;
    // Loaded here: Redocly's bundler takes 0.4 s to import, and a single-file document does not need it.
    const { bundleDocument } = await import("./bundle.js");
    const root = { file: source.file, locate: source.locate };
    const bundled = await bundleDocument({
      path: absolute,
      document,
      root,
      ...(allowedRoots ? { allowedRoots } : {}),
      ...(allowedHosts ? { allowedHosts } : {}),
    });
    // Unresolvable references are reported with everything validation finds, not on their own.
    ({ document, files, remote, diagnostics } = bundled);
    reportedRefs = { refs: bundled.danglingRefs, rootPointers };
  }
  return {
    file: source.file,
    sha256: source.sha256,
    document,
    locate: source.locate,
    files,
    remote,
    diagnostics: [...converting, ...diagnostics],
    parsedJson: asParsed,
    refs,
    reportedRefs,
  };
}
