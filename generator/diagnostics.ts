/**
 * Diagnostics: every problem found in a spec names a place (file, line:col, JSON pointer), carries a stable
 * code and a hint, and is collected for the whole document so that a user fixes everything in one pass.
 */

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Stable, kebab-case identifier (documented in the README), e.g. `duplicate-operation-id`. */
  code: string;
  severity: Severity;
  message: string;
  /** The spec file as given to the CLI (relative, forward slashes). */
  file: string;
  /** RFC 6901 JSON pointer into the document, `""` for the root. */
  pointer: string;
  /** 1-based; 0 when the position is unknown. */
  line: number;
  col: number;
  hint?: string;
}

/** Thrown once, after a stage has collected everything it found. */
export class SpecError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(`the spec has ${errors} error${errors === 1 ? "" : "s"}`);
    this.name = "SpecError";
    this.diagnostics = diagnostics;
  }
}

/** Resolves a JSON pointer to a position; provided by the loader, which alone knows the source text. */
export type Locate = (pointer: string) => { line: number; col: number };

export interface DiagnosticInput {
  code: string;
  severity?: Severity;
  message: string;
  pointer: string;
  hint?: string;
}

/** Collects diagnostics for one spec file, locating each when it is reported. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: Locate,
  ) {}

  report(input: DiagnosticInput): void {
    const { line, col } = this.locate(input.pointer);
    this.items.push({ severity: "error", ...input, file: this.file, line, col });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  /** Fails once with everything collected so far, if any of it is an error. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new SpecError(sortDiagnostics(this.items));
  }
}

/** Document order: by line, then column, then code, so output is stable however the checks ran. */
export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  return [...items].sort(
    (a, b) =>
      a.line - b.line ||
      a.col - b.col ||
      a.code.localeCompare(b.code) ||
      a.pointer.localeCompare(b.pointer),
  );
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const pointer = `#${d.pointer}`;
  const hint = d.hint ? `\n  hint: ${d.hint}` : "";
  return `${where} ${d.severity} ${d.code}: ${d.message}\n  at ${pointer}${hint}`;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + escapeSegment(s)).join("");
}

export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
