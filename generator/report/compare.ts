/**
 * What changed in the API between two outputs, and whether each change breaks a consumer of the client.
 *
 * Operations are matched by function name; an operation that disappears while another appears with the same
 * method and path is a rename. Parameters are matched by location and name, responses by status, bodies by
 * media type. Types are compared structurally from openapi-typescript's output (see `surface.ts`):
 *
 * - narrowed: fewer values fit (an enum value removed, a property made required, a required property added,
 *   `unknown` became a concrete type). Breaking in a request: calls that compiled may not. Safe in a response.
 * - widened: more values fit (an enum value or `null` added, a property made optional). Breaking in a response:
 *   code reading it may not handle the new values. Safe in a request.
 * - a removed property is breaking on both sides (a request literal that sets it no longer compiles; code that
 *   reads it from a response no longer compiles), and so is an incompatible type change (`string` → `number`).
 *
 * A change inside a named schema (`components["schemas"]["User"]`) is reported once for the schema, with the
 * operations it reaches, instead of once per operation.
 */
import {
  resolveShape,
  type ApiSurface,
  type OperationSurface,
  type Property,
  type Shape,
} from "./surface.js";

export type Bump = "major" | "minor" | "patch";

export type ChangeKind =
  | "operation-added"
  | "operation-removed"
  | "operation-renamed"
  | "parameter-added"
  | "parameter-removed"
  | "parameter-required"
  | "parameter-optional"
  | "request-body-added"
  | "request-body-removed"
  | "request-body-required"
  | "request-body-optional"
  | "request-content-type-added"
  | "request-content-type-removed"
  | "response-content-type-added"
  | "response-content-type-removed"
  | "status-added"
  | "status-removed"
  | "type-narrowed"
  | "type-widened"
  | "type-changed";

export interface Change {
  kind: ChangeKind;
  breaking: boolean;
  /** What changed, in words (one line, Markdown code spans for names). */
  message: string;
  /** The operations concerned (function names, sorted); one for operation-level changes. */
  operations: string[];
  /** `GET /users/{id}`, for operation-level changes. */
  endpoint?: string;
  /** For type changes: the schema (`User`) or `<operation> <place>` the change is in. */
  subject?: string;
  /** For type changes: `request` or `response`. */
  position?: Position;
}

export interface ChangeReport {
  bump: Bump;
  breaking: number;
  nonBreaking: number;
  changes: Change[];
}

type Position = "request" | "response";

/** Compares the API of the previous output with the new one. */
export function compareApis(previous: ApiSurface, next: ApiSurface): ChangeReport {
  const changes: Change[] = [];
  const types = new TypeChanges();
  const renamed = matchRenames(previous, next);
  for (const [name, before] of previous.operations) {
    const after = next.operations.get(name) ?? next.operations.get(renamed.get(name) ?? "");
    if (after === undefined) {
      changes.push(operationChange(before, "operation-removed", true, "operation removed"));
      continue;
    }
    if (after.functionName !== before.functionName)
      changes.push({
        ...operationChange(
          after,
          "operation-renamed",
          true,
          `renamed from \`${before.functionName}\` to \`${after.functionName}\``,
        ),
        operations: [after.functionName],
      });
    changes.push(...compareOperation(before, after, types));
  }
  const matched = new Set([...previous.operations.keys()].map((n) => renamed.get(n) ?? n));
  for (const [name, after] of next.operations)
    if (!matched.has(name))
      changes.push(operationChange(after, "operation-added", false, "operation added"));
  changes.push(...types.grouped());
  return summarize(changes);
}

