/**
 * Multi-file documents: external `$ref`s are bundled into one document by `@redocly/openapi-core` (the library
 * openapi-typescript itself builds on). Its resolver is confined: a reference may only read files inside the
 * spec's own folder tree (plus explicitly allowed roots, `--allow-ref-root`), never an absolute path or a `..`
 * escape out of them; a URL only when its host is explicitly allowed (`--allow-ref-host`, see `remote.ts`).
 * Relative references inside a remote document resolve against its URL (the resolver's own rule) and pass the
 * same host check.
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import { BaseResolver, bundle, createConfig, Source } from "@redocly/openapi-core";
import { SpecError, type Diagnostic, type Locate } from "../diagnostics.js";
import { externalFileError, externalTextProblems, readYaml } from "./read-document.js";
import { collectRefs, isObject, valueAt } from "./refs.js";
import { confinedFetch, normalizeHost, remoteRefusal } from "./remote.js";
import { isInsideRoots, realPathOf } from "./roots.js";

export interface BundleInput {
  /** Absolute path of the root document. */
  path: string;
  document: unknown;
  /** How the root file is shown and located in diagnostics (its source text is already parsed). */
  root: { file: string; locate: Locate };
  /** Extra folders external references may read from (the spec's own folder is always allowed). */
  allowedRoots?: readonly string[];
  /** Hosts remote references may be fetched from (canonical entries, see `normalizeHost`); none by default. */
  allowedHosts?: readonly string[];
}

export interface Bundled {
  document: unknown;
  /** Every local file read, the root first (for watching and cache keys). */
  files: string[];
  /** Every remote document fetched, by URL, with the sha256 of its text (sorted by URL). */
  remote: { url: string; sha256: string }[];
  diagnostics: Diagnostic[];
  /**
   * Local references (`#/…`) of referenced files that point to nothing there: reported here, in their own file
   * (`dangling-ref`). The bundled document still holds them, so validation would report each again, at a
   * pointer of the bundled document that is in no file the user has.
   */
  danglingRefs: Set<string>;
}

/** `http:`/`https:`: what the resolver fetches rather than reads (schemes are canonical by then, see below). */
function isUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/**
 * Whether a reference starts with a URI scheme (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-` or `.`,
 * case-insensitive). A single letter is a Windows drive (`C:\x`, `C:/x`), not a scheme; a relative path whose
 * first segment has a colon must be written `./a:b` (RFC 3986 §4.2), so nothing else is lost.
 */
function hasScheme(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(ref);
}

/** Why a reference target is refused, or `undefined` when it may be read. */
export function confinementError({
  target,
  roots,
  hosts = [],
}: {
  target: string;
  roots: readonly string[];
  /** Allowed hosts for `http(s)` targets; none by default. */
  hosts?: readonly string[];
}): string | undefined {
  if (hasScheme(target)) return remoteRefusal({ url: target, hosts });
  const real = realPathOf(target);
  if (real === undefined) return undefined; // a missing file is reported by the resolver as such
  return isInsideRoots(real, roots) ? undefined : "it resolves outside the spec's folder";
}

class ConfinedResolver extends BaseResolver {
  /** URL → sha256 of every remote document fetched. */
  readonly remote = new Map<string, string>();
  /** The problems of referenced files that do not parse, located in them. */
  readonly located: Diagnostic[] = [];
  /** The errors thrown for those files: the resolver's problems quoting them are replaced by `located`. */
  readonly unparsed = new Set<string>();

  constructor(
    private readonly roots: readonly string[],
    private readonly hosts: readonly string[],
  ) {
    // The resolver's own fetch follows redirects and reads any size: ours does neither (see `remote.ts`).
    super({ http: { headers: [], customFetch: confinedFetch } });
  }

