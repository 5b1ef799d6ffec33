/**
 * Resource limits: every bound specfetch puts on an untrusted spec, in one place. A spec that exceeds one fails
 * fast with a `resource-limit` diagnostic naming the limit, instead of hanging or exhausting memory.
 *
 * The values are far above real documents: the largest spec in the corpus (Stripe, 4 MiB of YAML) has about
 * 100,000 nodes and nests 25 levels deep.
 */
import { segmentsOf, type Diagnostic } from "../diagnostics.js";
import { collectRefs, isObject, localPointer, valueAt, type FoundRef } from "./refs.js";

export const LIMITS = {
  /** Bytes of one spec file (the root or a file an external `$ref` reads). */
  maxDocumentBytes: 64 * 1024 * 1024,
  /** YAML alias expansion (the `yaml` library's `maxAliasCount`): stops "billion laughs" alias bombs. */
  maxAliasCount: 10_000,
  /** Nesting of objects and arrays. Checked right after parsing, before anything recursive walks the document. */
  maxDepth: 256,
  /** Objects, arrays and scalars in the parsed document, counting every expansion of a YAML alias. */
  maxNodes: 2_000_000,
  /**
   * Nodes copied when `$ref`s that openapi-typescript cannot print by name (anything but
   * `#/components/<type>/<name>`) are inlined for `schema.ts`: stops a `$ref` bomb (each level referring to
   * the next several times).
   */
  maxInlinedNodes: 1_000_000,
  /** Milliseconds to fetch one remote document (only hosts the user allowed are ever fetched). */
  fetchTimeoutMs: 30_000,
} as const;

export type LimitName = keyof typeof LIMITS;

/** `64 MiB`, `10,000`: how a limit reads in a message. */
export function formatLimit(name: LimitName): string {
  const value = LIMITS[name];
  if (name === "maxDocumentBytes") return `${value / (1024 * 1024)} MiB`;
  if (name === "fetchTimeoutMs") return `${value / 1000} s`;
  return value.toLocaleString("en-US");
}

/** The diagnostic for an exceeded limit: the message names the limit and its value. */
export function limitDiagnostic({
  limit,
  what,
  file,
  pointer = "",
  line = 0,
  col = 0,
}: {
  limit: LimitName;
  what: string;
  file: string;
  pointer?: string;
  line?: number;
  col?: number;
}): Diagnostic {
  return {
    code: "resource-limit",
    severity: "error",
    message: `${what}: the limit ${limit} is ${formatLimit(limit)}`,
    file,
    pointer,
    line,
    col,
    hint: "specfetch bounds what an untrusted spec may cost (README, Security model); a real API needs far less",
  };
}

export interface Shape {
  /** Deepest nesting of objects and arrays (the root is depth 0). */
  depth: number;
  nodes: number;
  /** Where the first limit was exceeded, as JSON pointer segments, when one was. */
  exceeded?: { limit: "maxDepth" | "maxNodes"; segments: string[] };
}

/**
 * Depth and size of parsed data, walked iteratively (no recursion, so no stack limit) and stopped at the first
 * exceeded limit: the cost is bounded by the limits themselves, even for a document whose YAML aliases share
 * subtrees exponentially.
 */
export function measureShape(document: unknown): Shape {
  const stack: Walked[] = [{ node: document, depth: 0, key: "", parent: null }];
  let nodes = 0;
  let depth = 0;
  while (stack.length > 0) {
    const walked = stack.pop()!;
    const { node, depth: at } = walked;
    nodes++;
    depth = Math.max(depth, at);
    const limit = at > LIMITS.maxDepth ? "maxDepth" : nodes > LIMITS.maxNodes ? "maxNodes" : null;
    if (limit) return { depth, nodes, exceeded: { limit, segments: segmentsTo(walked) } };
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node))
      for (let i = 0; i < node.length; i++)
        stack.push({ node: node[i], depth: at + 1, key: i, parent: walked });
    else
      for (const key of Object.keys(node))
        stack.push({
          node: (node as Record<string, unknown>)[key],
          depth: at + 1,
          key,
          parent: walked,
        });
  }
  return { depth, nodes };
}

/**
 * A node on `measureShape`'s stack; its pointer is built only when needed, from the links to its parents
 * (one object per node, nothing copied).
 */
interface Walked {
  node: unknown;
  depth: number;
  key: string | number;
  parent: Walked | null;
}

function segmentsTo(walked: Walked): string[] {
  const segments: string[] = [];
  for (let link: Walked = walked; link.parent; link = link.parent) segments.push(String(link.key));
  return segments.reverse();
}

