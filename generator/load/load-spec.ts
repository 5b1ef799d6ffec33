/**
 * The load stage: read the root file (positions kept) → bundle external references (confined) → convert
 * Swagger 2.0. What comes out is one OpenAPI 3.x document with local references only.
 */
import { resolve as resolvePath } from "node:path";
import { SpecError, type Diagnostic, type Locate } from "../diagnostics.js";
import { bundleDocument } from "./bundle.js";
import { readDocument } from "./read-document.js";
import { collectRefs } from "./refs.js";
import { convertSwagger2, isSwagger2 } from "./swagger2.js";

export interface LoadedSpec {
  file: string;
  sha256: string;
  document: unknown;
  locate: Locate;
  /** Every file the document was read from, the root first. */
  files: string[];
  /** Warnings from loading (errors throw). */
  diagnostics: Diagnostic[];
}

export async function loadSpec({
  path,
  displayPath,
  allowedRoots,
}: {
  path: string;
  displayPath: string;
  allowedRoots?: readonly string[];
}): Promise<LoadedSpec> {
  const source = await readDocument({ path, displayPath });
  const absolute = resolvePath(path);
  let document = source.document;
  let files = [absolute];
  let diagnostics: Diagnostic[] = [];
  // Converted first: the bundler then sees OpenAPI 3 everywhere (the targets of external references are
  // schemas, which read the same in both versions). Positions after conversion are those of the original
  // where the pointer still exists there (paths and operations keep theirs), else the nearest ancestor's.
  if (isSwagger2(document)) document = await convertSwagger2(document as Record<string, unknown>);
  if (collectRefs(document).some(({ ref }) => !ref.startsWith("#"))) {
    const root = { file: source.file, locate: source.locate };
    const bundled = await bundleDocument({
      path: absolute,
      document,
      root,
      ...(allowedRoots ? { allowedRoots } : {}),
    });
    // Unresolvable references are reported with everything validation finds, not on their own.
    ({ document, files, diagnostics } = bundled);
  }
  return {
    file: source.file,
    sha256: source.sha256,
    document,
    locate: source.locate,
    files,
    diagnostics,
  };
}
