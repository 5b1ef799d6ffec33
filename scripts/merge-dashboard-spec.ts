/**
 * Rebuilds spec/dashboard-api.yaml from the 30 per-tag Dashboard API slices in shared/specs/dynamic
 * (dynamic-xyz-*-api-openapi.yml, archived from api-evangelist/dynamic-labs; see shared/specs/README.md).
 *
 * Why a merge script rather than a hand-made file: each slice carries its own full copy of the shared
 * components, so a hand merge would silently pick one of several definitions. Here every definition that
 * appears in more than one slice is compared, identical copies are kept once, and any difference stops
 * the run unless CONFLICT_RESOLUTIONS says which copy wins and why.
 *
 * Usage: `npm run merge-spec` (or `npx tsx scripts/merge-dashboard-spec.ts`).
 * SPECFETCH_SHARED_SPECS=/path/to/shared/specs overrides where the slices are looked for.
 * Importing this module has no side effects; main() runs only when the file is executed directly.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseDocument, stringify } from "yaml";

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

/** One parsed slice: its file name (used in every message) and the plain JS value of the YAML document. */
export interface Slice {
  file: string;
  doc: unknown;
}

/** A place that two or more slices define differently. `variants` groups the files by identical content. */
export interface Conflict {
  section: string;
  name: string;
  files: string[];
  variants: string[][];
}

/**
 * An explicit answer to a component conflict: the definition from `useFile` wins.
 * Policy: a differing component is never merged silently. The only way through is an entry naming the slice
 * whose definition is correct and why (for instance, the newer slice fixed a typo). An entry that no longer
 * matches a real conflict fails the run, so the table cannot rot.
 */
export interface ConflictResolution {
  section: string;
  name: string;
  useFile: string;
  reason: string;
}

/**
 * An explicit, reviewed edit to one operation after the merge: `key: value` inserted right after `insertAfter`.
 * Used only where an upstream source we trust (the user's API reference page) says more than the slices do.
 */
export interface OperationOverlay {
  path: string;
  method: string;
  insertAfter: string;
  key: string;
  value: unknown;
  /** When set, the overlay corrects an existing value, which must still be exactly this (else the run fails). */
  replaces?: unknown;
  why: string;
}

export interface MergeStats {
  slices: number;
  paths: number;
  operations: number;
  componentsBySection: Record<string, number>;
  componentsTotal: number;
  duplicatesCollapsed: { components: number; pathEntries: number };
  conflictsResolved: number;
}

export interface MergeResult {
  document: Record<string, unknown>;
  stats: MergeStats;
}

export interface BuildResult extends MergeResult {
  refs: { total: number; distinct: number };
  overlaysApplied: number;
  text: string;
}

/** Thrown when slices define the same thing differently; `conflicts` lists every one of them. */
export class SpecMergeError extends Error {
  readonly conflicts: Conflict[];
  constructor(conflicts: Conflict[]) {
    super(formatConflicts(conflicts));
    this.name = "SpecMergeError";
    this.conflicts = conflicts;
  }
}

