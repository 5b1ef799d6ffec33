/**
 * Finds, reads and validates `specfetch.config.{ts,mjs,json}`. Every problem is a located `Diagnostic` (file,
 * line:col, JSON pointer, stable code, hint), reported all at once like a spec's, so a typo in a key is named
 * with its place: exact positions for JSON, the first occurrence of the key for `.ts` and `.mjs`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { closest, escapeSegment, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { normalizeHost } from "../load/remote.js";

export const CONFIG_NAMES = [
  "specfetch.config.ts",
  "specfetch.config.mjs",
  "specfetch.config.json",
] as const;

/** Thrown with every problem found in the config file. */
export class ConfigError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(
      `the config has ${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}; nothing was generated`,
    );
    this.name = "ConfigError";
    this.diagnostics = diagnostics;
  }
}

type Kind = "string" | "boolean" | "spec" | "report" | "reporter" | "clients" | "roots" | "hosts";

const CLIENT_KEYS: Record<string, Kind> = {
  spec: "spec",
  out: "string",
  report: "report",
  failOnBreaking: "boolean",
  allowRefRoots: "roots",
  allowRefHosts: "hosts",
};
const RUN_KEYS: Record<string, Kind> = {
  check: "boolean",
  watch: "boolean",
  force: "boolean",
  reporter: "reporter",
  quiet: "boolean",
  verbose: "boolean",
  failOnBreaking: "boolean",
  allowRefRoots: "roots",
  allowRefHosts: "hosts",
};
const TOP_KEYS: Record<string, Kind> = {
  $schema: "string",
  clients: "clients",
  ...RUN_KEYS,
  ...CLIENT_KEYS,
};

/** The keys each level accepts (tests compare them with `specfetch.config.schema.json`). */
export const CONFIG_KEYS = {
  top: Object.keys(TOP_KEYS).sort(),
  client: Object.keys(CLIENT_KEYS).sort(),
};

/** The config file in `cwd`, if there is exactly one; several are an error (which one would win is not obvious). */
export function findConfig(cwd: string): string | undefined {
  const found = CONFIG_NAMES.filter((name) => existsSync(join(cwd, name)));
  if (found.length > 1) {
    throw new ConfigError([
      {
        code: "ambiguous-config",
        severity: "error",
        message: `several config files: ${found.join(", ")}`,
        file: relative(process.cwd(), cwd).replace(/\\/g, "/") || ".",
        pointer: "",
        line: 0,
        col: 0,
        hint: "keep one, or choose with --config <file>",
      },
    ]);
  }
  return found[0] === undefined ? undefined : join(cwd, found[0]);
}

export interface LoadedConfig {
  /** Absolute path of the file. */
  file: string;
  /** Its folder: relative paths in the file are relative to it. */
  dir: string;
  config: Record<string, unknown>;
}