function summarize(all: Change[]): ChangeReport {
  // The same change found twice (a property added to two members of a union) is listed once.
  const seen = new Set<string>();
  const changes = all.filter((c) => {
    const key = JSON.stringify([c.kind, c.breaking, c.message, c.operations, c.subject ?? ""]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const sorted = changes.sort(
    (a, b) =>
      Number(b.breaking) - Number(a.breaking) ||
      compare(a.operations[0] ?? "", b.operations[0] ?? "") ||
      compare(a.subject ?? "", b.subject ?? "") ||
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      compare(a.message, b.message),
  );
  const breaking = sorted.filter((c) => c.breaking).length;
  return {
    bump: breaking > 0 ? "major" : sorted.length > 0 ? "minor" : "patch",
    breaking,
    nonBreaking: sorted.length - breaking,
    changes: sorted,
  };
}

const KINDS: readonly ChangeKind[] = [
  "operation-removed",
  "operation-renamed",
  "operation-added",
  "parameter-added",
  "parameter-removed",
  "parameter-required",
  "parameter-optional",
  "request-body-added",
  "request-body-removed",
  "request-body-required",
  "request-body-optional",
  "request-content-type-added",
  "request-content-type-removed",
  "response-content-type-removed",
  "response-content-type-added",
  "status-added",
  "status-removed",
  "type-changed",
  "type-narrowed",
  "type-widened",
];

/** Old function name → new one, for operations whose method and path stayed while their name changed. */
function matchRenames(previous: ApiSurface, next: ApiSurface): Map<string, string> {
  const renamed = new Map<string, string>();
  const added = [...next.operations.values()].filter(
    (o) => !previous.operations.has(o.functionName),
  );
  for (const before of previous.operations.values()) {
    if (next.operations.has(before.functionName)) continue;
    const after = added.find((o) => o.method === before.method && o.path === before.path);
    if (after) renamed.set(before.functionName, after.functionName);
  }
  return renamed;
}

function operationChange(
  operation: OperationSurface,
  kind: ChangeKind,
  breaking: boolean,
  message: string,
): Change {
  return {
    kind,
    breaking,
    message,
    operations: [operation.functionName],
    endpoint: `${operation.method} ${operation.path}`,
  };
}

function compareOperation(
  before: OperationSurface,
  after: OperationSurface,
  types: TypeChanges,
): Change[] {
  const changes: Change[] = [];
  const add = (kind: ChangeKind, breaking: boolean, message: string) =>
    changes.push(operationChange(after, kind, breaking, message));
  const name = after.functionName;

  // Parameters (matched by location and name).
  for (const p of before.parameters) {
    const q = after.parameters.find((x) => x.in === p.in && x.name === p.name);
    const label = `${p.in} parameter \`${p.name}\``;
    if (!q) add("parameter-removed", true, `${label} removed`);
    else if (!p.required && q.required) add("parameter-required", true, `${label} is now required`);
    else if (p.required && !q.required)
      add("parameter-optional", false, `${label} is now optional`);
    if (!q) continue;
    const previous = before.parameterType(p.in, p.name);
    const next = after.parameterType(q.in, q.name);
    if (previous && next)
      types.compare({
        previous,
        next,
        operation: name,
        place: `${p.in} \`${p.name}\``,
        position: "request",
      });
  }
  for (const q of after.parameters) {
    if (before.parameters.some((p) => p.in === q.in && p.name === q.name)) continue;
    const label = `${q.required ? "required" : "optional"} ${q.in} parameter \`${q.name}\``;
    add("parameter-added", q.required, `${label} added`);
  }

  // Request body.
  const b = before.requestBody;
  const a = after.requestBody;
  if (b && !a) add("request-body-removed", true, "request body removed");
  if (!b && a)
    add(
      "request-body-added",
      a.required,
      `${a.required ? "required" : "optional"} request body added`,
    );
  if (b && a) {
    if (!b.required && a.required)
      add("request-body-required", true, "request body is now required");
    if (b.required && !a.required)
      add("request-body-optional", false, "request body is now optional");
    for (const type of b.contentTypes) {
      if (!a.contentTypes.includes(type)) {
        add("request-content-type-removed", true, `request content type \`${type}\` removed`);
        continue;
      }
      const previous = before.requestBodyType(type);
      const next = after.requestBodyType(type);
      const place = `request body${b.contentTypes.length > 1 ? ` (${type})` : ""}`;
      if (previous && next)
        types.compare({ previous, next, operation: name, place, position: "request" });
    }
    for (const type of a.contentTypes)
      if (!b.contentTypes.includes(type))
        add("request-content-type-added", false, `request content type \`${type}\` added`);
  }

  // Responses: a new success status widens what the call resolves to; a removed error status breaks code that
  // handles it (`case 404:` no longer compiles once `isApiErrorOf` narrows `status`).
  for (const status of before.statuses) {
    if (!after.statuses.includes(status)) {
      add("status-removed", !isSuccess(status), `response status ${status} removed`);
      continue;
    }
    // A media type gone or new changes what the call resolves to (or its ApiError's body): breaking, as any
    // widening or incompatible change of a response is.
    const mediaTypes = before.responseContentTypes(status);
    const nextTypes = after.responseContentTypes(status);
    for (const type of mediaTypes)
      if (!nextTypes.includes(type))
        add(
          "response-content-type-removed",
          true,
          nextTypes.length === 0
            ? `response ${status} no longer has a body (was \`${type}\`)`
            : `response ${status} content type \`${type}\` removed`,
        );
    for (const type of nextTypes)
      if (!mediaTypes.includes(type))
        add(
          "response-content-type-added",
          true,
          mediaTypes.length === 0
            ? `response ${status} now has a body (\`${type}\`)`
            : `response ${status} content type \`${type}\` added`,
        );
    for (const type of mediaTypes) {
      if (!nextTypes.includes(type)) continue;
      const previous = before.responseType(status, type);
      const next = after.responseType(status, type);
      const place = `response ${status}${mediaTypes.length > 1 ? ` (${type})` : ""}`;
      if (previous && next)
        types.compare({ previous, next, operation: name, place, position: "response" });
    }
  }
  for (const status of after.statuses)
    if (!before.statuses.includes(status))
      add("status-added", isSuccess(status), `response status ${status} added`);
  return changes;
}

function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

// ---------------------------------------------------------------------------------------------------------------
// Types

/** A difference found inside a type, before it is classified for a position. */
interface Finding {
  /** `.role`, `[].items`, `` (the type itself). */
  path: string;
  kind:
    | "property-added"
    | "property-removed"
    | "property-required"
    | "property-optional"
    | "values-added"
    | "values-removed"
    | "narrowed"
    | "widened"
    | "changed";
  /** Added or removed values, or the property's optionality when it was added. */
  detail: string;
  /** Where the finding holds, when not in both (a `readOnly` property exists in responses only). */
  only?: Position;
  /** Why, when the type did not say it (`now read-only`). */
  why?: string;
}

/** `{ only }` for a finding about a property that requests or responses leave out. */
function inOnly(property: Property): { only?: Position } {
  return property.only === "read"
    ? { only: "response" }
    : property.only === "write"
      ? { only: "request" }
      : {};
}

/**
 * A property marked `readOnly` or `writeOnly`, or no longer: removed from the requests or responses that now
 * leave it out, added to those that now have it.
 */
function visibilityChanges(path: string, before: Property, after: Property): Finding[] {
  const word = { read: "read-only", write: "write-only" };
  const why = after.only ? `now ${word[after.only]}` : `no longer ${word[before.only!]}`;
  const findings: Finding[] = [];
  const visibleIn = (property: Property, position: Position) =>
    [undefined, position].includes(inOnly(property).only);
  for (const only of ["request", "response"] as const) {
    const was = visibleIn(before, only);
    const is = visibleIn(after, only);
    if (was && !is) findings.push({ path, kind: "property-removed", detail: "", only, why });
    if (!was && is)
      findings.push({
        path,
        kind: "property-added",
        detail: after.optional ? "optional" : "required",
        only,
        why,
      });
  }
  return findings;
}

/** Each finding's direction and, per position, whether it breaks a consumer. */
function classify(
  finding: Finding,
  position: Position,
): { direction: "narrowed" | "widened" | "changed"; breaking: boolean } {
  const request = position === "request";
  switch (finding.kind) {
    case "property-added":
      return finding.detail === "required" && request
        ? { direction: "narrowed", breaking: true }
        : { direction: request ? "widened" : "narrowed", breaking: false };
    case "property-removed":
      return { direction: request ? "narrowed" : "widened", breaking: true };
    case "property-required":
    case "values-removed":
    case "narrowed":
      return { direction: "narrowed", breaking: request };
    case "property-optional":
    case "values-added":
    case "widened":
      return { direction: "widened", breaking: !request };
    case "changed":
      return { direction: "changed", breaking: true };
  }
}

function directionWord(direction: "narrowed" | "widened" | "changed"): string {
  return direction === "changed" ? "" : ` ${direction}`;
}

function describe(finding: Finding): string {
  return finding.why ? `${words(finding)} (${finding.why})` : words(finding);
}

function words(finding: Finding): string {
  const at = finding.path === "" ? "" : `\`${finding.path.replace(/^\./, "")}\` `;
  switch (finding.kind) {
    case "property-added":
      return `${finding.detail} property ${at}added`;
    case "property-removed":
      return `property ${at}removed`;
    case "property-required":
      return `property ${at}is now required`;
    case "property-optional":
      return `property ${at}is now optional`;
    case "values-added":
      return `${at}now also allows ${finding.detail}`.trimStart();
    case "values-removed":
      return `${at}no longer allows ${finding.detail}`.trimStart();
    case "narrowed":
    case "widened":
    case "changed":
      return `${at}${finding.detail}`.trimStart();
  }
}

interface Use {
  operation: string;
  place: string;
  position: Position;
}

/**
 * Collects type findings. Findings directly in an operation's type are reported for the operation; findings
 * inside a named schema reached with the same name on both sides are reported once per schema and position,
 * listing the operations that reach it (each schema pair is compared once, whatever the number of uses).
 */
class TypeChanges {
  private readonly direct: { finding: Finding; use: Use }[] = [];
  /** Schema name → its findings and the schemas it reaches. */
  private readonly schemas = new Map<string, { findings: Finding[]; reaches: Set<string> }>();
  /** Schema name → where it is used (directly or through other schemas). */
  private readonly uses = new Map<string, Use[]>();

  compare({ previous, next, ...use }: { previous: Shape; next: Shape } & Use): void {
    const reaches = new Set<string>();
    const findings: Finding[] = [];
    this.walk({ previous, next, path: "", findings, reaches, seen: new Set() });
    for (const finding of findings) this.direct.push({ finding, use });
    for (const schema of reaches) this.addUse(schema, use);
  }

  private addUse(schema: string, use: Use): void {
    const list = this.uses.get(schema) ?? [];
    if (list.some((u) => u.operation === use.operation && u.place === use.place)) return;
    list.push(use);
    this.uses.set(schema, list);
    for (const inner of this.schemas.get(schema)?.reaches ?? []) this.addUse(inner, use);
  }

  grouped(): Change[] {
    const changes: Change[] = [];
    for (const { finding, use } of this.direct) {
      if (finding.only && finding.only !== use.position) continue;
      const { direction, breaking } = classify(finding, use.position);
      changes.push({
        kind: `type-${direction}`,
        breaking,
        message: `${use.place}${directionWord(direction)}: ${describe(finding)}`,
        operations: [use.operation],
        subject: `${use.operation} ${use.place}`,
        position: use.position,
      });
    }
    for (const [schema, { findings }] of this.schemas) {
      for (const position of ["request", "response"] as const) {
        const operations = [
          ...new Set(
            (this.uses.get(schema) ?? [])
              .filter((u) => u.position === position)
              .map((u) => u.operation),
          ),
        ].sort(compare);
        if (operations.length === 0) continue;
        for (const finding of findings) {
          if (finding.only && finding.only !== position) continue;
          const { direction, breaking } = classify(finding, position);
          changes.push({
            kind: `type-${direction}`,
            breaking,
            message: `schema \`${schema}\` in ${position}s${directionWord(direction)}: ${describe(finding)}`,
            operations,
            subject: schema,
            position,
          });
        }
      }
    }
    return changes;
  }

  /** Compares two shapes, appending findings; a same-named schema on both sides is compared once, on its own. */
  private walk({
    previous,
    next,
    path,
    findings,
    reaches,
    seen,
  }: {
    previous: Shape;
    next: Shape;
    path: string;
    findings: Finding[];
    reaches: Set<string>;
    seen: Set<string>;
  }): void {
    if (previous.kind === "ref" && next.kind === "ref" && previous.name === next.name) {
      const schema = schemaName(previous.name);
      if (schema !== undefined) {
        reaches.add(schema);
        this.compareSchema(schema, previous, next);
        return;
      }
      if (seen.has(previous.name)) return;
      seen = new Set(seen).add(previous.name);
    }
    const before = resolveShape(previous);
    const after = resolveShape(next);
    const recurse = (p: Shape, n: Shape, subpath: string) =>
      this.walk({ previous: p, next: n, path: path + subpath, findings, reaches, seen });
    // `unknown` holds every value: to or from it is a narrowing or a widening, whatever the other side is.
    if (before.kind === "unknown" && after.kind !== "unknown")
      return void findings.push({
        path,
        kind: "narrowed",
        detail: `was \`unknown\`, is now ${label(after)}`,
      });
    if (after.kind === "unknown" && before.kind !== "unknown")
      return void findings.push({
        path,
        kind: "widened",
        detail: `was ${label(before)}, is now \`unknown\``,
      });
    if (isUnionLike(before) || isUnionLike(after)) {
      this.compareUnion({ before, after, path, findings, recurse });
      return;
    }
    if (before.kind === "object" && after.kind === "object") {
      for (const [name, p] of before.properties) {
        const q = after.properties.get(name);
        const at = `${path}.${name}`;
        if (!q) {
          findings.push({ path: at, kind: "property-removed", detail: "", ...inOnly(p) });
          continue;
        }
        if (p.only !== q.only) findings.push(...visibilityChanges(at, p, q));
        else {
          if (p.optional && !q.optional)
            findings.push({ path: at, kind: "property-required", detail: "", ...inOnly(q) });
          if (!p.optional && q.optional)
            findings.push({ path: at, kind: "property-optional", detail: "", ...inOnly(q) });
        }
        recurse(p.shape, q.shape, `.${name}`);
      }
      for (const [name, q] of after.properties)
        if (!before.properties.has(name))
          findings.push({
            path: `${path}.${name}`,
            kind: "property-added",
            detail: q.optional ? "optional" : "required",
            ...inOnly(q),
          });
      if (before.index && !after.index)
        findings.push({ path, kind: "narrowed", detail: "no longer allows additional properties" });
      else if (!before.index && after.index)
        findings.push({ path, kind: "widened", detail: "now allows additional properties" });
      else if (before.index && after.index) recurse(before.index, after.index, "[key]");
      return;
    }
    if (before.kind === "array" && after.kind === "array")
      return recurse(before.items, after.items, "[]");
    if (
      before.kind === "tuple" &&
      after.kind === "tuple" &&
      before.items.length === after.items.length
    )
      return before.items.forEach((item, i) => recurse(item, after.items[i]!, `[${i}]`));
    if (before.kind === "never" && after.kind === "never") return;
    if (before.kind === "opaque" && after.kind === "opaque" && before.text === after.text) return;
    if (before.kind !== after.kind || before.kind === "opaque" || before.kind === "tuple")
      findings.push({
        path,
        kind: "changed",
        detail: `type changed from ${label(before)} to ${label(after)}`,
      });
  }

  private compareSchema(schema: string, previous: Shape, next: Shape): void {
    if (this.schemas.has(schema)) return;
    const entry = { findings: [] as Finding[], reaches: new Set<string>() };
    this.schemas.set(schema, entry);
    // One step of resolution: an alias of another schema is then attributed to that schema.
    const resolve = (shape: Shape) => (shape.kind === "ref" ? shape.resolve() : shape);
    this.walk({
      previous: resolve(previous),
      next: resolve(next),
      path: "",
      findings: entry.findings,
      reaches: entry.reaches,
      seen: new Set(),
    });
  }

  /** Unions, enums, nullability: compares the sets of literal values, primitives and structured members. */
  private compareUnion({
    before,
    after,
    path,
    findings,
    recurse,
  }: {
    before: Shape;
    after: Shape;
    path: string;
    findings: Finding[];
    recurse: (p: Shape, n: Shape, subpath: string) => void;
  }): void {
    const b = membersOf(before);
    const a = membersOf(after);
    const covered = (literal: Shape, primitives: Set<string>) =>
      literal.kind === "literal" && primitives.has(typeof literal.value);
    const added = [
      ...a.literals.filter(
        (l) => !b.literals.some((x) => sameLiteral(x, l)) && !covered(l, b.primitives),
      ),
      ...[...a.primitives].filter((p) => !b.primitives.has(p)).map(primitiveShape),
    ];
    const removed = [
      ...b.literals.filter(
        (l) => !a.literals.some((x) => sameLiteral(x, l)) && !covered(l, a.primitives),
      ),
      ...[...b.primitives].filter((p) => !a.primitives.has(p)).map(primitiveShape),
    ];
    // Structured members, paired for a closer look: first the ones the same on both sides (`A[] | B[]`
    // unchanged), then the ones the same once references are followed (an inline member moved into
    // `components`, a schema renamed), then the rest of each kind (`pairByKind`). Paired members are still
    // walked, for the schemas they reach; the others are removed or added members.
    const unmatched = [...a.structured];
    /** The members not paired by `same` with one after; each pair found is walked. */
    const pairOff = (members: readonly Shape[], same: (p: Shape, n: Shape) => boolean) =>
      members.filter((p) => {
        const i = unmatched.findIndex((n) => same(p, n));
        if (i >= 0) recurse(p, unmatched.splice(i, 1)[0]!, "");
        return i < 0;
      });
    const left = pairOff(pairOff(b.structured, sameShape), sameResolved);
    for (const [p, n] of pairByKind(left, unmatched)) {
      left.splice(left.indexOf(p), 1);
      unmatched.splice(unmatched.indexOf(n), 1);
      recurse(p, n, "");
    }
    removed.push(...left);
    added.push(...unmatched);
    // Nothing in common (`string` → `number`): one incompatible change, not a list of values.
    const kept = b.literals.length + b.primitives.size + b.structured.length - removed.length;
    if (
      kept === 0 &&
      added.length > 0 &&
      removed.length > 0 &&
      !removed.some((x) => toEnumOf(x, a.literals))
    ) {
      findings.push({
        path,
        kind: "changed",
        detail: `type changed from ${label(before)} to ${label(after)}`,
      });
      return;
    }
    // `string` → `"a" | "b"` narrows to an enum (and the reverse widens): one finding, not a value list.
    const toEnum = toEnumOf;
    for (const p of removed.filter((x) => toEnum(x, a.literals))) {
      removed.splice(removed.indexOf(p), 1);
      const values = a.literals.filter(
        (l) => l.kind === "literal" && typeof l.value === (p as { name: string }).name,
      );
      findings.push({
        path,
        kind: "narrowed",
        detail: `narrowed from ${label(p)} to ${values.map(label).join(" | ")}`,
      });
    }
    for (const p of added.filter((x) => toEnum(x, b.literals))) {
      added.splice(added.indexOf(p), 1);
      const values = b.literals.filter(
        (l) => l.kind === "literal" && typeof l.value === (p as { name: string }).name,
      );
      findings.push({
        path,
        kind: "widened",
        detail: `widened from ${values.map(label).join(" | ")} to ${label(p)}`,
      });
    }
    if (added.length > 0)
      findings.push({ path, kind: "values-added", detail: added.map(label).join(", ") });
    if (removed.length > 0)
      findings.push({ path, kind: "values-removed", detail: removed.map(label).join(", ") });
  }
}

/** Whether `literals` hold values of the primitive type `primitive` (`string` → `"a" | "b"`). */
function toEnumOf(primitive: Shape, literals: Shape[]): boolean {
  return (
    primitive.kind === "primitive" &&
    literals.some((l) => l.kind === "literal" && typeof l.value === primitive.name)
  );
}

function isUnionLike(shape: Shape): boolean {
  return shape.kind === "union" || shape.kind === "literal" || shape.kind === "primitive";
}

function membersOf(shape: Shape): {
  literals: Shape[];
  primitives: Set<string>;
  structured: Shape[];
} {
  const all = shape.kind === "union" ? shape.members : [shape];
  const literals: Shape[] = [];
  const primitives = new Set<string>();
  const structured: Shape[] = [];
  for (const member of all) {
    if (member.kind === "literal") literals.push(member);
    else if (member.kind === "primitive") {
      if (member.name === "boolean") {
        literals.push({ kind: "literal", value: true }, { kind: "literal", value: false });
      } else primitives.add(member.name);
    } else if (member.kind !== "never") structured.push(member);
  }
  return { literals, primitives, structured };
}

function sameLiteral(a: Shape, b: Shape): boolean {
  return a.kind === "literal" && b.kind === "literal" && a.value === b.value;
}

/** Equal once references are followed (one level of each side: references inside still compare by name). */
function sameResolved(p: Shape, n: Shape): boolean {
  return sameShape(resolveShape(p), resolveShape(n));
}

/**
 * Pairs of members that changed (before, after), among those left unpaired, by kind once references are
 * followed: the one of its kind on each side; objects by the property names they share, most first (a member
 * sharing none stays unpaired: it was removed, and another added); other kinds in order when each side has as
 * many of them.
 */
function pairByKind(before: readonly Shape[], after: readonly Shape[]): [Shape, Shape][] {
  const pairs: [Shape, Shape][] = [];
  const kinds = new Set([...before, ...after].map((x) => resolveShape(x).kind));
  for (const kind of kinds) {
    const b = before.filter((x) => resolveShape(x).kind === kind);
    const a = after.filter((x) => resolveShape(x).kind === kind);
    if (b.length === 1 && a.length === 1) pairs.push([b[0]!, a[0]!]);
    else if (kind === "object") pairs.push(...pairBySharedProperties(b, a));
    else if (b.length === a.length) b.forEach((x, i) => pairs.push([x, a[i]!]));
  }
  return pairs;
}

function pairBySharedProperties(
  before: readonly Shape[],
  after: readonly Shape[],
): [Shape, Shape][] {
  const names = (x: Shape) => {
    const shape = resolveShape(x);
    return shape.kind === "object" ? [...shape.properties.keys()] : [];
  };
  const candidates = before.flatMap((p, i) =>
    after.map((n, j) => {
      const theirs = new Set(names(n));
      return {
        p,
        n,
        shared: names(p).filter((k) => theirs.has(k)).length,
        order: i * after.length + j,
      };
    }),
  );
  candidates.sort((x, y) => y.shared - x.shared || x.order - y.order);
  const pairs: [Shape, Shape][] = [];
  const used = new Set<Shape>();
  for (const { p, n, shared } of candidates)
    if (shared > 0 && !used.has(p) && !used.has(n)) {
      used.add(p).add(n);
      pairs.push([p, n]);
    }
  return pairs;
}

function sameShapes(p: readonly Shape[], n: readonly Shape[]): boolean {
  return p.length === n.length && p.every((x, i) => sameShape(x, n[i]!));
}

/** Structural equality; references by name (not resolved: a schema's own change is compared on its own). */
function sameShape(p: Shape, n: Shape): boolean {
  switch (p.kind) {
    case "unknown":
    case "never":
      return n.kind === p.kind;
    case "primitive":
      return n.kind === "primitive" && n.name === p.name;
    case "literal":
      return n.kind === "literal" && n.value === p.value;
    case "ref":
      return n.kind === "ref" && n.name === p.name;
    case "opaque":
      return n.kind === "opaque" && n.text === p.text;
    case "array":
      return n.kind === "array" && sameShape(p.items, n.items);
    case "tuple":
      return n.kind === "tuple" && sameShapes(p.items, n.items);
    case "union":
      return n.kind === "union" && sameShapes(p.members, n.members);
    case "object":
      return (
        n.kind === "object" &&
        n.properties.size === p.properties.size &&
        [...p.properties].every(([name, x]) => {
          const y = n.properties.get(name);
          return (
            y !== undefined &&
            y.optional === x.optional &&
            y.only === x.only &&
            sameShape(x.shape, y.shape)
          );
        }) &&
        (p.index === undefined
          ? n.index === undefined
          : n.index !== undefined && sameShape(p.index, n.index))
      );
  }
}

function primitiveShape(name: string): Shape {
  return { kind: "primitive", name };
}

/** How a type is named in messages: a code span, literals and unions member by member. */
function label(shape: Shape): string {
  if (shape.kind === "literal") return JSON.stringify(shape.value);
  if (shape.kind === "union") return shape.members.map(label).join(" | ");
  return `\`${text(shape)}\``;
}

/** A type in a few characters: an object by its first property names (`{ id, name, … }`), an array by its items. */
function text(shape: Shape): string {
  switch (shape.kind) {
    case "literal":
      return JSON.stringify(shape.value);
    case "primitive":
      return shape.name;
    case "ref":
      return schemaName(shape.name) ?? shape.name;
    case "union":
      return shape.members.map(text).join(" | ");
    case "opaque":
      return shape.text.length > 60 ? `${shape.text.slice(0, 57)}...` : shape.text;
    case "array": {
      const items = text(shape.items);
      return shape.items.kind === "union" ? `(${items})[]` : `${items}[]`;
    }
    case "tuple":
      return `[${shape.items.map(text).join(", ")}]`;
    case "object": {
      const names = [...shape.properties.keys()];
      const shown = [...names.slice(0, 3), ...(names.length > 3 ? ["…"] : [])];
      if (shape.index) shown.push("[key]");
      return shown.length === 0 ? "{}" : `{ ${shown.join(", ")} }`;
    }
    default:
      return shape.kind;
  }
}

/** `components["schemas"]["User"]` → `User`; other references are not schemas. */
function schemaName(ref: string): string | undefined {
  const match = /^components\["schemas"\]\[("(?:[^"\\]|\\.)*")\]$/.exec(ref);
  return match ? (JSON.parse(match[1]!) as string) : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
