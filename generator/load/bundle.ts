/**
 * Multi-file documents: external `$ref`s are bundled into one document by `@redocly/openapi-core` (the library
 * openapi-typescript itself builds on). Its resolver is confined: a reference may only read files inside the
 * spec's own folder tree (plus explicitly allowed roots), never a URL, an absolute path or a `..` escape.
 */
import { realpathSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import { BaseResolver, bundle, createConfig, Source } from "@redocly/openapi-core";
import type { Diagnostic, Locate } from "../diagnostics.js";
import { checkExternalText, externalFileError, readYaml } from "./read-document.js";
import { isObject, valueAt } from "./refs.js";

export interface BundleInput {
  /** Absolute path of the root document. */
  path: string;
  document: unknown;
  /** How the root file is shown and located in diagnostics (its source text is already parsed). */
  root: { file: string; locate: Locate };
  /** Extra folders external references may read from (the spec's own folder is always allowed). */
  allowedRoots?: readonly string[];
}

export interface Bundled {
  document: unknown;
  /** Every file read, the root first (for watching and cache keys). */
  files: string[];
  diagnostics: Diagnostic[];
}

/** Why a reference target is refused, or `undefined` when it may be read. */
export function confinementError({
  target,
  roots,
}: {
  target: string;
  roots: readonly string[];
}): string | undefined {
  if (/^[a-z][a-z0-9+.-]+:/i.test(target) && !/^[a-z]:[\\/]/i.test(target))
    return "remote references are not allowed";
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return undefined; // a missing file is reported by the resolver as such
  }
  const inside = roots.some(
    (root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep),
  );
  return inside ? undefined : "it resolves outside the spec's folder";
}

class ConfinedResolver extends BaseResolver {
  constructor(private readonly roots: readonly string[]) {
    super({ http: { headers: [] } });
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const refused =
      confinementError({ target: absoluteRef, roots: this.roots }) ??
      externalFileError(absoluteRef);
    if (refused) throw new Error(`cannot read ${absoluteRef}: ${refused}`);
    const source = await super.loadExternalRef(absoluteRef);
    // The same limits and YAML rules as the root file (the resolver's own parser has none).
    checkExternalText({ text: source.body, file: absoluteRef });
    return source;
  }
}

export async function bundleDocument({
  path,
  document,
  root: rootInfo,
  allowedRoots = [],
}: BundleInput): Promise<Bundled> {
  const roots = [dirname(path), ...allowedRoots].map((root) => realpathSync(root));
  const resolver = new ConfinedResolver(roots);
  const config = await createConfig({}, {});
  const root = { source: new Source(path, ""), parsed: document };
  const result = await bundle({
    doc: root as never,
    config,
    externalRefResolver: resolver,
    dereference: false,
  });
  const diagnostics = result.problems
    .filter((p) => p.severity === "error" && /resolve|reference|read/i.test(p.message + p.ruleId))
    // A dangling local reference in the root is validation's to report (as `dangling-ref`), not twice.
    .filter((p) => !isLocalRefInRoot({ problem: p, rootPath: path, document }))
    .map((p) => problemToDiagnostic({ problem: p, rootPath: path, root: rootInfo }));
  return {
    document: result.bundle.parsed,
    files: [path, ...[...resolver.getFiles()].sort()],
    diagnostics,
  };
}

interface ProblemInput {
  problem: { message: string; location: { source: Source; pointer?: string | undefined }[] };
  rootPath: string;
  root: { file: string; locate: Locate };
}

/** A redocly problem as a diagnostic, located in whichever file it is in (the root is already parsed). */
function problemToDiagnostic({ problem, rootPath, root }: ProblemInput): Diagnostic {
  const where = problem.location[0];
  const pointer = (where?.pointer ?? "#").replace(/^#/, "");
  const inRoot = !where || where.source.absoluteRef === rootPath;
  const file = inRoot
    ? root.file
    : relative(process.cwd(), where.source.absoluteRef).split(sep).join("/");
  const position = inRoot
    ? root.locate(pointer)
    : readYaml({ text: where.source.body, file, sha256: "" }).locate(pointer);
  // Paths in messages relative to the working directory, like every other path we print.
  const message = problem.message
    .replace(/^Can't resolve \$ref: /, "cannot resolve $ref: ")
    .split(process.cwd() + sep)
    .join("");
  return {
    code: "external-ref",
    severity: "error",
    message,
    file,
    pointer,
    ...position,
    hint: "external references must stay inside the spec's folder and point to existing files",
  };
}

function isLocalRefInRoot({
  problem,
  rootPath,
  document,
}: {
  problem: ProblemInput["problem"];
  rootPath: string;
  document: unknown;
}): boolean {
  const where = problem.location[0];
  if (!where || where.source.absoluteRef !== rootPath) return false;
  const holder = valueAt(document, (where.pointer ?? "#").replace(/^#/, ""));
  return isObject(holder) && typeof holder.$ref === "string" && holder.$ref.startsWith("#");
}