/** Thrown for everything that is not a conflict: unreadable slices, unknown keys, dangling $refs, failed checks. */
export class SpecCheckError extends Error {
  readonly problems: string[];
  constructor(title: string, problems: string[]) {
    super([title, ...problems.map((problem) => `  - ${problem}`)].join("\n"));
    this.name = "SpecCheckError";
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration: the only hand-maintained knowledge in this script
// ---------------------------------------------------------------------------------------------------------------

/** Empty today: the 30 slices agree on every component they share (570 distinct, 0 conflicts). */
export const CONFLICT_RESOLUTIONS: readonly ConflictResolution[] = [];

export const OPERATION_OVERLAYS: readonly OperationOverlay[] = [
  {
    path: "/sessions/{sessionId}/revoke",
    method: "put",
    insertAfter: "summary",
    key: "description",
    value: "Revokes the specified session.",
    why: "The user's 'Revoke a session' API reference page describes the operation so; the sessions slice lacks it.",
  },
  {
    path: "/sdk/{environmentId}/solana/optimizeTransaction",
    method: "post",
    insertAfter: "tags",
    key: "security",
    value: [{ bearerAuth: [] }],
    replaces: [{ BearerAuth: [] }],
    why: "The sdk slice names an undeclared scheme `BearerAuth`; the only declared one is `bearerAuth` (names are case-sensitive), so the token would never be sent.",
  },
];

/** Each slice has its own title ("Dashboard Allowlists Sessions API", ...); the merged document is the whole API. */
export const DASHBOARD_INFO = {
  title: "Dashboard API",
  description: "Dashboard API documentation",
  version: "1.0.0",
} as const;

/** The figures of the archived slices; a change means a slice went missing or changed, which deserves a look. */
export const EXPECTED_TOTALS = { slices: 30, operations: 275, components: 570 } as const;

export const SLICE_FILE_PATTERN = /^dynamic-xyz-.+-api-openapi\.yml$/;

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUT_PATH = join(PROJECT_ROOT, "spec", "dashboard-api.yaml");

/** Path item fixed fields that are operations (OpenAPI 3.2 §4.8.9.1 adds `query`). */
const HTTP_METHODS = new Set([
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
  "query",
]);

/** How each top-level key of a slice is merged. A key not listed here (and not `x-*`) stops the run. */
type TopLevelRule =
  "same-everywhere" | "same-where-present" | "replaced" | "union" | "path-items" | "components";
const TOP_LEVEL_RULES: Readonly<Record<string, TopLevelRule>> = {
  openapi: "same-everywhere",
  info: "replaced",
  jsonSchemaDialect: "same-everywhere", // absence means the default dialect, so it must agree everywhere too
  servers: "union",
  tags: "union",
  security: "same-everywhere", // a slice without it would silently inherit another slice's global security
  paths: "path-items",
  webhooks: "path-items",
  components: "components",
  externalDocs: "same-where-present",
};

/** Output order of the top-level keys; `x-*` extensions follow in first-seen order. */
const TOP_LEVEL_ORDER = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "tags",
  "security",
  "paths",
  "webhooks",
];
const TOP_LEVEL_TAIL = ["components", "externalDocs"];

/** Union keys: servers are the same server when their url matches, tags when their name does. */
const UNION_KEY: Readonly<Record<string, string>> = { servers: "url", tags: "name" };

/** Stands for "this slice does not declare the key", so absence can be compared like a value. */
const ABSENT = Symbol("absent");

// ---------------------------------------------------------------------------------------------------------------
// Small value helpers
// ---------------------------------------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Structural equality; object key order is ignored because it carries no meaning in OpenAPI. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  );
}

/** Sets an own property even for keys like `__proto__`: a spec is untrusted input (STYLE.md rule 8). */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function childObject(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (Object.hasOwn(parent, key) && isObject(existing)) return existing;
  const created: JsonObject = {};
  setOwn(parent, key, created);
  return created;
}

function getIn(root: unknown, location: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of location) {
    if (!(isObject(current) || Array.isArray(current)) || !Object.hasOwn(current, key))
      return undefined;
    current = (current as JsonObject)[key];
  }
  return current;
}

/** Plain code-unit order, independent of the machine's locale (deterministic output). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Collecting candidates: every definition of every location, in slice order
// ---------------------------------------------------------------------------------------------------------------

interface Candidate {
  file: string;
  value: unknown;
}

/** A location in the merged document, e.g. ["components", "schemas", "Session"], with all its definitions. */
interface Group {
  location: string[];
  candidates: Candidate[];
}

/** Groups definitions by location; Map insertion order gives first-seen order, hence slice order. */
class CandidateGroups {
  private readonly groups = new Map<string, Group>();

  add({ location, file, value }: { location: string[]; file: string; value: unknown }): void {
    const key = JSON.stringify(location);
    let group = this.groups.get(key);
    if (!group) {
      group = { location, candidates: [] };
      this.groups.set(key, group);
    }
    group.candidates.push({ file, value });
  }

  all(): Group[] {
    return [...this.groups.values()];
  }
}

type Area = "header" | "servers" | "tags" | "paths" | "webhooks" | "components";

/** Walks slices and files each definition under its area; reports shapes it cannot merge instead of guessing. */
class SliceCollector {
  readonly areas: Record<Area, CandidateGroups> = {
    header: new CandidateGroups(),
    servers: new CandidateGroups(),
    tags: new CandidateGroups(),
    paths: new CandidateGroups(),
    webhooks: new CandidateGroups(),
    components: new CandidateGroups(),
  };
  readonly problems: string[] = [];

  collect(slice: Slice): void {
    if (!isObject(slice.doc)) {
      this.problems.push(`${slice.file}: the document is not a mapping`);
      return;
    }
    for (const [key, value] of Object.entries(slice.doc))
      this.collectTopLevel({ file: slice.file, key, value });
    this.addAbsentKeys({ file: slice.file, doc: slice.doc });
  }

