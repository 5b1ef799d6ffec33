/** `index.ts`: re-exports everything; schema's `operations` type is renamed so the metadata table keeps its name. */
import { moduleNames, type Statement } from "./layout.js";

const fixed = (text: string): Statement => ({ doc: () => text, source: () => text });

export function indexStatements(): Statement[] {
  const operations = ["operations", "securitySchemes", "servers", "serverTemplates"];
  const schema = ["paths", "components", "webhooks", "$defs", "operations as OperationTypes"];
  return [
    fixed('export * from "./client.js";'),
    // Named, not `*`: the per-operation metadata constants stay an implementation detail.
    {
      doc: () => moduleNames("export", operations, '"./operations.js"'),
      source: () => `export { ${operations.join(", ")} } from "./operations.js";`,
    },
    fixed('export * from "./runtime.js";'),
    {
      doc: () => moduleNames("export type", schema, '"./schema.js"'),
      source: () => `export type { ${schema.join(", ")} } from "./schema.js";`,
    },
  ];
}
