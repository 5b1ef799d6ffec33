/** Prints ts-morph statement structures to source text (one in-memory project for the whole run). */
import { Project, type StatementStructures } from "ts-morph";

let project: Project | undefined;

export function printStatements(fileName: string, statements: StatementStructures[]): string {
  project ??= new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile(fileName, { statements }, { overwrite: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return text;
}