  /**
   * The resolver recognises only lower-case `http://` and `https://` as URLs, and resolves anything else as a
   * path against the referring file: `HTTP://host/x.yaml` or `FILE:///etc/passwd` would become
   * `<spec folder>/HTTP:/host/x.yaml`. A reference with any scheme is a URL here, in its canonical form (lower-case
   * scheme and host), so that it meets the same rule as `http://…` (`confinementError`: the host allowlist, or
   * refused for any other scheme).
   */
  override resolveExternalRef(base: string | null, ref: string): string {
    if (!hasScheme(ref)) return super.resolveExternalRef(base, ref);
    try {
      return new URL(ref).href;
    } catch {
      return ref; // refused as a URL that does not parse
    }
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const remote = isUrl(absoluteRef);
    const refused =
      confinementError({ target: absoluteRef, roots: this.roots, hosts: this.hosts }) ??
      (remote ? undefined : externalFileError(absoluteRef));
    if (refused) throw new Error(`cannot read ${absoluteRef}: ${refused}`);
    const source = await super.loadExternalRef(absoluteRef);
    // The same limits and YAML rules as the root file (the resolver's own parser has none). What is wrong is
    // reported where it is, in the referenced file (`located`), not as the resolver's one line at the `$ref`.
    const problems = externalTextProblems({ text: source.body, file: shownPath(absoluteRef) });
    if (problems.length > 0) {
      // Without a position in the file (a limit on the whole file): reported at the `$ref` that reads it.
      if (!problems.every((p) => p.line > 0)) throw new Error(problems[0]!.message);
      const message = `${absoluteRef} does not parse`;
      // Once, however many `$ref`s lead to the file.
      if (!this.unparsed.has(message)) this.located.push(...problems);
      this.unparsed.add(message);
      throw new Error(message);
    }
    if (remote)
      this.remote.set(absoluteRef, createHash("sha256").update(source.body).digest("hex"));
    return source;
  }
}

function canonicalHost(entry: string): string {
  const normalized = normalizeHost(entry);
  if ("error" in normalized) throw new Error(`allowed reference host: ${normalized.error}`);
  return normalized.host;
}

/** Each root as its real path (symlinks resolved), so that a link inside a root cannot lead out of it. */
function realRoots(roots: readonly string[]): string[] {
  return roots.map((root) => {
    try {
      return realpathSync(root);
    } catch {
      throw new Error(`the allowed reference root ${root} does not exist`);
    }
  });
}

export async function bundleDocument({
  path,
  document,
  root: rootInfo,
  allowedRoots = [],
  allowedHosts = [],
}: BundleInput): Promise<Bundled> {
  const roots = realRoots([dirname(path), ...allowedRoots]);
  const resolver = new ConfinedResolver(roots, allowedHosts.map(canonicalHost));
  const config = await createConfig({}, {});
  const root = { source: new Source(path, ""), parsed: document };
  const result = await bundle({
    doc: root as never,
    config,
    externalRefResolver: resolver,
    dereference: false,
  }).catch((error: unknown) => {
    // The resolver gives up on some shapes instead of reporting them (a referenced file that is nothing but a
    // `$ref` to a place it does not have: "Self-referencing circular pointer"). Reported at the root's first
    // external reference, the way in, rather than as a crash.
    const [first] = collectRefs(document)
      .filter(({ ref }) => !ref.startsWith("#"))
      .map(({ pointer: at }) => ({ at: `${at}/$ref`, ...rootInfo.locate(`${at}/$ref`) }))
      .sort((a, b) => a.line - b.line || a.col - b.col);
    const pointer = first?.at ?? "";
    throw new SpecError([
      {
        code: "external-ref",
        severity: "error",
        message: `cannot bundle the referenced files: ${error instanceof Error ? error.message : String(error)}`,
        file: rootInfo.file,
        pointer,
        ...rootInfo.locate(pointer),
        hint: "a referenced file's local `#…` references point into that file; check that each points to something there",
      },
    ]);
  });
  // A referenced file's text parsed once, however many problems it has.
  const parsed = new Map<string, ReturnType<typeof readYaml>>();
  const parsedOf = (source: Source, file: string) => {
    let text = parsed.get(source.absoluteRef);
    if (!text)
      parsed.set(source.absoluteRef, (text = readYaml({ text: source.body, file, sha256: "" })));
    return text;
  };
  const diagnostics = result.problems
    .filter((p) => p.severity === "error" && /resolve|reference|read/i.test(p.message + p.ruleId))
    .filter((p) => ![...resolver.unparsed].some((message) => p.message.includes(message)))
    // A dangling local reference in the root is validation's to report (as `dangling-ref`), not twice.
    .filter((p) => !isLocalRefInRoot({ problem: p, rootPath: path, document }))
    .map((p) => problemToDiagnostic({ problem: p, rootPath: path, root: rootInfo, parsedOf }))
    .concat(resolver.located);
  const danglingRefs = new Set(
    diagnostics.filter((d) => d.code === "dangling-ref").map((d) => d.ref ?? ""),
  );
  return {
    document: result.bundle.parsed,
    files: [path, ...[...resolver.getFiles()].filter((file) => !isUrl(file)).sort()],
    remote: [...resolver.remote]
      .map(([url, sha256]) => ({ url, sha256 }))
      .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)),
    diagnostics: diagnostics.map(({ ref: _, ...d }) => d),
    danglingRefs,
  };
}

