/**
 * `operations.ts` laid out by prettier's own line-fitting printer (`prettier/doc`) from documents (`Doc`s) built
 * here, instead of printing it as flat text and having prettier parse it back. The metadata is a data table
 * (GitHub's is 1 MB): parsing it cost prettier about 1 s of the main thread, the critical path of a run, for a
 * layout that depends only on the few rules below. The typed functions (`client.ts`) are laid out the same way
 * from their ts-morph structures, in `client-layout.ts`, which shares the pieces below.
 *
 * Each builder mirrors one rule of prettier 3 (`src/language-js/print/*.js`), named in its comment.
 * `test/layout.test.ts` checks that prettier changes nothing in what is printed here, and that the bytes are
 * those of the ts-morph + prettier path. A statement this module cannot vouch for (see `Unsure`) is formatted by
 * prettier itself, alone (prettier lays top-level statements out independently).
 */
import { builders, printer, type builders as DocTypes } from "prettier/doc";

export type Doc = DocTypes.Doc;

/** prettier's document builders, for this module and `client-layout.ts`. */
export const {
  group,
  indent,
  align,
  line,
  softline,
  hardline,
  ifBreak,
  join,
  lineSuffixBoundary,
  indentIfBreak,
} = builders;

/** The width generated files are formatted to (as `output/format.ts` gives prettier). */
export const PRINT_WIDTH = 100;

/** A statement this module cannot print exactly as prettier would: it goes to prettier instead. */
export class Unsure extends Error {}

/** Lays a document out at `PRINT_WIDTH`, as prettier does. */
export function printDoc(doc: Doc): string {
  return printer.printDocToString(doc, { printWidth: PRINT_WIDTH, tabWidth: 2, useTabs: false })
    .formatted;
}

// ---------------------------------------------------------------------------------------------- literals

/**
 * A string literal as prettier prints `printString(value)`'s double-quoted text (`utils/print-string.js`):
 * double quotes unless the text holds more `"` than `'`; then single quotes, `\"` unescaped and `'` escaped.
 */
