/**
 * Reads a spec file (YAML or JSON) into plain data while keeping a way back to line:col for any JSON pointer.
 * JSON is parsed with `JSON.parse` (fast); positions for it are computed only when a diagnostic needs one.
 *
 * The spec is untrusted: its size, nesting, node count and YAML alias expansion are bounded (`limits.ts`), and
 * YAML tags other than the plain data ones are rejected, all before anything else walks the document.
 */
import { statSync } from "node:fs";
import { open } from "node:fs/promises";
import { createHash } from "node:crypto";
import {
  LineCounter,
  parseDocument,
  isMap,
  isNode,
  isPair,
  isSeq,
  isScalar,
  type Document,
  type Node,
} from "yaml";
import { SpecError, pointerOf, type Diagnostic, type Locate, segmentsOf } from "../diagnostics.js";
import { LIMITS, formatLimit, jsonDepthOffset, limitDiagnostic, measureShape } from "./limits.js";

export interface SpecSource {
  /** The path as shown to users (relative to the working directory, forward slashes). */
  file: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** The parsed document: plain JSON-compatible data. */
  document: unknown;
  locate: Locate;
  /** Whether `document` is the text parsed by `JSON.parse` (a `.json` file that is plain JSON). */
  json?: boolean;
}

export async function readDocument({
  path,
  displayPath,
}: {
  path: string;
  displayPath: string;
}): Promise<SpecSource> {
  const bytes = await readLimited({ path, file: displayPath });
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
  // The core schema whatever a `%YAML 1.1` directive says: no implicit timestamps or binary, plain data only.
  const doc = parseYamlText({ text, lineCounter, file });
  const errors = doc.errors.map((e) => yamlDiagnostic({ error: e, file }));
  // A stack overflow is reported once, however many places of the parser ran into it.
  const overflow = errors.find((d) => d.code === "resource-limit");
  if (overflow) throw new SpecError([overflow]);
  if (errors.length > 0) throw new SpecError(errors);
  const tags = tagDiagnostics({ doc, lineCounter, file });
  if (tags.length > 0) throw new SpecError(tags);
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (error) {
    const message = (error as Error).message;
    if (/alias count/i.test(message))
      throw new SpecError([
        limitDiagnostic({ limit: "maxAliasCount", what: "YAML aliases expand too much", file }),
      ]);
    throw new SpecError([parseFailure({ file, message })]);
  }
  const locate = yamlLocator(doc, lineCounter);
  checkShape({ document, file, locate });
  return { file, sha256, document, locate };
}

function parseYamlText({
  text,
  lineCounter,
  file,
}: {
  text: string;
  lineCounter: LineCounter;
  file: string;
}): Document {
  try {
    return parseDocument(text, {
      lineCounter,
      merge: true,
      uniqueKeys: true,
      prettyErrors: true,
      schema: "core",
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const what = "the document nests too deeply for the YAML parser";
    throw new SpecError([limitDiagnostic({ limit: "maxDepth", what, file })]);
  }
}

/** A limit diagnostic's pointer stops here: the ancestor that far down, not 257 segments of `/a/a/a…`. */
const POINTER_SEGMENTS = 16;

/** Depth and node count of the parsed data (aliases expanded), located at the first node over a limit. */
function checkShape({
  document,
  file,
  locate,
}: {
  document: unknown;
  file: string;
  locate: Locate;
}): void {
  const { exceeded } = measureShape(document);
  if (!exceeded) return;
  const pointer = pointerOf(exceeded.segments.slice(0, POINTER_SEGMENTS));
  const what =
    exceeded.limit === "maxDepth"
      ? "the document nests too deeply"
      : "the document has too many nodes (YAML aliases counted as expanded)";
  throw new SpecError([
    limitDiagnostic({ limit: exceeded.limit, what, file, pointer, ...locate(pointer) }),
  ]);
}

/** Reads at most `maxDocumentBytes` (+1 to notice more): a huge file, or `/dev/zero`, fails without being read. */
async function readLimited({ path, file }: { path: string; file: string }): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const tooLarge = () =>
      new SpecError([
        limitDiagnostic({ limit: "maxDocumentBytes", what: "the file is too large", file }),
      ]);
    if (size > LIMITS.maxDocumentBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, LIMITS.maxDocumentBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > LIMITS.maxDocumentBytes) throw tooLarge();
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/**
 * Why a file an external `$ref` points to may not be read (not a regular file, or over `maxDocumentBytes`), or
 * `undefined`. A missing file is left to the resolver, which reports it as such.
 */
export function externalFileError(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) return "it is not a regular file";
  if (stats.size > LIMITS.maxDocumentBytes)
    return `it is larger than the limit maxDocumentBytes (${formatLimit("maxDocumentBytes")})`;
  return undefined;
}

/**
 * Holds an external file's text to the root's rules (limits, YAML tags): what `readYaml` finds wrong, located in
 * that file (`file` as it is shown).
 */
export function externalTextProblems({
  text,
  file,
}: {
  text: string;
  file: string;
}): readonly Diagnostic[] {
  try {
    readYaml({ text, file, sha256: "" });
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.diagnostics;
  }
}

/** Plain data only: YAML tags that construct language objects (`!!js/function`, `!!python/object`) or custom ones. */
// `!!merge` marks a merge key (`!!merge <<: *anchor`): plain data, resolved by the parser like a bare `<<`.
const ALLOWED_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq", "merge"].map(
    (t) => `tag:yaml.org,2002:${t}`,
  ),
);

function tagDiagnostics({
  doc,
  lineCounter,
  file,
}: {
  doc: Document;
  lineCounter: LineCounter;
  file: string;
}): Diagnostic[] {
  const found: Diagnostic[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) stack.push(node.value, node.key);
    if (!isNode(node)) continue;
    if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      found.push({
        code: "invalid-yaml",
        severity: "error",
        message: `the YAML tag ${tag} is not allowed: a spec is plain data`,
        file,
        pointer: "",
        ...lineCounter.linePos(node.range?.[0] ?? 0),
        hint: "remove the tag; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are accepted",
      });
    }
    if (isMap(node) || isSeq(node)) stack.push(...[...node.items].reverse());
  }
  return found;
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
  const { exceeded } = measureShape(document);
  if (exceeded) {
    // Located from the text: parsing a too-deep document again as YAML (for positions) would overflow the stack.
    const offset = exceeded.limit === "maxDepth" ? jsonDepthOffset(text) : undefined;
    const position = offset === undefined ? {} : linePosition(text, offset);
    const what =
      exceeded.limit === "maxDepth"
        ? "the document nests too deeply"
        : "the document has too many nodes";
    throw new SpecError([
      limitDiagnostic({
        limit: exceeded.limit,
        what,
        file,
        pointer: pointerOf(exceeded.segments.slice(0, POINTER_SEGMENTS)),
        ...position,
      }),
    ]);
  }
  let locate: Locate | undefined;
  const lazyLocate: Locate = (pointer) => {
    locate ??= readYaml({ text, file, sha256 }).locate;
    return locate(pointer);
  };
  return { file, sha256, document, locate: lazyLocate, json: true };
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
  // The YAML parser recurses per nesting level: running out of stack means nesting far over maxDepth.
  if (/call stack/i.test(message))
    return limitDiagnostic({
      limit: "maxDepth",
      what: "the document nests too deeply",
      file,
      line: pos.line,
      col: pos.col,
    });
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

/** 1-based line and column of a string offset. */
function linePosition(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
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
