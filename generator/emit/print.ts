/**
 * The one path by which spec text reaches generated code. Every string, name or number from the spec is
 * printed by one of these functions; emitters never splice raw spec text into code.
 */

/**
 * A TypeScript string literal: JSON escaping (which also escapes lone surrogates), plus U+2028/U+2029 (line
 * terminators in older JS parsers), and a backslash as `\u005c`, never `\\`. ts-morph's writer tracks strings
 * by looking one character back, so it reads the quote after `\\` as escaped: it would then take the spec
 * text that follows for code, and insert a `*\/` or a line break where it believes a comment is open.
 */
export function printString(value: string): string {
  return JSON.stringify(value)
    .replace(/\\(u[0-9a-fA-F]{4}|[^u])/g, (escape, char: string) =>
      char === "\\" ? "\\u005c" : escape,
    )
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words an exported declaration cannot be named (ECMAScript reserved, strict-mode reserved, `then`). */
const NOT_A_BINDING = new Set([
  ...["await", "break", "case", "catch", "class", "const", "continue", "debugger", "default"],
  ...["delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function"],
  ...["if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this"],
  ...["throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static"],
  ...["implements", "interface", "package", "private", "protected", "public", "arguments", "eval"],
  ...["undefined", "NaN", "Infinity", "then", "constructor", "__proto__", "prototype"],
]);

/**
 * An identifier the naming rules produced: ASCII, and not a reserved word. Anything else is a generator bug
 * and stops generation (a second line of defence behind `model/naming.ts`).
 */
export function printIdentifier(name: string): string {
  if (!IDENTIFIER.test(name) || NOT_A_BINDING.has(name))
    throw new Error(`internal: ${printString(name)} is not a safe identifier`);
  return name;
}

/** An object key: bare when it is a plain identifier, quoted otherwise; `__proto__` is computed so it stays data. */
export function printKey(key: string): string {
  if (key === "__proto__") return `[${printString(key)}]`;
  return IDENTIFIER.test(key) ? key : printString(key);
}

export type PrintableValue =
  | string
  | number
  | boolean
  | null
  | readonly PrintableValue[]
  | { readonly [key: string]: PrintableValue };

/** A JSON-like value as a TypeScript expression (used for the `as const` metadata tables). */
export function printValue(value: PrintableValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return printString(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`internal: cannot print ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(printValue).join(", ")}]`;
  const entries = Object.entries(value as Record<string, PrintableValue>);
  return `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printValue(v)}`).join(", ")} }`;
}

const LINE_TERMINATORS = /\r\n|[\r\n\u2028\u2029]/g;
// C0/C1 controls (but tab and newline), DEL, and bidi overrides that could make a comment read differently.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// A lone surrogate cannot be written as UTF-8: it would become U+FFFD on disk anyway, so it does here.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for a JSDoc block: `*\/` cannot close the comment, line breaks are plain `\n`, controls are dropped. */
export function printDocText(text: string): string {
  return text
    .replace(LINE_TERMINATORS, "\n")
    .replace(INVISIBLE, "")
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(/\*\//g, "*\\/")
    .trim();
}

/** Text for a `//` comment: one line, nothing that could end it. */
export function printLineComment(text: string): string {
  return text
    .replace(LINE_TERMINATORS, " ")
    .replace(INVISIBLE, "")
    .replace(LONE_SURROGATE, "\ufffd");
}
