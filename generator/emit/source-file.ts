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