/**
 * The offset in JSON text where bracket nesting first exceeds `maxDepth`, or `undefined` (strings skipped).
 * Used to locate a too-deep JSON document without parsing it again.
 */
export function jsonDepthOffset(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > LIMITS.maxDepth) return i;
    } else if (c === "}" || c === "]") depth--;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// `$ref`s inlined for schema.ts

/**
 * openapi-typescript prints a `$ref` by name only when it points to `#/components/<type>/<name>`, for the
 * component types it declares; `schema.ts` replaces every other local reference by a copy of its target (see
 * `emit/schema.ts`), copies inside copies included, at most `INLINE_DEPTH` levels deep (a cycle is unrolled
 * that often, then left as a reference).
 */
export const INLINE_DEPTH = 8;

/** The keys of openapi-typescript's `components` type. */
const PRINTED_COMPONENTS = new Set([
  "schemas",
  "responses",
  "parameters",
  "requestBodies",
  "headers",
  "pathItems",
]);

export function isInlinedRef(ref: string): boolean {
  const pointer = localPointer(ref);
  if (pointer === undefined) return false;
  const segments = segmentsOf(pointer);
  const named =
    segments.length === 3 && segments[0] === "components" && PRINTED_COMPONENTS.has(segments[1]!);
  return !named;
}

/** Pointer of every object whose `$ref` is inlined → the pointer of its target (an object). */
export function inlineTargets(
  document: unknown,
  refs: readonly FoundRef[] = collectRefs(document),
): Map<string, string> {
  return new Map(inlinedRefs(document, refs).map(({ pointer, target }) => [pointer, target]));
}

/** The `$ref`s `schema.ts` inlines: each with the object holding it and its target's pointer. */
function inlinedRefs(
  document: unknown,
  refs: readonly FoundRef[],
): { node: object; pointer: string; target: string }[] {
  const found: { node: object; pointer: string; target: string }[] = [];
  for (const { ref, node, pointer } of refs) {
    if (!isInlinedRef(ref)) continue;
    const target = localPointer(ref)!;
    if (isObject(valueAt(document, target))) found.push({ node, pointer, target });
  }
  return found;
}

export interface InliningCost {
  /** Nodes the copies add (an upper bound: a sibling key the target overrides is counted twice). */
  added: number;
  /** Depth of the document with every copy in place. */
  depth: number;
  /** Each inlined `$ref` of the document itself with the nodes its copy adds, largest first. */
  byRef: { pointer: string; added: number }[];
}

/**
 * What inlining will cost, computed without copying anything: each target is measured once per level
 * (memoised), so a `$ref` bomb whose copies would number in the billions is measured in milliseconds. The walk
 * knows an inlined `$ref` by the object holding it, not by building every node's pointer (a quarter of a
 * second on GitHub's document); an object the document holds in two places (a YAML alias) counts as inlined in
 * both, which can only overestimate.
 */
export function inliningCost(
  document: unknown,
  refs: readonly FoundRef[] = collectRefs(document),
): InliningCost {
  const inlined = inlinedRefs(document, refs);
  const targets = new Map<unknown, string>(inlined.map(({ node, target }) => [node, target]));
  const memo = new Map<string, { nodes: number; depth: number }>();
  const measure = (value: unknown, level: number) => {
    if (typeof value !== "object" || value === null) return { nodes: 1, depth: 0 };
    let nodes = 1;
    let depth = 0;
    const target = targets.get(value);
    const inline = target !== undefined && level < INLINE_DEPTH;
    if (inline) {
      const copy = measureTarget(target, level + 1);
      nodes += copy.nodes - 1; // the copy's keys merge into this object
      depth = copy.depth;
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    for (let i = 0; i < children.length; i++) {
      if (inline && keys?.[i] === "$ref") continue;
      const measured = measure(children[i], level);
      nodes += measured.nodes;
      depth = Math.max(depth, measured.depth + 1);
    }
    return { nodes, depth };
  };
  const measureTarget = (target: string, level: number) => {
    const key = `${level} ${target}`;
    let measured = memo.get(key);
    if (!measured) {
      measured = measure(valueAt(document, target), level);
      memo.set(key, measured);
    }
    return measured;
  };
  const whole = measure(document, 0);
  const byRef = inlined
    .map(({ pointer, target }) => ({ pointer, added: measureTarget(target, 1).nodes - 1 }))
    .sort((a, b) => b.added - a.added);
  return { added: whole.nodes - measureShape(document).nodes, depth: whole.depth, byRef };
}
