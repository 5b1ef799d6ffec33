/**
 * Reads a spec file (YAML or JSON) into plain data while keeping a way back to line:col for any JSON pointer.
 * JSON is parsed with `JSON.parse` (fast); positions for it are computed only when a diagnostic needs one.
 */
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from "yaml";
import { SpecError, type Diagnostic, type Locate, segmentsOf } from "../diagnostics.js";

export interface SpecSource {
  /** The path as shown to users (relative to the working directory, forward slashes). */
  file: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** The parsed document: plain JSON-compatible data. */
  document: unknown;
  locate: Locate;
}

/** YAML alias expansion is capped so that an alias bomb fails fast instead of exhausting memory. */
const MAX_ALIAS_COUNT = 10_000;

export async function readDocument({
  path,
  displayPath,
}: {
  path: string;
  displayPath: string;
}): Promise<SpecSource> {
  const bytes = await readFile(path);
  const text = bytes.toString("utf8");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (/\.json$/i.test(path)) return readJson({ text, file: displayPath, sha256 });
  return readYaml({ text, file: displayPath, sha256 });
}

export function readYaml({
  text,
  file,
  sha256,
}: {
  text: string;
  file: string;
  sha256: string;
}): SpecSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: true,
  });
  const errors = doc.errors.map((e) => yamlDiagnostic({ error: e, file }));
  if (errors.length > 0) throw new SpecError(errors);
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new SpecError([parseFailure({ file, message: (error as Error).message })]);
  }
  return { file, sha256, document, locate: yamlLocator(doc, lineCounter) };
}

function readJson({
  text,
  file,
  sha256,
}: {
  text: string;
  file: string;
  sha256: string;
}): SpecSource {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Re-parse as YAML (a superset of JSON) to get a located error message.
    return readYaml({ text, file, sha256 });
  }
  let locate: Locate | undefined;
  const lazyLocate: Locate = (pointer) => {
    locate ??= readYaml({ text, file, sha256 }).locate;
    return locate(pointer);
  };
  return { file, sha256, document, locate: lazyLocate };
}

function yamlDiagnostic({
  error,
  file,
}: {
  error: { code: string; message: string; linePos?: [{ line: number; col: number }, ...unknown[]] };
  file: string;
}): Diagnostic {
  const pos = error.linePos?.[0] ?? { line: 0, col: 0 };
  const message = (error.message.split("\n")[0] ?? error.message).replace(
    / at line \d+, column \d+:?$/,
    "",
  );
  return {
    code: "invalid-yaml",
    severity: "error",
    message: `${message} (${error.code})`,
    file,
    pointer: "",
    line: pos.line,
    col: pos.col,
  };
}

function parseFailure({ file, message }: { file: string; message: string }): Diagnostic {
  return { code: "invalid-yaml", severity: "error", message, file, pointer: "", line: 0, col: 0 };
}

/** Walks the YAML node tree along the pointer; reports the deepest node that exists (the key, for map entries). */
function yamlLocator(doc: Document, lineCounter: LineCounter): Locate {
  return (pointer) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const segment of segmentsOf(pointer)) {
      const next = childOf(node, segment);
      if (!next) break;
      node = next.value;
      offset = next.offset;
    }
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
}

function childOf(node: unknown, segment: string): { value: unknown; offset: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair) return undefined;
    const keyNode = pair.key as Node;
    return { value: pair.value, offset: keyNode.range?.[0] ?? 0 };
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)] as Node | undefined;
    if (!item || !/^\d+$/.test(segment)) return undefined;
    return { value: item, offset: item.range?.[0] ?? 0 };
  }
  return undefined;
}