export function stringLiteral(printed: string): string {
  const content = printed.slice(1, -1);
  let doubles = 0;
  let singles = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 34) doubles++;
    else if (c === 39) singles++;
  }
  if (doubles <= singles) return printed;
  const body = content.replace(/\\(["'\\])|(["'])/g, (match, escaped?: string, quote?: string) =>
    escaped ? (escaped === '"' ? '"' : match) : quote === "'" ? "\\'" : (quote ?? match),
  );
  return `'${body}'`;
}

// ---------------------------------------------------------------------------------------------- comments

/**
 * A JSDoc block as ts-morph writes it (`JSDocStructurePrinter`: one line if the text is one line, else ` * `
 * before every line), then as prettier reprints such a comment (`printIndentableBlockComment`): lines trimmed,
 * a line that ends in two spaces (a Markdown line break) keeping exactly two.
 */
export function jsDoc(text: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length <= 1) return `/** ${lines[0] ?? ""} */`;
  const start = lines[0]!.length === 0 ? 1 : 0;
  const out = ["/**"];
  for (let i = start; i < lines.length; i++) {
    const raw = ` *${lines[i]!.length > 0 ? ` ${lines[i]}` : ""}`;
    const trimmed = raw.trim();
    out.push(trimmed !== "*" && raw.endsWith("  ") ? ` ${trimmed}  ` : ` ${trimmed}`);
  }
  out.push(" */");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------- expressions

/** An expression's document, with what prettier's layout rules ask of it. */
export interface Expr {
  doc: Doc;
  kind: "string" | "boolean" | "number" | "object" | "array" | "other";
  /** Properties of an object, elements of an array. */
  size?: number;
}

export const identifier = (name: string): Expr => ({ doc: name, kind: "other" });

export function stringExpr(printed: string): Expr {
  return { doc: stringLiteral(printed), kind: "string" };
}

/**
 * `{ a: 1, b }` (`print/object.js`): on one line when it fits, else one property per line. Keys as `printKey`
 * printed them.
 */
export function objectExpr(properties: readonly [key: string, value: Expr][]): Expr {
  if (properties.length === 0) return { doc: "{}", kind: "object", size: 0 };
  const printed = properties.map(([key, value]) => propertyDoc(key, value));
  return {
    doc: group(["{", indent([line, join([",", line], printed)]), ifBreak(","), line, "}"]),
    kind: "object",
    size: properties.length,
  };
}

/**
 * `key: value` (`print/assignment.js`, `chooseLayout`): a key shorter than 5 columns never breaks after the
 * colon; a string breaks after it before it would overflow; a boolean or number never does; anything else
 * breaks inside itself first ("fluid").
 */
function propertyDoc(printedKey: string, value: Expr): Doc {
  if (/[^\x20-\x7e]/.test(printedKey)) throw new Unsure(); // prettier may unquote a non-ASCII identifier name
  const key = printedKey.startsWith('"') ? stringLiteral(printedKey) : printedKey;
  const shortKey = key.length < 5;
  if (value.kind === "string" && !shortKey)
    return group([key, ":", group(indent([line, value.doc]))]);
  if (shortKey || value.kind === "boolean" || value.kind === "number")
    return group([key, ":", " ", value.doc]);
  return fluid([key, ":"], value.doc);
}

/** The "fluid" assignment layout: the value breaks inside itself before it moves to the next line. */
function fluid(left: Doc, right: Doc): Doc {
  const id = Symbol("assignment");
  return group([
    left,
    group(indent(line), { id }),
    lineSuffixBoundary,
    indentIfBreak(right, { groupId: id }),
  ]);
}

/**
 * `[a, b]` (`print/array.js`): one element per line when it does not fit, or always when there are several
 * elements that are all objects (or all arrays) of more than one entry.
 */
export function arrayExpr(elements: readonly Expr[]): Expr {
  if (elements.length === 0) return { doc: "[]", kind: "array", size: 0 };
  if (elements.every((e) => e.kind === "number")) throw new Unsure(); // printed with `fill`
  const first = elements[0]!.kind;
  const shouldBreak =
    elements.length > 1 &&
    (first === "object" || first === "array") &&
    elements.every((e) => e.kind === first && (e.size ?? 0) > 1);
  return {
    doc: group(
      [
        "[",
        indent([
          softline,
          join(
            [",", line],
            elements.map((e) => group(e.doc)),
          ),
          ifBreak(","),
        ]),
        softline,
        "]",
      ],
      { shouldBreak },
    ),
    kind: "array",
    size: elements.length,
  };
}

/** `export const name = value;` with `value`'s own suffix (`as const`, `satisfies T`), documented. */
export function exportConst({
  doc,
  name,
  value,
  suffix,
}: {
  doc: string;
  name: string;
  value: Expr;
  suffix: string;
}): Doc {
  return [
    doc,
    hardline,
    "export ",
    group(["const ", fluid([name, " ="], [value.doc, suffix]), ";"]),
  ];
}

/**
 * `import { a, type B } from "x";` (`print/module.js`): on one line when it fits, else one name per line; a
 * single name never breaks.
 */
export function moduleNames(head: string, names: readonly string[], from: string): Doc {
  if (names.length <= 1)
    return `${head} {${names.length === 1 ? ` ${names[0]} ` : ""}} from ${from};`;
  return [
    head,
    " ",
    group(["{", indent([line, join([",", line], [...names])]), ifBreak(","), line, "}"]),
    ` from ${from};`,
  ];
}

/** One statement of a file: its document, or (when `doc` throws `Unsure`) its source for prettier. */
export interface Statement {
  doc: () => Doc;
  /** Valid source of the same statement, any layout (used only when `doc` throws `Unsure`). */
  source: () => string;
  /** Text after the statement, laid out or formatted: `"\n"` for an empty line before the next one. */
  after?: string;
}

/**
 * A file's text: its statements laid out one after another (no empty line between them, as ts-morph prints
 * variable statements). A statement that is `Unsure` is formatted by `format` (prettier) on its own: prettier
 * lays top-level statements out independently, so the file is what prettier would make of the whole.
 */
export async function printStatementsFormatted(
  statements: readonly Statement[],
  format: (source: string) => Promise<string>,
): Promise<string> {
  const parts: string[] = [];
  for (const statement of statements) {
    let text: string;
    try {
      text = printDoc([statement.doc(), hardline]);
    } catch (error) {
      if (!(error instanceof Unsure)) throw error;
      text = await format(statement.source());
    }
    parts.push(text, statement.after ?? "");
  }
  return parts.join("");
}
