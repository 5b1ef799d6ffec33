// One part of the floor phase (bench/floor.mjs), run as its own whole process:
//
//   node floor-runner.mjs <part> <specfetch checkout> <spec.json> <dir with specfetch's client.ts>
//     <structures.json: specfetch's ts-morph structures for client.ts, from bench/lib/floor-structures.mjs>
//
// Loads only the modules the part needs, from the specfetch checkout's own node_modules (the product's pipeline:
// openapi-typescript, ts-morph, prettier, yaml), does the part's work and prints one JSON line
// {"steps": {<step>: ms}}: how long each step took inside the process (performance.now(), milliseconds), so
// that the floor can move a step from one thread to the other. Wall time and peak RSS of the whole process are
// measured outside, by bench/lib/measure.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [part, root, specPath, outputDir, structuresPath] = process.argv.slice(2);
const steps = {};
/** Run `work` and record its duration under `name`. */
async function step(name, work) {
  const started = performance.now();
  const value = await work();
  steps[name] = performance.now() - started;
  return value;
}
const load = (pkg, file) => import(pathToFileURL(join(root, "node_modules", pkg, file)).href);

/** The main thread's modules: yaml (a YAML spec), ts-morph (emission, with its own TypeScript), prettier. */
async function loadMainModules() {
  await step("load yaml", () => load("yaml", "dist/index.js"));
  const tsMorph = await step("load ts-morph", () => load("ts-morph", "dist/ts-morph.js"));
  return { tsMorph: tsMorph.default, prettier: await loadPrettier() };
}

/** prettier and the two plugins its `babel-ts` parser and printer need (it would load them on the first format). */
function loadPrettier() {
  return step("load prettier", async () => {
    const [prettier, babel, estree] = await Promise.all([
      load("prettier", "index.mjs"),
      load("prettier", "plugins/babel.mjs"),
      load("prettier", "plugins/estree.mjs"),
    ]);
    return { format: prettier.format, plugins: [babel.default ?? babel, estree.default ?? estree] };
  });
}

/**
 * The parts of openapi-typescript its types step runs, as specfetch imports them (generator/emit/openapi-typescript.ts):
 * its package entry would also load @redocly/openapi-core for the lint and bundle steps a pipeline skips.
 */
async function loadOpenapiTypescript() {
  return step("load openapi-typescript", async () => {
    const [ts, utils, transform] = await Promise.all([
      load("openapi-typescript", "dist/lib/ts.mjs"),
      load("openapi-typescript", "dist/lib/utils.mjs"),
      load("openapi-typescript", "dist/transform/index.mjs"),
    ]);
    return { ts, utils, transformSchema: transform.default };
  });
}

const readAndParse = () =>
  step("read + JSON.parse", () => JSON.parse(readFileSync(specPath, "utf8")));

/**
 * openapi-typescript's types for the document: `openapiTS()` without its Redocly lint and bundle (a parsed,
 * validated document needs neither; specfetch skips them too), with the context `openapiTS()` builds from its
 * default options (openapi-typescript 7.13.0, src/index.ts), then `astToString`.
 */
async function types({ ts, utils, transformSchema }, document) {
  const ctx = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: utils.scanDiscriminators(document, { silent: true }),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined,
    silent: true,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => utils.resolveRef(document, $ref, { silent: true }),
  };
  const ast = await step("openapi-typescript transform", () => transformSchema(document, ctx));
  const text = await step("openapi-typescript astToString", () => ts.astToString(ast));
  return text.length;
}

/** A generated file's body: what prettier formatted (after the banner and the `@ts-nocheck` line). */
function body(name) {
  const text = readFileSync(join(outputDir, name), "utf8");
  const nocheck = text.indexOf("// @ts-nocheck");
  return text.slice(text.indexOf("\n", nocheck) + 1);
}

/**
 * prettier with specfetch's options (generator/output/format.ts), on the cheapest input it can get: every
 * top-level doc comment laid aside, a marker statement in its place, since prettier prints such a comment as it
 * is. (specfetch itself no longer has prettier parse client.ts: generator/emit/client-layout.ts lays it out with
 * prettier's doc printer from the structures.)
 */
async function formatFiles({ format, plugins }, names) {
  for (const name of names) {
    let docs = 0;
    const source = body(name).replace(
      /(?<=^|\n)\/\*\*[\s\S]*?\*\/\n/g,
      () => `SPECFETCH_DOC_${docs++};\n`,
    );
    await step(`prettier ${name}`, () =>
      format(source, { parser: "babel-ts", printWidth: 100, endOfLine: "lf", plugins }),
    );
  }
}

/**
 * ts-morph printing statement structures, as specfetch does (generator/emit/source-file.ts): its structure
 * printers on one in-memory project, without parsing into a SourceFile. `structures` (bench/lib/floor-structures.mjs)
 * is JSON: { [file]: StatementStructures[] }.
 */
async function emitFiles(tsMorph, structures, names) {
  const context = await step("ts-morph project", () => {
    const project = new tsMorph.Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    return project._context;
  });
  for (const name of names)
    await step(`ts-morph ${name}`, () => {
      const writer = context.createWriter();
      context.structurePrinterFactory
        .forSourceFile({ isAmbient: false })
        .printText(writer, { statements: structures[name] });
      return writer.toString().length;
    });
}

/** The files the pipeline emits with ts-morph and formats with prettier (operations.ts is laid out without). */
const FILES = ["client.ts"];

const parts = {
  /** Node's start and exit, nothing loaded: the baseline every other part includes. */
  node: async () => {},
  /** Every module the pipeline loads, one after the other. */
  load: async () => {
    await loadMainModules();
    await loadOpenapiTypescript();
  },
  parse: async () => {
    await readAndParse();
  },
  /** The schema thread's unavoidable work: load openapi-typescript, parse the document, print its types. */
  types: async () => {
    const openapiTypescript = await loadOpenapiTypescript();
    await types(openapiTypescript, await readAndParse());
  },
  /** prettier alone on specfetch's client.ts. */
  format: async () => {
    await formatFiles(await loadPrettier(), FILES);
  },
  /** ts-morph printing specfetch's structures for client.ts (read from JSON first, not counted). */
  emit: async () => {
    const tsMorph = await step("load ts-morph", () => load("ts-morph", "dist/ts-morph.js"));
    const structures = await step("read structures", () =>
      JSON.parse(readFileSync(structuresPath, "utf8")),
    );
    await emitFiles(tsMorph.default, structures, FILES);
  },
  /**
   * The main thread's unavoidable work: load its modules, parse the document (the IR is built from it), print
   * client.ts's structures with ts-morph, format it. Reading the structures from JSON stands for building
   * them from the IR: its step is not counted in the floor. specfetch's own work (checks, the IR) is left out.
   */
  main: async () => {
    const modules = await loadMainModules();
    let document = await readAndParse();
    if (typeof document !== "object") throw new Error("not a JSON object");
    document = null; // a floor: nothing keeps the document while printing and formatting
    let structures = await step("read structures", () =>
      JSON.parse(readFileSync(structuresPath, "utf8")),
    );
    await emitFiles(modules.tsMorph, structures, FILES);
    structures = null; // nor the structures once printed
    await formatFiles(modules.prettier, FILES);
  },
};

if (!Object.hasOwn(parts, part)) {
  console.error(`floor-runner: unknown part ${part}; one of ${Object.keys(parts).join(", ")}`);
  process.exit(2);
}
await parts[part]();
console.log(JSON.stringify({ steps }));