  /** Keys that must agree everywhere are compared even when a slice lacks them. */
  private addAbsentKeys({ file, doc }: { file: string; doc: JsonObject }): void {
    for (const [key, rule] of Object.entries(TOP_LEVEL_RULES)) {
      if (rule === "same-everywhere" && !Object.hasOwn(doc, key)) {
        this.areas.header.add({ location: [key], file, value: ABSENT });
      }
    }
  }

  private collectTopLevel({
    file,
    key,
    value,
  }: {
    file: string;
    key: string;
    value: unknown;
  }): void {
    const rule = key.startsWith("x-") ? "same-where-present" : TOP_LEVEL_RULES[key];
    if (rule === undefined) {
      this.problems.push(
        `${file}: unknown top-level key '${key}'; teach TOP_LEVEL_RULES how to merge it`,
      );
    } else if (rule === "same-everywhere" || rule === "same-where-present") {
      this.areas.header.add({ location: [key], file, value });
    } else if (rule === "union") {
      this.collectUnion({ file, key: key as "servers" | "tags", value });
    } else if (rule === "path-items") {
      this.collectPathItems({ file, area: key as "paths" | "webhooks", value });
    } else if (rule === "components") {
      this.collectComponents({ file, value });
    }
    // "replaced" (info): each slice's own info is deliberately dropped in favour of DASHBOARD_INFO.
  }

  private collectUnion({
    file,
    key,
    value,
  }: {
    file: string;
    key: "servers" | "tags";
    value: unknown;
  }): void {
    if (!Array.isArray(value)) {
      this.problems.push(`${file}: '${key}' is not a list`);
      return;
    }
    const idField = UNION_KEY[key] ?? "name";
    for (const [index, item] of value.entries()) {
      const id = isObject(item) ? item[idField] : undefined;
      if (typeof id !== "string") {
        this.problems.push(`${file}: ${key}[${index}] has no string '${idField}'`);
        continue;
      }
      this.areas[key].add({ location: [key, id], file, value: item });
    }
  }

  /** Path items are merged one key deeper, so two slices may contribute different methods to one path. */
  private collectPathItems({
    file,
    area,
    value,
  }: {
    file: string;
    area: "paths" | "webhooks";
    value: unknown;
  }): void {
    if (!isObject(value)) {
      this.problems.push(`${file}: '${area}' is not a mapping`);
      return;
    }
    for (const [path, item] of Object.entries(value)) {
      if (!isObject(item)) {
        this.problems.push(`${file}: ${area} '${path}' is not a mapping`);
        continue;
      }
      for (const [key, entry] of Object.entries(item)) {
        this.areas[area].add({ location: [area, path, key], file, value: entry });
      }
    }
  }

