/**
 * Prints ts-morph statement structures to source text, with ts-morph's own structure printers (one in-memory
 * project for the whole run). The text is what `project.createSourceFile(name, { statements }).getFullText()`
 * returns, without the parse into a SourceFile that call does and nothing here needs (a second of GitHub's run).
 */
import { Project, type CodeBlockWriter, type StatementStructures } from "ts-morph";

/** The part of ts-morph's `ProjectContext` (`project._context`, internal in ts-morph 27) that prints structures. */
interface PrintingContext {
  createWriter(): CodeBlockWriter;
  structurePrinterFactory: {
    forSourceFile(options: { isAmbient: boolean }): {
      printText(writer: CodeBlockWriter, structure: { statements: StatementStructures[] }): void;
    };
  };
}

let context: PrintingContext | undefined;

export function printStatements(fileName: string, statements: StatementStructures[]): string {
  context ??= (
    new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true }) as unknown as {
      _context: PrintingContext;
    }
  )._context;
  const writer = context.createWriter();
  const isAmbient = fileName.endsWith(".d.ts");
  context.structurePrinterFactory.forSourceFile({ isAmbient }).printText(writer, { statements });
  return writer.toString();
}

/** Statements per slice in `formatStatements`: prettier's tree of a slice is freed before the next is parsed. */
const SLICE = 50;

/**
 * The statements printed by ts-morph and formatted by `format` (prettier) a slice at a time: the same bytes as
 * formatting the whole file's text, without prettier holding the tree of all of it at once (GitHub's client.ts is
 * 2.3 MB: about 70 MB less at the run's peak, and less garbage collection). Prettier lays out top-level
 * statements independently; between two it keeps one empty line where the text had one. So slices are joined
 * with an empty line exactly where ts-morph prints one between the two statements they meet at
 * (`test/layout.test.ts` compares with the whole file).
 */
export async function formatStatements(
  fileName: string,
  statements: StatementStructures[],
  format: (text: string) => Promise<string>,
  slice = SLICE,
): Promise<string> {
  let text = "";
  for (let start = 0; start < statements.length; start += slice) {
    if (start > 0 && emptyLineBetween(fileName, statements[start - 1]!, statements[start]!))
      text += "\n";
    text += await format(printStatements(fileName, statements.slice(start, start + slice)));
  }
  return text;
}

/** Whether ts-morph prints an empty line between `a` and `b` (it does around functions, types, interfaces). */
function emptyLineBetween(
  fileName: string,
  a: StatementStructures,
  b: StatementStructures,
): boolean {
  const first = printStatements(fileName, [a]);
  const both = printStatements(fileName, [a, b]);
  if (!both.startsWith(first))
    throw new Error(`ts-morph printed ${fileName}'s statement differently`);
  return /^\r?\n/.test(both.slice(first.length)) || /\n\s*\n$/.test(first);
}
