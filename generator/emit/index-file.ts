/** `index.ts`: re-exports everything; schema's `operations` type is renamed so the metadata table keeps its name. */
import { StructureKind, type StatementStructures } from "ts-morph";

/**
 * The helper types `schema.ts` declares when the document has `readOnly`/`writeOnly` properties (`emit/schema.ts`):
 * `Readable<components["schemas"]["User"]>` is a User as responses have it, `Writable<…>` as requests do. A line
 * starting `export type` can only be a declaration: spec text reaches `schema.ts` in comments and string literals.
 */
export function schemaHelpersIn(schema: string): string[] {
  return ["Readable", "Writable"].filter((name) =>
    new RegExp(`^export type ${name}<`, "m").test(schema),
  );
}

/** `schemaHelpers`: the names `schemaHelpersIn` found, re-exported so that a user can name them. */
export function indexStatements({
  schemaHelpers = [],
}: { schemaHelpers?: readonly string[] } = {}): StatementStructures[] {
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
        ...schemaHelpers,
      ],
    },
  ];
}
