/**
 * The property behind `test/security-fuzz.test.ts` and `npm run fuzz` (`scripts/fuzz-long.ts`): random
 * unicode (line terminators, quotes, backticks, `${`, `*\/`, `</script>`, NUL, lone surrogates, lookalikes)
 * placed into every spec field that reaches generated code. For every generated document, either the spec is
 * rejected with located diagnostics, or:
 *
 * - every generated file parses (TypeScript's own parser, no diagnostics) and is well-formed UTF-16, so it can
 *   be written as UTF-8 without loss;
 * - no identifier `__specfetch_sentinel` exists outside strings and comments (an AST walk);
 * - evaluating `operations.ts` and `client.ts` (transpiled, in a fresh `vm` context) calls nothing: the
 *   sentinel function stays uncalled;
 * - the values round-trip: the evaluated metadata table holds exactly the spec's operationId, path,
 *   parameter names, media types, scheme names, apiKey names and server URL, and `schema.ts` holds the
 *   property names and enum values as string literals.
 *
 * The emitters run on the document directly (no file, no prettier: prettier only reformats what parses).
 */
import vm from "node:vm";
import fc from "fast-check";
import ts from "typescript";
import { DiagnosticSink } from "../../generator/diagnostics.js";
import { clientStatements } from "../../generator/emit/client.js";
import { printStatementsFormatted } from "../../generator/emit/layout.js";
import { operationsTableStatements } from "../../generator/emit/operations-table.js";
import { formatTypeScript } from "../../generator/output/format.js";
import { schemaSource } from "../../generator/emit/schema.js";
import { printStatements } from "../../generator/emit/source-file.js";
import { explainSchemaFailure, validateDocument } from "../../generator/load/validate.js";
import { buildModel } from "../../generator/model/build-operations.js";

export const SENTINEL = "__specfetch_sentinel";

/** Pieces that break naive printers, and payloads that would call the sentinel if they ever became code. */
const FRAGMENTS = [
  '"',
  "'",
  "`",
  "${",
  "}",
  "{",
  "*/",
  "/*",
  "//",
  "\\",
  "</script>",
  "<!--",
  "\u0000",
  "\r",
  "\n",
  "\r\n",
  "\u2028",
  "\u2029",
  "\u0085",
  "\t",
  " ",
  "\u202e",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "а", // Cyrillic a
  "__proto__",
  "constructor",
  "then",
  "#/",
  "%2F",
  "~1",
  "..",
  `${SENTINEL}()`,
  `"; ${SENTINEL}(); "`,
  `'; ${SENTINEL}(); '`,
  `\`; ${SENTINEL}(); \``,
  `*/ ${SENTINEL}() /*`,
  `\${${SENTINEL}()}`,
  `\u2028${SENTINEL}()//`,
  `\r\n${SENTINEL}();//`,
  `}); ${SENTINEL}(); ({`,
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** A string made of hostile fragments, random code points and lone surrogates. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
      { weight: 1, arbitrary: loneSurrogate },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(""));

/** What a header or cookie name may be (RFC 9110 token), with the characters printers find awkward. */
const token = fc.string({
  unit: fc.constantFrom(..."!#$%&'*+-.^_`|~aZ09".split("")),
  minLength: 1,
  maxLength: 8,
});

/** Path characters a path key may hold, with quotes, backticks, comment and template openers among them. */
const pathText = fc
  .array(
    fc.constantFrom(
      ..."aZ09-._~!$&'()*+,;=:@\"`/".split(""),
      "*/",
      "/*",
      "${",
      "а",
      "😀",
      `${SENTINEL}()`,
      `"+${SENTINEL}()+"`,
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(""));

/** Sometimes hostile (mostly rejected), mostly valid (so that generation runs). */
const hostileOr = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 1, arbitrary: hostileString }, { weight: 6, arbitrary: valid });

export interface FuzzFields {
  title: string;
  text: string;
  operationId: string;
  summary: string;
  description: string;
  pathSegment: string;
  pathParam: string;
  queryName: string;
  headerName: string;
  cookieName: string;
  enumValues: string[];
  example: string;
  defaultValue: string;
  serverUrl: string;
  tag: string;
  schemeName: string;
  apiKeyName: string;
  mediaType: string;
  propertyNames: string[];
}

export const fuzzFields: fc.Arbitrary<FuzzFields> = fc.record({
  title: hostileString,
  text: hostileString,
  operationId: hostileString,
  summary: hostileString,
  description: hostileString,
  pathSegment: hostileOr(pathText),
  pathParam: hostileOr(
    fc.string({ unit: fc.constantFrom(..."aZ09-._~!$&'()*+,;=:@\"`".split("")), minLength: 1 }),
  ),
  queryName: hostileString,
  headerName: hostileOr(token),
  cookieName: hostileOr(token),
  enumValues: fc.uniqueArray(hostileString, { minLength: 1, maxLength: 3 }),
  example: hostileString,
  defaultValue: hostileString,
  serverUrl: hostileString,
  tag: hostileString,
  schemeName: hostileString,
  apiKeyName: hostileOr(token),
  mediaType: hostileString,
  propertyNames: fc.uniqueArray(hostileString, { minLength: 1, maxLength: 3 }),
});