  /** Components are merged section by section (OpenAPI 3.2 §4.8.7), whatever sections a slice uses. */
  private collectComponents({ file, value }: { file: string; value: unknown }): void {
    if (!isObject(value)) {
      this.problems.push(`${file}: 'components' is not a mapping`);
      return;
    }
    for (const [section, definitions] of Object.entries(value)) {
      if (!isObject(definitions)) {
        this.problems.push(`${file}: components.${section} is not a mapping`);
        continue;
      }
      for (const [name, definition] of Object.entries(definitions)) {
        this.areas.components.add({
          location: ["components", section, name],
          file,
          value: definition,
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Deciding: one value per location, or a conflict
// ---------------------------------------------------------------------------------------------------------------

interface Decided {
  location: string[];
  value: unknown;
}

interface Tally {
  conflicts: Conflict[];
  duplicates: number;
  usedResolutions: Set<ConflictResolution>;
}

/** Splits candidates into runs of identical content, in first-seen order. */
function groupVariants(candidates: readonly Candidate[]): Candidate[][] {
  const variants: Candidate[][] = [];
  for (const candidate of candidates) {
    const same = variants.find((variant) => deepEqual(variant[0]?.value, candidate.value));
    if (same) same.push(candidate);
    else variants.push([candidate]);
  }
  return variants;
}

/** Names a location the way a reader of the spec would: section plus name, e.g. schemas / Session, paths / PUT /x. */
export function describeLocation(location: readonly string[]): { section: string; name: string } {
  const [area = "", first = "", second = ""] = location;
  if (location.length === 1) return { section: "top-level", name: area };
  if (area === "components") return { section: first, name: second };
  if (area === "paths" || area === "webhooks") {
    return {
      section: area,
      name: HTTP_METHODS.has(second) ? `${second.toUpperCase()} ${first}` : `${first} ${second}`,
    };
  }
  return { section: area, name: first };
}

function findResolution({
  group,
  resolutions,
}: {
  group: Group;
  resolutions: readonly ConflictResolution[];
}) {
  const [area, section, name] = group.location;
  if (area !== "components" || group.location.length !== 3) return undefined;
  return resolutions.find((r) => r.section === section && r.name === name);
}

function toConflict({ group, variants }: { group: Group; variants: Candidate[][] }): Conflict {
  const files = [...new Set(group.candidates.map((c) => c.file))];
  const variantFiles = variants.map((variant) => variant.map((c) => c.file));
  return { ...describeLocation(group.location), files, variants: variantFiles };
}

function decideGroup({
  group,
  resolutions,
  tally,
}: {
  group: Group;
  resolutions: readonly ConflictResolution[];
  tally: Tally;
}): Decided | undefined {
  const variants = groupVariants(group.candidates);
  const first = variants[0]?.[0];
  if (variants.length === 1 && first) {
    tally.duplicates += group.candidates.length - 1;
    return { location: group.location, value: first.value };
  }
  const resolution = findResolution({ group, resolutions });
  const winner = resolution && group.candidates.find((c) => c.file === resolution.useFile);
  if (resolution && winner) {
    tally.usedResolutions.add(resolution);
    return { location: group.location, value: winner.value };
  }
  tally.conflicts.push(toConflict({ group, variants }));
  return undefined;
}

function decideArea({
  groups,
  resolutions,
  tally,
}: {
  groups: CandidateGroups;
  resolutions: readonly ConflictResolution[];
  tally: Tally;
}): Decided[] {
  const decided: Decided[] = [];
  for (const group of groups.all()) {
    const result = decideGroup({ group, resolutions, tally });
    if (result) decided.push(result);
  }
  return decided;
}

function formatConflicts(conflicts: readonly Conflict[]): string {
  const lines = conflicts.map((c) => {
    const variants = c.variants.map((files) => `[${files.join(", ")}]`).join(" vs ");
    return `  - ${c.section} / ${c.name}: ${c.variants.length} different definitions in ${c.files.length} files: ${variants}`;
  });
  const hint =
    "Fix the slices, or add a documented entry to CONFLICT_RESOLUTIONS in scripts/merge-dashboard-spec.ts.";
  return [`${conflicts.length} conflicting definition(s) across slices:`, ...lines, hint].join(
    "\n",
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Assembling the merged document
// ---------------------------------------------------------------------------------------------------------------

/** Rebuilds nested maps from decided entries; entries arrive in first-seen order, so the output keeps it. */
function nest(decided: readonly Decided[]): JsonObject {
  const root: JsonObject = {};
  for (const { location, value } of decided) {
    const parents = location.slice(1, -1);
    const leaf = location[location.length - 1] ?? "";
    const parent = parents.reduce<JsonObject>((node, key) => childObject(node, key), root);
    setOwn(parent, leaf, value);
  }
  return root;
}

function assembleHeader(header: readonly Decided[]): JsonObject {
  const values: JsonObject = {};
  for (const { location, value } of header) {
    if (value !== ABSENT) setOwn(values, location[0] ?? "", value);
  }
  return values;
}

interface DecidedAreas {
  header: Decided[];
  servers: Decided[];
  tags: Decided[];
  paths: Decided[];
  webhooks: Decided[];
  components: Decided[];
}

function assembleDocument(areas: DecidedAreas): JsonObject {
  const header = assembleHeader(areas.header);
  const parts: JsonObject = { ...header, info: { ...DASHBOARD_INFO } };
  if (areas.servers.length) parts.servers = areas.servers.map((d) => d.value);
  if (areas.tags.length) parts.tags = areas.tags.map((d) => d.value);
  parts.paths = nest(areas.paths);
  if (areas.webhooks.length) parts.webhooks = nest(areas.webhooks);
  if (areas.components.length) parts.components = nest(areas.components);
  return orderTopLevel(parts);
}

function orderTopLevel(parts: JsonObject): JsonObject {
  const extensions = Object.keys(parts).filter((key) => key.startsWith("x-"));
  const document: JsonObject = {};
  for (const key of [...TOP_LEVEL_ORDER, ...TOP_LEVEL_TAIL, ...extensions]) {
    if (Object.hasOwn(parts, key)) setOwn(document, key, parts[key]);
  }
  return document;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------------------------

function countOperations(paths: unknown): number {
  let operations = 0;
  for (const item of Object.values(isObject(paths) ? paths : {})) {
    if (!isObject(item)) continue;
    operations += Object.keys(item).filter((key) => HTTP_METHODS.has(key)).length;
    // OpenAPI 3.2 §4.8.9.1: operations for other HTTP methods live in a map of their own.
    if (isObject(item.additionalOperations))
      operations += Object.keys(item.additionalOperations).length;
  }
  return operations;
}

function countComponents(components: unknown): Record<string, number> {
  const bySection: Record<string, number> = {};
  for (const [section, definitions] of Object.entries(isObject(components) ? components : {})) {
    bySection[section] = isObject(definitions) ? Object.keys(definitions).length : 0;
  }
  return bySection;
}

interface StatsInput {
  document: JsonObject;
  slices: number;
  duplicatesCollapsed: MergeStats["duplicatesCollapsed"];
  conflictsResolved: number;
}

function computeStats({
  document,
  slices,
  duplicatesCollapsed,
  conflictsResolved,
}: StatsInput): MergeStats {
  const componentsBySection = countComponents(document.components);
  return {
    slices,
    paths: isObject(document.paths) ? Object.keys(document.paths).length : 0,
    operations: countOperations(document.paths),
    componentsBySection,
    componentsTotal: Object.values(componentsBySection).reduce((sum, n) => sum + n, 0),
    duplicatesCollapsed,
    conflictsResolved,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The pure merge
// ---------------------------------------------------------------------------------------------------------------

function newTally(): Tally {
  return { conflicts: [], duplicates: 0, usedResolutions: new Set() };
}

function collectSlices(slices: readonly Slice[]): SliceCollector {
  const collector = new SliceCollector();
  for (const slice of slices) collector.collect(slice);
  if (collector.problems.length)
    throw new SpecCheckError("Slices cannot be merged:", collector.problems);
  return collector;
}

function staleResolutions({
  resolutions,
  used,
}: {
  resolutions: readonly ConflictResolution[];
  used: ReadonlySet<ConflictResolution>;
}): string[] {
  return resolutions
    .filter((resolution) => !used.has(resolution))
    .map(
      (r) =>
        `CONFLICT_RESOLUTIONS entry ${r.section} / ${r.name} (use ${r.useFile}) matches no conflict; remove it`,
    );
}

/** Decides every area; path entries and components get their own tallies so their duplicates can be reported. */
function decideAreas({
  areas,
  resolutions,
}: {
  areas: Record<Area, CandidateGroups>;
  resolutions: readonly ConflictResolution[];
}) {
  const tallies = { components: newTally(), paths: newTally(), other: newTally() };
  const decide = (groups: CandidateGroups, tally: Tally) =>
    decideArea({ groups, resolutions, tally });
  const decided: DecidedAreas = {
    header: decide(areas.header, tallies.other),
    servers: decide(areas.servers, tallies.other),
    tags: decide(areas.tags, tallies.other),
    paths: decide(areas.paths, tallies.paths),
    webhooks: decide(areas.webhooks, tallies.other),
    components: decide(areas.components, tallies.components),
  };
  return { decided, tallies };
}

/**
 * Merges slices into one OpenAPI document. Slices are taken in file-name order whatever order they come in,
 * so the result is the same for the same inputs. Throws SpecMergeError listing every conflict at once.
 */
export function mergeSlices(
  slices: readonly Slice[],
  options: { resolutions?: readonly ConflictResolution[] } = {},
): MergeResult {
  const resolutions = options.resolutions ?? CONFLICT_RESOLUTIONS;
  const ordered = [...slices].sort((a, b) => compareCodeUnits(a.file, b.file));
  const { decided, tallies } = decideAreas({ areas: collectSlices(ordered).areas, resolutions });
  const conflicts = Object.values(tallies).flatMap((tally) => tally.conflicts);
  if (conflicts.length) throw new SpecMergeError(conflicts);
  const used = tallies.components.usedResolutions;
  const stale = staleResolutions({ resolutions, used });
  if (stale.length) throw new SpecCheckError("Conflict resolution table is out of date:", stale);
  const document = assembleDocument(decided);
  const duplicatesCollapsed = {
    components: tallies.components.duplicates,
    pathEntries: tallies.paths.duplicates,
  };
  const stats = computeStats({
    document,
    slices: ordered.length,
    duplicatesCollapsed,
    conflictsResolved: used.size,
  });
  return { document, stats };
}

// ---------------------------------------------------------------------------------------------------------------
// Overlays
// ---------------------------------------------------------------------------------------------------------------

/** Returns a copy of `target` with `key` placed right after `after` (the slice objects are never mutated). */
function insertAfter({
  target,
  after,
  key,
  value,
}: {
  target: JsonObject;
  after: string;
  key: string;
  value: unknown;
}): JsonObject {
  const copy: JsonObject = {};
  for (const [existingKey, existingValue] of Object.entries(target)) {
    if (existingKey === key) continue;
    setOwn(copy, existingKey, existingValue);
    if (existingKey === after) setOwn(copy, key, value);
  }
  return copy;
}

function applyOverlay({
  document,
  overlay,
}: {
  document: JsonObject;
  overlay: OperationOverlay;
}): string | undefined {
  const where = `${overlay.method.toUpperCase()} ${overlay.path}`;
  const item = getIn(document, ["paths", overlay.path]);
  const operation = isObject(item) ? item[overlay.method] : undefined;
  if (!isObject(item) || !isObject(operation))
    return `overlay target ${where} is not in the merged paths`;
  if (!Object.hasOwn(operation, overlay.insertAfter))
    return `overlay target ${where} has no '${overlay.insertAfter}'`;
  const existing = operation[overlay.key];
  if ("replaces" in overlay && !deepEqual(existing, overlay.replaces)) {
    return `${where} ${overlay.key} is no longer ${JSON.stringify(overlay.replaces)} (now ${JSON.stringify(existing)}); review and update the overlay`;
  }
  if (!("replaces" in overlay) && existing !== undefined && !deepEqual(existing, overlay.value)) {
    return `${where} now has its own ${overlay.key} (${JSON.stringify(existing)}); review and update the overlay`;
  }
  const edited = insertAfter({
    target: operation,
    after: overlay.insertAfter,
    key: overlay.key,
    value: overlay.value,
  });
  setOwn(item, overlay.method, edited);
  return undefined;
}

/** Applies every overlay; a target that moved or changed upstream fails the run rather than being skipped. */
export function applyOverlays({
  document,
  overlays,
}: {
  document: JsonObject;
  overlays: readonly OperationOverlay[];
}): number {
  const problems = overlays.flatMap((overlay) => applyOverlay({ document, overlay }) ?? []);
  if (problems.length) throw new SpecCheckError("Overlays could not be applied:", problems);
  return overlays.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks on the merged document
// ---------------------------------------------------------------------------------------------------------------

const REVOKE = ["paths", "/sessions/{sessionId}/revoke", "put"];
const ref = (target: string) => ({ $ref: `#/components/${target}` });

/** What the user's reference operation and the components it relies on must look like after the merge. */
const REFERENCE_EXPECTATIONS: ReadonlyArray<{ at: string[]; expected: unknown }> = [
  { at: [...REVOKE, "operationId"], expected: "revokeSessionById" },
  { at: [...REVOKE, "tags"], expected: ["Sessions"] },
  { at: [...REVOKE, "summary"], expected: "Revoke a session" },
  { at: [...REVOKE, "description"], expected: "Revokes the specified session." },
  { at: [...REVOKE, "security"], expected: [{ bearerAuth: [] }] },
  { at: [...REVOKE, "parameters"], expected: [ref("parameters/sessionId")] },
  {
    at: [...REVOKE, "responses", "200", "content"],
    expected: { "application/json": { schema: ref("schemas/Session") } },
  },
  { at: [...REVOKE, "responses", "401"], expected: ref("responses/Unauthorized") },
  { at: [...REVOKE, "responses", "403"], expected: ref("responses/Forbidden") },
  { at: [...REVOKE, "responses", "500"], expected: ref("responses/InternalServerError") },
  { at: ["components", "parameters", "sessionId", "name"], expected: "sessionId" },
  { at: ["components", "parameters", "sessionId", "in"], expected: "path" },
  { at: ["components", "parameters", "sessionId", "required"], expected: true },
  { at: ["components", "parameters", "sessionId", "schema"], expected: ref("schemas/uuid") },
  { at: ["components", "schemas", "uuid", "type"], expected: "string" },
  {
    at: ["components", "schemas", "uuid", "pattern"],
    expected: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
  },
  { at: ["components", "schemas", "uuid", "minLength"], expected: 36 },
  { at: ["components", "schemas", "uuid", "maxLength"], expected: 36 },
  { at: ["components", "schemas", "Session", "type"], expected: "object" },
  { at: ["components", "schemas", "Session", "properties", "id"], expected: ref("schemas/uuid") },
  {
    at: ["components", "securitySchemes", "bearerAuth"],
    expected: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  },
];

/** The overlay promises `description` right after `summary`; key order is part of what the user reads. */
function checkDescriptionPlacement(document: JsonObject): string[] {
  const operation = getIn(document, REVOKE);
  const keys = isObject(operation) ? Object.keys(operation) : [];
  const placed =
    keys.indexOf("description") === keys.indexOf("summary") + 1 && keys.includes("summary");
  return placed
    ? []
    : [`${REVOKE.join(" ")}: description is not right after summary (keys: ${keys.join(", ")})`];
}

/** Fails loudly, listing every mismatch, if the reference operation or its components are not as specified. */
export function assertReferenceOperation(document: JsonObject): void {
  const problems = REFERENCE_EXPECTATIONS.flatMap(({ at, expected }) => {
    const actual = getIn(document, at);
    return deepEqual(actual, expected)
      ? []
      : [
          `${at.join(" > ")}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`,
        ];
  });
  problems.push(...checkDescriptionPlacement(document));
  if (problems.length)
    throw new SpecCheckError(
      "Reference operation revokeSessionById is not as specified:",
      problems,
    );
}

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, refs));
  if (!isObject(value)) return refs;
  for (const [key, child] of Object.entries(value)) {
    if (key === "$ref" && typeof child === "string") refs.push(child);
    else collectRefs(child, refs);
  }
  return refs;
}

/** JSON Pointer in a URI fragment: percent-decoding first, then ~1 and ~0 (RFC 6901 §4 and §6). */
function pointerSegments(ref: string): string[] {
  const pointer = decodeURIComponent(ref.slice(1));
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Every `$ref` must be local and resolve: the merged file is used on its own, without the slices next to it. */
export function checkLocalRefs(document: JsonObject): { total: number; distinct: number } {
  const refs = collectRefs(document);
  const distinct = [...new Set(refs)];
  const problems = distinct.flatMap((target) => {
    if (!target.startsWith("#/")) return [`$ref '${target}' is not local to the document`];
    return getIn(document, pointerSegments(target)) === undefined
      ? [`$ref '${target}' does not resolve`]
      : [];
  });
  if (problems.length) throw new SpecCheckError("Merged document has unresolved $refs:", problems);
  return { total: refs.length, distinct: distinct.length };
}

function assertExpectedTotals(stats: MergeStats): void {
  const actual = {
    slices: stats.slices,
    operations: stats.operations,
    components: stats.componentsTotal,
  };
  const problems = (Object.keys(EXPECTED_TOTALS) as Array<keyof typeof EXPECTED_TOTALS>)
    .filter((key) => actual[key] !== EXPECTED_TOTALS[key])
    .map(
      (key) =>
        `${key}: expected ${EXPECTED_TOTALS[key]}, found ${actual[key]} (update EXPECTED_TOTALS if intended)`,
    );
  if (problems.length)
    throw new SpecCheckError("The slices do not add up to the known Dashboard API:", problems);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

function header(sliceCount: number): string {
  return [
    `# Generated by scripts/merge-dashboard-spec.ts from the ${sliceCount} Dashboard API slices in`,
    "# shared/specs/dynamic (dynamic-xyz-*-api-openapi.yml). Do not edit by hand: change the slices or",
    "# the script's overlay/resolution tables, then re-run `npm run merge-spec`.",
    "",
  ].join("\n");
}

/**
 * YAML output kept stable and close to the slices' own style: no line folding (lineWidth 0), no anchors
 * for repeated objects, block sequences not indented, single quotes where quoting is needed.
 */
export function renderSpec({
  document,
  sliceCount,
}: {
  document: JsonObject;
  sliceCount: number;
}): string {
  const body = stringify(document, {
    lineWidth: 0,
    aliasDuplicateObjects: false,
    indentSeq: false,
    singleQuote: true,
  });
  return header(sliceCount) + body;
}

/** Reads the rendered text back: what we write must be exactly the document we checked, key order included. */
function assertRoundTrip({ text, document }: { text: string; document: JsonObject }): void {
  const reparsed = parseYaml({ file: "rendered output", text });
  if (JSON.stringify(reparsed) !== JSON.stringify(document)) {
    throw new SpecCheckError("Rendered YAML does not read back as the merged document:", [
      "check the stringify options",
    ]);
  }
}

/** Merge, overlays, checks and rendering: everything that decides the bytes of spec/dashboard-api.yaml. */
export function buildDashboardSpec(slices: readonly Slice[]): BuildResult {
  const { document, stats } = mergeSlices(slices);
  assertExpectedTotals(stats);
  const overlaysApplied = applyOverlays({ document, overlays: OPERATION_OVERLAYS });
  assertReferenceOperation(document);
  const refs = checkLocalRefs(document);
  const text = renderSpec({ document, sliceCount: stats.slices });
  assertRoundTrip({ text, document });
  return { document, stats, refs, overlaysApplied, text };
}

// ---------------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------------

/** The `specs` folder from SPECFETCH_SHARED_SPECS, else ../shared/specs next to the project; slices sit in dynamic/. */
export function resolveSlicesDir(env: NodeJS.ProcessEnv = process.env): string {
  const specs = env.SPECFETCH_SHARED_SPECS || join(PROJECT_ROOT, "..", "shared", "specs");
  return join(resolve(specs), "dynamic");
}

/** Warnings count as failures too: they mean the YAML did not read back as plain data (e.g. an unknown tag). */
function parseYaml({ file, text }: { file: string; text: string }): unknown {
  const doc = parseDocument(text);
  const issues = [...doc.errors, ...doc.warnings].map((issue) => `${file}: ${issue.message}`);
  if (issues.length) throw new SpecCheckError(`Cannot read ${file}:`, issues);
  return doc.toJS();
}

export function listSliceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => SLICE_FILE_PATTERN.test(name))
    .sort(compareCodeUnits);
}

export function readSlices(dir: string): Slice[] {
  const files = listSliceFiles(dir);
  if (!files.length)
    throw new SpecCheckError(`No slices in ${dir}:`, [
      `expected files matching ${SLICE_FILE_PATTERN}`,
    ]);
  return files.map((file) => ({
    file,
    doc: parseYaml({ file, text: readFileSync(join(dir, file), "utf8") }),
  }));
}

/** Temp file in the same folder, then rename: readers never see a half-written spec. */
function writeFileAtomic({ path, text }: { path: string; text: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, "utf8");
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------------

function report({
  result,
  dir,
  changed,
}: {
  result: BuildResult;
  dir: string;
  changed: boolean;
}): void {
  const { stats, refs } = result;
  const sections = Object.entries(stats.componentsBySection)
    .map(([section, n]) => `${section} ${n}`)
    .join(", ");
  const output = relative(PROJECT_ROOT, OUTPUT_PATH);
  console.log(`merge-spec: ${stats.slices} slices from ${dir}`);
  console.log(`  operations: ${stats.operations} (in ${stats.paths} paths)`);
  console.log(`  components: ${stats.componentsTotal} (${sections})`);
  console.log(
    `  identical duplicates collapsed: ${stats.duplicatesCollapsed.components} components, ${stats.duplicatesCollapsed.pathEntries} path entries`,
  );
  console.log(`  conflicts: 0 (${stats.conflictsResolved} resolved by CONFLICT_RESOLUTIONS)`);
  console.log(
    `  overlays applied: ${result.overlaysApplied}; reference operation revokeSessionById checked`,
  );
  console.log(`  local $refs: ${refs.total} (${refs.distinct} distinct targets), all resolve`);
  console.log(
    `  ${changed ? "wrote" : "unchanged"} ${output} (${Buffer.byteLength(result.text)} bytes)`,
  );
}

export function main(): number {
  const dir = resolveSlicesDir();
  if (!existsSync(dir)) {
    console.log(
      `merge-spec: slices folder ${dir} not found; the committed spec/dashboard-api.yaml is used as is.`,
    );
    return 0;
  }
  const result = buildDashboardSpec(readSlices(dir));
  const changed = !existsSync(OUTPUT_PATH) || readFileSync(OUTPUT_PATH, "utf8") !== result.text;
  if (changed) writeFileAtomic({ path: OUTPUT_PATH, text: result.text });
  report({ result, dir, changed });
  return 0;
}

function runFromCommandLine(): void {
  try {
    process.exitCode = main();
  } catch (error) {
    if (!(error instanceof SpecMergeError || error instanceof SpecCheckError)) throw error;
    console.error(`merge-spec: ${error.message}`);
    process.exitCode = 1;
  }
}

/** True when this file is the program being run (tsx or node), false when it is imported (tests). */
function isDirectRun(): boolean {
  const invokedPath = process.argv[1];
  if (!invokedPath || !existsSync(invokedPath)) return false;
  return import.meta.url === pathToFileURL(realpathSync(invokedPath)).href;
}

if (isDirectRun()) runFromCommandLine();