/** Imports (`.ts`, `.mjs`) or parses (`.json`) the file, then validates it; throws `ConfigError`. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const file = resolve(path);
  const display = relative(process.cwd(), file).replace(/\\/g, "/");
  const extension = extname(file).toLowerCase();
  const fail = (message: string, hint?: string): never => {
    throw new ConfigError([
      {
        code: "invalid-config",
        severity: "error",
        message,
        file: display,
        pointer: "",
        line: 0,
        col: 0,
        ...(hint ? { hint } : {}),
      },
    ]);
  };
  if (![".ts", ".mts", ".mjs", ".json"].includes(extension))
    fail(`a config file must be .ts, .mjs or .json: ${display}`);
  const text = await readFile(file, "utf8").catch(() => fail(`cannot read ${display}`));
  let value: unknown;
  let locate: Locator;
  if (extension === ".json") {
    ({ value, locate } = parseJson(text, display));
  } else {
    const module = (await importConfig(file, extension).catch((error: Error) =>
      // esbuild's message is "Transform failed with 1 error:", then the error itself (file:line:col: ERROR: …).
      fail(
        `cannot load ${display}: ${error.message.split("\n").filter(Boolean).slice(0, 2).join(" ")}`,
      ),
    )) as { default?: unknown };
    if (module.default === undefined)
      fail(
        `${display} has no default export`,
        "end it with `export default defineConfig({ ... })`",
      );
    value = module.default;
    locate = sourceLocator(text);
  }
  const diagnostics = validateConfig(value).map(({ message, path, hint, code }) => ({
    code,
    severity: "error" as const,
    message,
    file: display,
    pointer: path.map((s) => "/" + escapeSegment(s)).join(""),
    ...locate(path),
    ...(hint ? { hint } : {}),
  }));
  if (diagnostics.length > 0) throw new ConfigError(sortDiagnostics(diagnostics));
  return { file, dir: resolve(file, ".."), config: value as Record<string, unknown> };
}

/**
 * `.mjs` by `import()`. `.ts` through tsx's `tsImport`, which loads it whatever the nearest package.json's
 * `type` says (a plain `import()` of a `.ts` file in a CommonJS package fails on `export default`); the
 * CommonJS interop wrapper (`{ default: { default: config } }`) is unwrapped.
 */
async function importConfig(file: string, extension: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(file).href;
  if (extension === ".mjs") return (await import(url)) as { default?: unknown };
  const { tsImport } = await import("tsx/esm/api");
  const module = (await tsImport(url, import.meta.url)) as { default?: unknown };
  const inner = module.default;
  // CommonJS output of an ES module (esbuild marks it `__esModule`): its `default` is the export default.
  if (isRecord(inner) && (inner.__esModule === true || Object.keys(inner).join() === "default"))
    return { default: inner.default };
  return module;
}

interface Issue {
  code: string;
  message: string;
  path: (string | number)[];
  hint?: string;
}

/** Checks every key and value; collects all problems. */
export function validateConfig(value: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isRecord(value))
    return [{ code: "invalid-config", message: "the config must be an object", path: [] }];
  checkObject({ value, keys: TOP_KEYS, path: [], issues });
  if (Array.isArray(value.clients)) {
    if (value.clients.length === 0)
      issues.push({ code: "invalid-config", message: "`clients` is empty", path: ["clients"] });
    value.clients.forEach((client, i) => {
      if (!isRecord(client)) {
        issues.push({
          code: "invalid-config-value",
          message: "a client must be an object",
          path: ["clients", i],
        });
        return;
      }
      checkObject({ value: client, keys: CLIENT_KEYS, path: ["clients", i], issues });
      requireKeys({ value: client, keys: ["spec", "out"], path: ["clients", i], issues });
    });
    for (const key of ["spec", "out", "report"])
      if (key in value)
        issues.push({
          code: "invalid-config",
          message: `\`${key}\` belongs in each client when \`clients\` is given`,
          path: [key],
        });
  } else if (!("clients" in value)) {
    requireKeys({ value, keys: ["spec", "out"], path: [], issues });
  }
  if (value.quiet === true && value.verbose === true)
    issues.push({
      code: "invalid-config",
      message: "`quiet` and `verbose` exclude each other",
      path: ["verbose"],
    });
  if (value.check === true && value.watch === true)
    issues.push({
      code: "invalid-config",
      message: "`check` and `watch` exclude each other",
      path: ["watch"],
    });
  return issues;
}

function checkObject({
  value,
  keys,
  path,
  issues,
}: {
  value: Record<string, unknown>;
  keys: Record<string, Kind>;
  path: (string | number)[];
  issues: Issue[];
}): void {
  for (const [key, v] of Object.entries(value)) {
    const kind = keys[key];
    const where = path.length === 0 ? "at the top level" : `in ${pathText(path)}`;
    if (kind === undefined) {
      const similar = closest(key, Object.keys(keys));
      issues.push({
        code: "unknown-config-key",
        message: `unknown key "${key}" ${where}`,
        path: [...path, key],
        hint: similar
          ? `did you mean "${similar}"?`
          : `known keys: ${Object.keys(keys).sort().join(", ")}`,
      });
      continue;
    }
    const problem = checkValue(kind, v);
    if (problem)
      issues.push({
        code: "invalid-config-value",
        message: `"${key}" ${where} ${problem}`,
        path: [...path, key],
      });
  }
}

