/** `index.ts`: re-exports everything; schema's `operations` type is renamed so the metadata table keeps its name. */
import { StructureKind, type StatementStructures } from "ts-morph";

export function indexStatements(): StatementStructures[] {
  return [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./client.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./operations.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./runtime.js" },
    {
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: "./schema.js",
      namedExports: [
        "paths",
        "components",
        "webhooks",
        "$defs",
        { name: "operations", alias: "OperationTypes" },
      ],
    },
  ];
}
