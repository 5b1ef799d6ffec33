/** `index.ts`: re-exports everything; schema's `operations` type is renamed so the metadata table keeps its name. */
import { StructureKind, type StatementStructures } from "ts-morph";

export function indexStatements(): StatementStructures[] {
  return [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./client.js" },
    // Named, not `*`: the per-operation metadata constants stay an implementation detail.
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: "./operations.js",
      namedExports: ["operations", "securitySchemes", "servers", "serverTemplates"],
    },
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