interface ProblemInput {
  problem: { message: string; location: { source: Source; pointer?: string | undefined }[] };
  rootPath: string;
  root: { file: string; locate: Locate };
  parsedOf: (source: Source, file: string) => ReturnType<typeof readYaml>;
}

/**
 * A redocly problem as a diagnostic, located in whichever file it is in (the root is already parsed). A local
 * reference of a referenced file that points to nothing there is a `dangling-ref` (with its `ref`), worded as
 * validation words the root's own.
 */
function problemToDiagnostic({
  problem,
  rootPath,
  root,
  parsedOf,
}: ProblemInput): Diagnostic & { ref?: string } {
  const where = problem.location[0];
  const pointer = (where?.pointer ?? "#").replace(/^#/, "");
  const inRoot = !where || where.source.absoluteRef === rootPath;
  const file = inRoot ? root.file : shownPath(where.source.absoluteRef);
  const parsed = inRoot ? undefined : parsedOf(where.source, file);
  const holder = parsed && valueAt(parsed.document, pointer);
  if (parsed && isObject(holder) && typeof holder.$ref === "string" && holder.$ref.startsWith("#"))
    return {
      code: "dangling-ref",
      severity: "error",
      message: `$ref ${JSON.stringify(holder.$ref)} points to nothing`,
      file,
      pointer: `${pointer}/$ref`,
      ...parsed.locate(`${pointer}/$ref`),
      hint: danglingHint({ ref: holder.$ref, file, from: where!.source.absoluteRef, rootPath }),
      ref: holder.$ref,
    };
  const position = parsed ? parsed.locate(pointer) : root.locate(pointer);
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
    hint: hintFor(message),
  };
}

/**
 * A `#…` reference points into the file it is written in, not into the root: the common slip is a referenced
 * file reaching for the root's components with `#/components/…`. The hint names the root's form of the reference.
 */
function danglingHint({
  ref,
  file,
  from,
  rootPath,
}: {
  ref: string;
  file: string;
  from: string;
  rootPath: string;
}): string {
  const target = ref.slice(1) || "/";
  if (isUrl(from))
    return `a "#…" reference points into the file it is in: define ${target} in ${file}`;
  const toRoot = relative(dirname(from), rootPath).split(sep).join("/");
  return `a "#…" reference points into the file it is in: define ${target} in ${file}, or write "${toRoot.startsWith(".") ? toRoot : `./${toRoot}`}${ref}" for the root file's`;
}

/** A referenced file as paths are shown: relative to the working directory, forward slashes; a URL as it is. */
function shownPath(absoluteRef: string): string {
  return isUrl(absoluteRef)
    ? absoluteRef
    : relative(process.cwd(), absoluteRef).split(sep).join("/");
}

function hintFor(message: string): string {
  if (/remote references are not allowed/.test(message))
    return "remote references are fetched only from hosts allowed with --allow-ref-host (config: allowRefHosts)";
  if (/follows no redirects|cannot fetch|maxDocumentBytes/.test(message))
    return "a remote reference must answer 200 with the document itself, within the limits (README, Security model)";
  return "external references must stay inside the spec's folder (or a root allowed with --allow-ref-root) and point to existing files";
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
