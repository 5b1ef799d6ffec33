/**
 * No spec text becomes code. The generates-and-inert fixtures (`test/fixtures/hostile/injection.yaml`:
 * payloads in every field; `ref-pointer.yaml`: a `$ref` openapi-typescript used to print as code) are
 * generated into a folder outside the repository, then:
 *
 * 1. compiled by `tsc` under the strictest flags, emitting JavaScript;
 * 2. run by plain Node in a child process: every emitted module is imported and every operation is called
 *    against a real local server, with payload values for every parameter and credential;
 * 3. checked: `globalThis.__specfetch_pwned` was never set, each request carries exactly the spec's
 *    parameter names and the values passed (query, header, cookie, path, body, credentials), and the
 *    metadata table holds every spec string exactly as written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";
import { generate } from "../generator/index.js";
import { startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { FIXTURES, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import { checkSource } from "./helpers/security-fuzz.js";

const FIXTURE_NAMES = ["injection", "ref-pointer"] as const;

/** The flags of test/typecheck.test.ts, emitting JavaScript this time. */
const STRICT = { ...STRICTEST_FLAGS, outDir: "dist", rootDir: "." };

/** Values sent for every parameter: quotes, backticks, `${`, comment closers, a line separator, non-ASCII. */
const VALUE =
  '"; globalThis.__specfetch_pwned = 1; "*/ ${globalThis.__specfetch_pwned = 1} \'`\u2028é/';
/** Header values must be ASCII without line breaks (fetch refuses anything else). */
const HEADER_VALUE = '"; globalThis.__specfetch_pwned = 1; "*/ ${x} \'`';

/**
 * Run by Node in a child process: imports every emitted module, calls every operation once, prints JSON.
 * Property names come from the metadata table and are set with defineProperty, so `__proto__` stays a key.
 */
const DRIVER = `
import { pathToFileURL } from "node:url";
const [dir, baseUrl, value, headerValue] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(dir + "/" + file).href);
for (const file of ["schema.js", "runtime.js", "operations.js", "client.js"]) await load(file);
const mod = await load("index.js");
const afterImport = globalThis.__specfetch_pwned ?? null;
const define = (object, key, v) => Object.defineProperty(object, key, { value: v, enumerable: true });
const auth = {};
const keys = {};
Object.keys(mod.securitySchemes).forEach((name, i) => {
  define(keys, name, "key-" + i + "-\\"'\`\${x}");
  define(auth, name, keys[name]);
});
const client = mod.createClient({ baseUrl, auth, retry: false });
const calls = [];
for (const [fn, meta] of Object.entries(mod.operations)) {
  const args = {};
  for (const p of meta.parameters) {
    args[p.in] ??= {};
    define(args[p.in], p.name, p.in === "header" ? headerValue : value);
  }
  if (meta.requestBody) {
    args.body = {};
    define(args.body, value, value);
    define(args.body, "__proto__", { polluted: value });
  }
  let error = null;
  try {
    await mod[fn](args, { client });
  } catch (e) {
    error = String(e);
  }
  calls.push({ fn, args, error });
}
console.log(JSON.stringify({
  afterImport,
  afterCalls: globalThis.__specfetch_pwned ?? null,
  polluted: {}.polluted ?? null,
  keys,
  calls,
  operations: mod.operations,
  securitySchemes: mod.securitySchemes,
  servers: mod.servers,
}));
`;

interface Meta {
  operationId: string;
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  requestBody?: { contentTypes: string[] } | null;
  responses: { [status: string]: string[] };
  security: string[][];
}

interface Driven {
  afterImport: unknown;
  afterCalls: unknown;
  polluted: unknown;
  keys: Record<string, string>;
  calls: { fn: string; args: Record<string, Record<string, unknown>>; error: string | null }[];
  operations: Record<string, Meta>;
  securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
  servers: string[];
}

let outside: string;
let server: RecordingServer;
let tsc: { code: number | null; output: string };

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), "specfetch-hostile-"));
  writeFileSync(join(outside, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(outside, "drive.mjs"), DRIVER);
  for (const name of FIXTURE_NAMES)
    await generate({ spec: join(FIXTURES, `hostile/${name}.yaml`), out: join(outside, name) });
  const files = FIXTURE_NAMES.flatMap((name) => [`${name}/index.ts`, `${name}/schema.ts`]);
  writeFileSync(join(outside, "tsconfig.json"), JSON.stringify({ compilerOptions: STRICT, files }));
  withTypeChecking(outside);
  const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: outside });
  tsc = { code: result.code, output: result.stdout + result.stderr };
  server = await startRecordingServer();
});

afterAll(async () => {
  await server?.close();
  rmSync(outside, { recursive: true, force: true });
});

it("every generated file parses, and no payload is an identifier outside strings and comments", () => {
  for (const name of FIXTURE_NAMES)
    for (const file of ["schema.ts", "operations.ts", "client.ts", "index.ts"]) {
      const text = readFileSync(join(outside, name, file), "utf8");
      checkSource(file, text.replaceAll("__specfetch_pwned", "__specfetch_sentinel"));
    }
});

it("the output compiles under tsc --strict (and the strictest flags besides)", () => {
  expect(tsc.output).toBe("");
  expect(tsc.code).toBe(0);
});

