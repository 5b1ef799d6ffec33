// Prepares the floor phase's ts-morph part (bench/floor.mjs): specfetch's ts-morph statement structures for
// client.ts of a spec (operations.ts is laid out without ts-morph), written as JSON (they are plain objects), so that the part can time
// ts-morph printing them without specfetch's own work (validation, the IR) in the process.
//
//   node floor-structures.mjs <specfetch checkout> <spec> <out.json>
//
// Imports specfetch's generator modules through its own tsx: their paths are the generator's internals.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, spec, out] = process.argv.slice(2);
const file = (path) => pathToFileURL(join(root, path)).href;
const { register } = await import(file("node_modules/tsx/dist/esm/api/index.mjs"));
register();
const { loadSpec } = await import(file("generator/load/load-spec.ts"));
const { DiagnosticSink } = await import(file("generator/diagnostics.ts"));
const { buildModel } = await import(file("generator/model/build-operations.ts"));
const { clientStatements } = await import(file("generator/emit/client.ts"));
const { printStatements } = await import(file("generator/emit/source-file.ts"));

const source = await loadSpec({ path: spec, displayPath: spec });
const sink = new DiagnosticSink(source.file, source.locate);
const model = buildModel({
  document: source.document,
  sink,
  locate: source.locate,
  eagerPositions: false,
});
const files = {
  "client.ts": clientStatements(model),
};
// Only if JSON keeps them whole: the part prints the JSON's copy, which must print the same text.
for (const [name, statements] of Object.entries(files))
  if (
    printStatements(name, JSON.parse(JSON.stringify(statements))) !==
    printStatements(name, statements)
  )
    throw new Error(`${name}: its structures do not survive JSON`);
writeFileSync(out, JSON.stringify(files));