function checkValue(kind: Kind, v: unknown): string | undefined {
  switch (kind) {
    case "boolean":
      return typeof v === "boolean" ? undefined : "must be true or false";
    case "string":
      return typeof v === "string" && v !== "" ? undefined : "must be a non-empty string";
    case "spec":
      return typeof v === "string" && /\.(ya?ml|json)$/i.test(v)
        ? undefined
        : "must be a .yaml, .yml or .json file";
    case "report":
      return typeof v === "string" && /\.(md|json)$/i.test(v)
        ? undefined
        : "must be a .md or .json file";
    case "reporter":
      return v === "text" || v === "json" || v === "github"
        ? undefined
        : 'must be "text", "json" or "github"';
    case "clients":
      return Array.isArray(v) ? undefined : "must be an array of { spec, out } objects";
    case "roots":
      return Array.isArray(v) && v.every((root) => typeof root === "string" && root !== "")
        ? undefined
        : "must be an array of folder paths (relative to the config file)";
    case "hosts": {
      if (!Array.isArray(v) || !v.every((host) => typeof host === "string"))
        return 'must be an array of hosts, like ["api.example.com", "127.0.0.1:8080"]';
      const invalid = v.map((host: string) => normalizeHost(host)).find((n) => "error" in n);
      return invalid && "error" in invalid ? `has ${invalid.error}` : undefined;
    }
  }
}

function requireKeys({
  value,
  keys,
  path,
  issues,
}: {
  value: Record<string, unknown>;
  keys: string[];
  path: (string | number)[];
  issues: Issue[];
}): void {
  for (const key of keys)
    if (!(key in value))
      issues.push({
        code: "invalid-config",
        message: `missing "${key}" ${path.length === 0 ? "at the top level" : `in ${pathText(path)}`}`,
        path,
        ...(path.length === 0 ? { hint: "give `spec` and `out`, or a `clients` list" } : {}),
      });
}

/** `clients[0].out` */
function pathText(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

type Locator = (path: readonly (string | number)[]) => { line: number; col: number };

/** JSON parsed through `yaml` (a superset) to keep positions; a syntax error is located too. */
function parseJson(text: string, file: string): { value: unknown; locate: Locator } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const error = doc.errors[0];
  let value: unknown;
  try {
    if (error) throw error;
    value = JSON.parse(text);
  } catch (e) {
    const pos = error?.linePos?.[0] ?? { line: 0, col: 0 };
    throw new ConfigError([
      {
        code: "invalid-config",
        severity: "error",
        message: `not valid JSON: ${((e as Error).message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
        file,
        pointer: "",
        line: pos.line,
        col: pos.col,
      },
    ]);
  }
  const locate: Locator = (path) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
        node = node.items[segment];
        offset = (node as Node).range?.[0] ?? offset;
      } else break;
    }
    return lineCounter.linePos(offset);
  };
  return { value, locate };
}

/** For `.ts` and `.mjs`: the first place the last key of the path is written as a property (best effort). */
function sourceLocator(text: string): Locator {
  return (path) => {
    const key = [...path].reverse().find((s): s is string => typeof s === "string");
    if (key === undefined) return { line: 0, col: 0 };
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(^|[\\s{,])(["']?${escaped}["']?)\\s*:`, "m").exec(text);
    if (!match) return { line: 0, col: 0 };
    const offset = match.index + match[1]!.length;
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, col: before.at(-1)!.length + 1 };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