describe.each(FIXTURE_NAMES)("%s.yaml", (name) => {
  let driven: Driven;
  const spec = () => parse(readFileSync(join(FIXTURES, `hostile/${name}.yaml`), "utf8"));

  beforeAll(async () => {
    server.reset();
    const dir = join(outside, "dist", name);
    const result = await run(process.execPath, [
      join(outside, "drive.mjs"),
      dir,
      `${server.origin}/base`,
      VALUE,
      HEADER_VALUE,
    ]);
    expect(result.stderr).toBe("");
    driven = JSON.parse(result.stdout) as Driven;
  });

  it("importing every module and calling every operation never runs injected code", () => {
    expect(driven.afterImport).toBeNull();
    expect(driven.afterCalls).toBeNull();
    expect(driven.polluted).toBeNull();
    expect(driven.calls.map((c) => [c.fn, c.error])).toEqual(
      Object.keys(driven.operations).map((fn) => [fn, null]),
    );
  });

  it("each request carries exactly the spec's names and the values passed", () => {
    expect(server.requests).toHaveLength(driven.calls.length);
    driven.calls.forEach((call, i) => {
      const meta = driven.operations[call.fn]!;
      const request = server.requests[i]!;
      const url = new URL(request.url, server.origin);
      expect(request.method).toBe(meta.method);
      // The path: each template segment filled with the value, percent-encoded (decoded here).
      const expected = `/base${meta.path}`
        .split("/")
        .map((segment) =>
          segment.replace(/^\{(.+)\}$/, (_, p: string) => String(call.args.path![p])),
        );
      expect(url.pathname.split("/").map(decodeURIComponent)).toEqual(expected);
      for (const p of meta.parameters) {
        if (p.in === "query") expect(url.searchParams.getAll(p.name)).toEqual([VALUE]);
        if (p.in === "header") expect(request.headers[p.name.toLowerCase()]).toBe(HEADER_VALUE);
        if (p.in === "cookie") expect(cookies(request.headers.cookie)[p.name]).toBe(VALUE);
      }
      for (const scheme of meta.security[0] ?? []) {
        const s = driven.securitySchemes[scheme]!;
        const key = driven.keys[scheme]!;
        if (s.type === "http") expect(request.headers.authorization).toBe(`Bearer ${key}`);
        if (s.in === "query") expect(url.searchParams.get(s.name!)).toBe(key);
        if (s.in === "header") expect(request.headers[s.name!.toLowerCase()]).toBe(key);
        if (s.in === "cookie") expect(cookies(request.headers.cookie)[s.name!]).toBe(key);
      }
      if (meta.requestBody) {
        expect(request.headers["content-type"]).toBe(meta.requestBody.contentTypes[0]);
        const body = JSON.parse(request.body) as Record<string, unknown>;
        expect(Object.keys(body)).toEqual([VALUE, "__proto__"]);
        expect(body[VALUE]).toBe(VALUE);
      }
    });
  });

  it("the metadata table holds every spec string exactly as written", () => {
    const document = spec() as {
      servers?: { url: string }[];
      paths: Record<string, Record<string, { operationId: string; parameters?: unknown[] }>>;
      components?: { securitySchemes?: Record<string, { name?: string }> };
    };
    const byId = new Map(Object.values(driven.operations).map((m) => [m.operationId, m]));
    for (const [path, item] of Object.entries(document.paths)) {
      const shared = (item.parameters ?? []) as unknown as { name: string }[];
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        const meta = byId.get(op.operationId)!;
        expect(meta).toMatchObject({ method: method.toUpperCase(), path });
        const own = (op.parameters ?? []) as { name: string }[];
        expect(meta.parameters.map((p) => p.name)).toEqual([...shared, ...own].map((p) => p.name));
      }
    }
    const schemes = document.components?.securitySchemes ?? {};
    expect(Object.keys(driven.securitySchemes).sort()).toEqual(Object.keys(schemes).sort());
    for (const [schemeName, scheme] of Object.entries(schemes))
      expect(driven.securitySchemes[schemeName]!.name).toBe(scheme.name);
    expect(driven.servers).toEqual((document.servers ?? [{ url: "/" }]).map((s) => s.url));
  });
});

it("injection.yaml: media types, statuses and enum values reach the output as data", () => {
  const operations = readFileSync(join(outside, "injection/operations.ts"), "utf8");
  expect(operations).toContain(
    `'application/vnd.evil+json; x="*/ globalThis.__specfetch_pwned = 1; /*"'`,
  );
  const schema = readFileSync(join(outside, "injection/schema.ts"), "utf8");
  expect(schema).toContain(`| "\\u2028globalThis.__specfetch_pwned = 1;//"`);
  expect(schema).toContain(`"lone \\uD800 surrogate"?: string;`);
});

it("ref-pointer.yaml: the $ref is read as specfetch reads it (components → *x → Y) and inlined", () => {
  const schema = readFileSync(join(outside, "ref-pointer/schema.ts"), "utf8");
  expect(schema).toContain(`A?: string;`);
  expect(schema).not.toMatch(/^Object\.assign/m);
});

function cookies(header: string | undefined): Record<string, string> {
  const pairs = (header ?? "").split("; ").map((pair) => pair.split("="));
  return Object.fromEntries(
    pairs.map(([k, v]) => [decodeURIComponent(k!), decodeURIComponent(v!)]),
  );
}
