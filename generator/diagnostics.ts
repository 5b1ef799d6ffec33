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

/** One diagnostic as plain text: `file:line:col severity code: message`, then the pointer and the hint. */
export function formatDiagnostic(d: Diagnostic, style: TextStyle = PLAIN): string {
  const paint = painter(style.color);
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const severity = paint(d.severity === "error" ? "red" : "yellow", d.severity);
  const lines = [
    `${paint("bold", where)} ${severity} ${paint("dim", d.code)}: ${d.message}`,
    `  at ${paint("dim", `#${d.pointer}`)}`,
  ];
  if (d.hint) lines.push(`  ${paint("cyan", "hint:")} ${d.hint}`);
  const source = style.codeFrame && d.line > 0 ? style.readSource?.(d.file) : undefined;
  if (source !== undefined)
    lines.push(codeFrame({ source, line: d.line, col: d.col, color: style.color }));
  return lines.join("\n");
}

/** How text diagnostics look: colours and code frames are for terminals only (the CLI decides). */
export interface TextStyle {
  color: boolean;
  /** Show the offending lines of the source under each diagnostic. */
  codeFrame: boolean;
  /** The text of a diagnostic's `file`, when it can be read. */
  readSource?: (file: string) => string | undefined;
}

const PLAIN: TextStyle = { color: false, codeFrame: false };

const ANSI = { red: 31, yellow: 33, cyan: 36, green: 32, bold: 1, dim: 2 } as const;
export type Colour = keyof typeof ANSI;

/** `paint("red", text)`, or the text unchanged when colours are off. */
export function painter(color: boolean): (colour: Colour, text: string) => string {
  return (colour, text) => (color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text);
}

/**
 * The lines around `line` with a caret under `col`:
 *
 *      5 |   /users/{userId}:
 *   >  6 |     get:
 *        |     ^
 *      7 |       operationId: getUser
 */
export function codeFrame({
  source,
  line,
  col,
  color = false,
  context = 2,
}: {
  source: string;
  line: number;
  col: number;
  color?: boolean;
  context?: number;
}): string {
  const paint = painter(color);
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? "").replace(/\t/g, " ");
    const gutter = `${n === line ? paint("red", ">") : " "} ${String(n).padStart(width)} | `;
    frame.push(`  ${gutter}${text}`.trimEnd());
    if (n === line)
      frame.push(
        `  ${" ".repeat(width + 2)} | ${" ".repeat(Math.max(0, col - 1))}${paint("red", "^")}`,
      );
  }
  return frame.join("\n");
}

/**
 * A GitHub Actions workflow command (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows as an
 * annotation on the file. Escaping: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
 */
export function formatGithubAnnotation(d: Diagnostic): string {
  const properties = [`file=${escapeProperty(d.file)}`];
  if (d.line > 0) properties.push(`line=${d.line}`, `col=${d.col}`);
  properties.push(`title=${escapeProperty(`specfetch ${d.code}`)}`);
  const message = [d.message, `at #${d.pointer}`, ...(d.hint ? [`hint: ${d.hint}`] : [])].join(
    "\n",
  );
  return `::${d.severity === "error" ? "error" : "warning"} ${properties.join(",")}::${escapeData(message)}`;
}

/** Any workflow command: `::notice title=x::message`. */
export function githubCommand(
  command: "error" | "warning" | "notice",
  properties: Record<string, string>,
  message: string,
): string {
  const list = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(v)}`);
  return `::${command}${list.length > 0 ? " " + list.join(",") : ""}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapeSegment(segment: string | number): string {
  const text = String(segment);
  return /[~/]/.test(text) ? text.replace(/~/g, "~0").replace(/\//g, "~1") : text;
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + escapeSegment(s)).join("");
}

export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  const segments = pointer.slice(1).split("/");
  return pointer.includes("~")
    ? segments.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    : segments;
}

/** The known key closest to a typo (edit distance ≤ 2, or a case-insensitive match). */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