export function fuzzDocument(f: FuzzFields): Record<string, unknown> {
  const schema = { $ref: "#/components/schemas/Thing" };
  const stringSchema = {
    type: "string",
    enum: f.enumValues,
    default: f.defaultValue,
    example: f.example,
  };
  const properties: Record<string, unknown> = {};
  for (const name of f.propertyNames)
    Object.defineProperty(properties, name, {
      enumerable: true,
      value: { ...stringSchema, description: f.text, examples: [f.example], title: f.title },
    });
  return {
    openapi: "3.1.0",
    info: { title: f.title, version: "1", description: f.description },
    servers: [{ url: f.serverUrl, description: f.text }],
    tags: [{ name: f.tag, description: f.text }],
    paths: {
      [`/${f.pathSegment}/{${f.pathParam}}`]: {
        post: {
          operationId: f.operationId,
          summary: f.summary,
          description: f.description,
          tags: [f.tag],
          parameters: [
            { name: f.pathParam, in: "path", required: true, schema: { type: "string" } },
            { name: f.queryName, in: "query", description: f.text, schema: stringSchema },
            { name: f.headerName, in: "header", schema: { type: "string" } },
            { name: f.cookieName, in: "cookie", schema: { type: "string" } },
          ],
          security: [{ [f.schemeName]: [] }],
          requestBody: { content: { [f.mediaType]: { schema } } },
          responses: {
            "200": { description: f.text, content: { [f.mediaType]: { schema } } },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        [f.schemeName]: { type: "apiKey", in: "header", name: f.apiKeyName, description: f.text },
      },
      schemas: {
        Thing: { type: "object", title: f.title, description: f.description, properties },
      },
    },
  };
}

export type Outcome =
  | { kind: "rejected"; codes: string[] }
  | { kind: "generated"; files: Record<string, string> }
  | { kind: "failed"; message: string };

/** Runs the emitters on one document and checks every property; throws (with the reason) on a violation. */
export async function checkDocument(document: Record<string, unknown>): Promise<Outcome> {
  const sink = new DiagnosticSink("fuzz.json", () => ({ line: 1, col: 1 }));
  const valid = validateDocument({ document, sink });
  const model = valid ? buildModel({ document, sink, locate: () => ({ line: 1, col: 1 }) }) : null;
  if (!model || sink.hasErrors) return rejectedOutcome(sink);
  let files: Record<string, string>;
  try {
    files = {
      "schema.ts": await schemaSource(document),
      "operations.ts": await printStatementsFormatted(
        operationsTableStatements(model),
        formatTypeScript,
      ),
      "client.ts": printStatements("client.ts", clientStatements(model)),
    };
  } catch (error) {
    // As `generate()` does: an openapi-typescript failure that names in the spec explain is a rejection.
    if (explainSchemaFailure({ error, document, sink })) return rejectedOutcome(sink);
    // Anything else is a crash without a location: `runFuzz` counts it, and the tests fail on it.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "failed", message: message.split("\n")[0]!.slice(0, 80) };
  }
  for (const [name, text] of Object.entries(files)) checkSource(name, text);
  checkRoundTrip({ document, files });
  return { kind: "generated", files };
}

function rejectedOutcome(sink: DiagnosticSink): Outcome {
  const errors = sink.items.filter((d) => d.severity === "error");
  if (errors.length === 0) throw new Error("rejected without an error diagnostic");
  for (const d of errors)
    if (!d.code || typeof d.pointer !== "string" || d.line < 1)
      throw new Error(`unlocated diagnostic ${JSON.stringify(d)}`);
  return { kind: "rejected", codes: [...new Set(errors.map((d) => d.code))] };
}

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Parses without diagnostics, is well-formed UTF-16, and has no sentinel identifier. */
export function checkSource(name: string, text: string): ts.SourceFile {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (diagnostics.length > 0) {
    const first = diagnostics[0]!;
    const message = ts.flattenDiagnosticMessageText(first.messageText, "\n");
    const around = text.slice(Math.max(0, (first.start ?? 0) - 80), (first.start ?? 0) + 80);
    throw new Error(`${name} does not parse: ${message} near ${JSON.stringify(around)}`);
  }
  if (LONE.test(text)) throw new Error(`${name} holds a lone surrogate (not writable as UTF-8)`);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === SENTINEL)
      throw new Error(`${name}: the sentinel is an identifier (code) at ${node.getStart()}`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return file;
}

interface Evaluated {
  operations: Record<string, Record<string, unknown>>;
  securitySchemes: Record<string, Record<string, unknown>>;
  servers: string[];
}

/** Transpiles and runs `operations.ts` and `client.ts` in a fresh context whose only function is the sentinel. */
export function evaluateTables(files: Record<string, string>): Evaluated {
  const calls: string[] = [];
  const context = vm.createContext({
    [SENTINEL]: () => calls.push("sentinel"),
  });
  const run = (source: string, modules: Record<string, unknown>) => {
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const module = { exports: {} as Record<string, unknown> };
    const require = (specifier: string) => modules[specifier] ?? {};
    vm.runInContext(`(function (module, exports, require) {${js}\n})`, context)(
      module,
      module.exports,
      require,
    );
    return module.exports;
  };
  const tables = run(files["operations.ts"]!, {}) as unknown as Evaluated;
  const runtime = {
    ApiError: class {},
    createRuntimeClient: (config: unknown) => ({ config }),
    send: () => calls.push("send"),
  };
  run(files["client.ts"]!, { "./runtime.js": runtime, "./operations.js": tables });
  if (calls.length > 0) throw new Error(`evaluating the output called: ${calls.join(", ")}`);
  if ((context as Record<string, unknown>).__specfetch_pwned !== undefined)
    throw new Error("evaluating the output set a global");
  return tables;
}

function checkRoundTrip({
  document,
  files,
}: {
  document: Record<string, unknown>;
  files: Record<string, string>;
}): void {
  const { operations, securitySchemes, servers } = evaluateTables(files);
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const [path, item] = Object.entries(paths)[0]!;
  const op = item.post!;
  const meta = Object.values(operations)[0]!;
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      throw new Error(`${what}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
  };
  expect("operationId", meta.operationId, op.operationId);
  expect("path", meta.path, path);
  expect(
    "parameter names",
    (meta.parameters as { name: string }[]).map((p) => p.name),
    (op.parameters as { name: string }[]).map((p) => p.name),
  );
  const mediaTypes = Object.keys((op.requestBody as { content: object }).content);
  expect("media types", (meta.requestBody as { contentTypes: string[] }).contentTypes, mediaTypes);
  const components = document.components as Record<string, Record<string, Record<string, unknown>>>;
  const schemes = components.securitySchemes!;
  expect("scheme names", Object.keys(securitySchemes), Object.keys(schemes));
  expect(
    "apiKey names",
    Object.values(securitySchemes).map((s) => s.name),
    Object.values(schemes).map((s) => s.name),
  );
  expect(
    "servers",
    servers,
    (document.servers as { url: string }[]).map((s) => s.url),
  );
  checkSchemaLiterals({ document, schema: files["schema.ts"]! });
}

/** Every property name and enum value of the spec is a string literal (or plain name) in `schema.ts`. */
function checkSchemaLiterals({
  document,
  schema,
}: {
  document: Record<string, unknown>;
  schema: string;
}): void {
  const file = ts.createSourceFile("schema.ts", schema, ts.ScriptTarget.Latest, true);
  const literals = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isIdentifier(node) || ts.isNumericLiteral(node))
      literals.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const thing = (
    (document.components as Record<string, Record<string, Record<string, unknown>>>).schemas!
      .Thing as { properties: Record<string, { enum: string[] }> }
  ).properties;
  for (const name of Object.keys(thing)) {
    if (!literals.has(name) && !literals.has(String(Number(name))))
      throw new Error(`schema.ts lost the property name ${JSON.stringify(name)}`);
    for (const value of thing[name]!.enum)
      if (!literals.has(value))
        throw new Error(`schema.ts lost the enum value ${JSON.stringify(value)}`);
  }
}

export interface FuzzResult {
  generated: number;
  rejected: number;
  /** By diagnostic code: how many rejected documents had one. */
  codes: Record<string, number>;
  /** Crashes without a location (no output, no diagnostic) by message: any is a failure of the property. */
  failed: Record<string, number>;
  /** The fields of the first document that failed with each message, to replay it. */
  failedExamples: Record<string, FuzzFields>;
  /** `schema.ts`, `operations.ts` and `client.ts` of the first `keep` generated documents (to type-check). */
  samples: Record<string, string>[];
}

/** Runs `count` random documents; returns how many were generated, rejected (by code) and failed. */
export async function runFuzz({
  count,
  seed,
  keep = 0,
  onProgress,
}: {
  count: number;
  seed?: number;
  keep?: number;
  onProgress?: (done: number) => void;
}): Promise<FuzzResult> {
  const result: FuzzResult = {
    generated: 0,
    rejected: 0,
    codes: {},
    failed: {},
    failedExamples: {},
    samples: [],
  };
  let done = 0;
  await fc.assert(
    fc.asyncProperty(fuzzFields, async (fields) => {
      const outcome = await checkDocument(fuzzDocument(fields));
      if (outcome.kind === "generated") {
        result.generated++;
        if (result.samples.length < keep) result.samples.push(outcome.files);
      } else if (outcome.kind === "failed") {
        result.failed[outcome.message] = (result.failed[outcome.message] ?? 0) + 1;
        result.failedExamples[outcome.message] ??= fields;
      } else {
        result.rejected++;
        for (const code of outcome.codes) result.codes[code] = (result.codes[code] ?? 0) + 1;
      }
      onProgress?.(++done);
    }),
    { numRuns: count, ...(seed === undefined ? {} : { seed }), endOnFailure: true },
  );
  return result;
}
