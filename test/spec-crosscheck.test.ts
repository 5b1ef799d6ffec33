/**
 * Cross-checks the committed client (generated/) against spec/dashboard-api.yaml, reading the spec
 * independently: parsed here with `yaml`, `$ref`s resolved here, nothing imported from generator/.
 *
 * Naming notes (Dashboard spec as committed):
 *  - Three operationIds are PascalCase, not camelCase: GetEmbeddedWalletsDeleteRequest, CreateWalletAccount,
 *    GetCreateWalletAccountRequest. Their expected function names are camelCased (first letter lowered); the
 *    table keeps the spec's operationId verbatim.
 *  - GET /membershipEnvironmentIds has no operationId. Its expected function name is derived from method and
 *    path (`get` + path words, `{param}` → `By<Param>`): getMembershipEnvironmentIds. The table's `operationId`
 *    then holds that name (there is none in the spec to compare with).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import * as generated from "../generated/index.js";
import { operations } from "../generated/operations.js";
import type { OperationMeta } from "../generated/runtime.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const specFile = join(projectRoot, "spec", "dashboard-api.yaml");

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const table: Readonly<Record<string, OperationMeta>> = operations;
const exportsByName: Readonly<Record<string, unknown>> = generated;

const doc = parse(readFileSync(specFile, "utf8")) as Json;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows local `#/...` JSON pointers (RFC 6901 escapes), also chains of them. */
function deref(value: unknown, seen: readonly string[] = []): Json {
  if (!isObject(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  const ref = value["$ref"];
  if (typeof ref !== "string") return value;
  if (!ref.startsWith("#/")) throw new Error(`non-local $ref ${ref}`);
  if (seen.includes(ref)) throw new Error(`$ref cycle: ${[...seen, ref].join(" → ")}`);
  let target: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(target) || !(key in target)) throw new Error(`unresolvable $ref ${ref}`);
    target = target[key];
  }
  return deref(target, [...seen, ref]);
}

interface ExpectedParameter {
  name: string;
  in: string;
  required: boolean;
  style: string;
  explode: boolean;
}

interface SpecOperation {
  /** `PUT /sessions/{sessionId}/revoke` */
  label: string;
  method: string;
  path: string;
  operationId: string | null;
  functionName: string;
  parameters: ExpectedParameter[];
  requestBody: { required: boolean; contentTypes: string[] } | null;
  responses: { status: string; contentTypes: string[] }[];
  security: string[][];
}

const isIdentifier = (name: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
const isCamelCase = (name: string) => /^[a-z][A-Za-z0-9]*$/.test(name);

/** camelCase from arbitrary text: words split on non-alphanumerics, first lowered, the rest capitalised. */
function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  return words
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() : w[0]!.toUpperCase()) + w.slice(1))
    .join("");
}

function expectedFunctionName(operationId: string | null, method: string, path: string): string {
  if (operationId !== null) return isCamelCase(operationId) ? operationId : camelCase(operationId);
  const words = path
    .split("/")
    .filter((segment) => segment !== "")
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? ["By", param[1]!] : [segment];
    });
  return camelCase([method, ...words].join(" "));
}

/** OpenAPI: a header parameter named Accept, Content-Type or Authorization is ignored. */
const ignoredHeader = (p: Json) =>
  p["in"] === "header" &&
  ["accept", "content-type", "authorization"].includes(String(p["name"]).toLowerCase());

function expectedParameters(pathItem: Json, operation: Json): ExpectedParameter[] {
  const merged = new Map<string, Json>();
  const add = (list: unknown) => {
    for (const entry of Array.isArray(list) ? list : []) {
      const p = deref(entry);
      merged.set(`${String(p["in"])}:${String(p["name"])}`, p); // operation level comes second and wins
    }
  };
  add(pathItem["parameters"]);
  add(operation["parameters"]);
  return [...merged.values()]
    .filter((p) => !ignoredHeader(p))
    .map((p) => {
      const location = String(p["in"]);
      const style =
        typeof p["style"] === "string"
          ? p["style"]
          : location === "query" || location === "cookie"
            ? "form"
            : "simple";
      return {
        name: String(p["name"]),
        in: location,
        required: location === "path" ? true : p["required"] === true,
        style,
        explode: typeof p["explode"] === "boolean" ? p["explode"] : style === "form",
      };
    });
}

function specOperations(): SpecOperation[] {
  const result: SpecOperation[] = [];
  const paths = doc["paths"];
  if (!isObject(paths)) throw new Error("spec has no paths");
  const rootSecurity = doc["security"];
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathItem = deref(rawItem);
    for (const method of METHODS) {
      const rawOperation = pathItem[method];
      if (rawOperation === undefined) continue;
      const operation = deref(rawOperation);
      const operationId =
        typeof operation["operationId"] === "string" ? operation["operationId"] : null;
      const rawBody = operation["requestBody"];
      const body = rawBody === undefined ? null : deref(rawBody);
      const responses = isObject(operation["responses"]) ? operation["responses"] : {};
      const security = operation["security"] ?? rootSecurity ?? [];
      result.push({
        label: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId,
        functionName: expectedFunctionName(operationId, method, path),
        parameters: expectedParameters(pathItem, operation),
        requestBody:
          body === null
            ? null
            : {
                required: body["required"] === true,
                contentTypes: Object.keys(isObject(body["content"]) ? body["content"] : {}),
              },
        responses: Object.entries(responses).map(([status, response]) => {
          const resolved = deref(response);
          return {
            status: String(status),
            contentTypes: Object.keys(isObject(resolved["content"]) ? resolved["content"] : {}),
          };
        }),
        security: (security as unknown[]).map((requirement) => Object.keys(deref(requirement))),
      });
    }
  }
  return result;
}

const specOps = specOperations();
const sorted = <T>(values: readonly T[]) => [...values].sort();
const show = (value: unknown) => JSON.stringify(value);
/** `PUT /path (functionName)`. */
const who = (op: SpecOperation) => `${op.label} (${op.functionName})`;

/** Runs `check` for each spec operation that has a table entry; returns all mismatch messages. */
function mismatchesOf(check: (op: SpecOperation, meta: OperationMeta) => string[]): string[] {
  return specOps.flatMap((op) => {
    const meta = table[op.functionName];
    return meta === undefined ? [] : check(op, meta);
  });
}

function compare(op: SpecOperation, what: string, expected: unknown, actual: unknown): string[] {
  return show(expected) === show(actual)
    ? []
    : [`${who(op)}: ${what}: expected ${show(expected)}, got ${show(actual)}`];
}

describe("generated/ against spec/dashboard-api.yaml (parsed independently)", () => {
  it("the spec has 275 operations on 216 paths, all on methods this check enumerates", () => {
    const paths = doc["paths"] as Json;
    expect(Object.keys(paths)).toHaveLength(216);
    expect(specOps).toHaveLength(275);
    // OpenAPI 3.2 `query` and `additionalOperations` operations would be missed by the method list above.
    const unenumerated = Object.entries(paths).flatMap(([path, item]) => {
      const pathItem = deref(item);
      return ["query", "additionalOperations"]
        .filter((k) => k in pathItem)
        .map((k) => `${path}: ${k}`);
    });
    expect(unenumerated).toEqual([]);
  });

  it("expected function names are valid identifiers, camelCase, and unique", () => {
    const problems = specOps.flatMap((op) =>
      isIdentifier(op.functionName) && isCamelCase(op.functionName)
        ? []
        : [`${who(op)}: not a camelCase identifier`],
    );
    const byName = new Map<string, string[]>();
    for (const op of specOps)
      byName.set(op.functionName, [...(byName.get(op.functionName) ?? []), op.label]);
    for (const [name, labels] of byName)
      if (labels.length > 1) problems.push(`${name}: ${labels.join(", ")}`);
    expect(problems).toEqual([]);
  });

  it("operations has exactly one entry per spec operation (275, no extra entries)", () => {
    const keys = Object.keys(table);
    expect(keys).toHaveLength(275);
    const expected = new Set(specOps.map((op) => op.functionName));
    const missing = specOps
      .filter((op) => !(op.functionName in table))
      .map((op) => `missing: ${who(op)}`);
    const extra = keys
      .filter((key) => !expected.has(key))
      .map((key) => `extra: ${key} (${table[key]!.method} ${table[key]!.path})`);
    expect([...missing, ...extra]).toEqual([]);
  });

  it("generated/index.ts exports one function per operation (275), named like the operations key", () => {
    const exportedOperationFunctions = Object.entries(exportsByName).filter(
      ([name, value]) => typeof value === "function" && Object.hasOwn(table, name),
    );
    expect(exportedOperationFunctions).toHaveLength(275);
    const missing = specOps
      .filter((op) => typeof exportsByName[op.functionName] !== "function")
      .map((op) => `${who(op)}: no exported function ${op.functionName}`);
    expect(missing).toEqual([]);
  });

  it("operationId, method and path match", () => {
    const mismatches = mismatchesOf((op, meta) => [
      // Without an operationId in the spec, the table's operationId is the function name.
      ...compare(op, "operationId", op.operationId ?? op.functionName, meta.operationId),
      ...compare(op, "method", op.method, meta.method),
      ...compare(op, "path", op.path, meta.path),
    ]);
    expect(mismatches).toEqual([]);
  });

  it("parameters match (name, in, required; path-item and operation level merged, $refs resolved)", () => {
    const key = (p: { name: string; in: string; required: boolean }) =>
      `${p.in}:${p.name}:required=${p.required}`;
    const mismatches = mismatchesOf((op, meta) =>
      compare(op, "parameters", sorted(op.parameters.map(key)), sorted(meta.parameters.map(key))),
    );
    expect(mismatches).toEqual([]);
  });

  it("parameter style and explode match the spec or the OpenAPI defaults", () => {
    const key = (p: { name: string; in: string; style: string; explode: boolean }) =>
      `${p.in}:${p.name}:${p.style}:explode=${p.explode}`;
    const mismatches = mismatchesOf((op, meta) =>
      compare(
        op,
        "parameter styles",
        sorted(op.parameters.map(key)),
        sorted(meta.parameters.map(key)),
      ),
    );
    expect(mismatches).toEqual([]);
  });

  it("request bodies match (presence, required, content types)", () => {
    const mismatches = mismatchesOf((op, meta) => {
      const expected = op.requestBody && {
        required: op.requestBody.required,
        contentTypes: sorted(op.requestBody.contentTypes),
      };
      // The metadata leaves `requestBody` out when there is none.
      const body = meta.requestBody ?? null;
      const actual = body && {
        required: body.required,
        contentTypes: sorted(body.contentTypes),
      };
      return compare(op, "requestBody", expected, actual);
    });
    expect(mismatches).toEqual([]);
  });

  it("response status codes match", () => {
    const mismatches = mismatchesOf((op, meta) =>
      compare(
        op,
        "response statuses",
        sorted(op.responses.map((r) => r.status)),
        sorted(Object.keys(meta.responses)),
      ),
    );
    expect(mismatches).toEqual([]);
  });

  it("response content types match, per status", () => {
    const key = (r: { status: string; contentTypes: readonly string[] }) =>
      `${r.status}:${sorted(r.contentTypes).join(",")}`;
    const mismatches = mismatchesOf((op, meta) =>
      compare(
        op,
        "response content types",
        sorted(op.responses.map(key)),
        sorted(
          Object.entries(meta.responses).map(([status, contentTypes]) =>
            key({ status, contentTypes }),
          ),
        ),
      ),
    );
    expect(mismatches).toEqual([]);
  });

  it("security requirements match (operation level, else root level)", () => {
    const mismatches = mismatchesOf((op, meta) =>
      compare(op, "security", op.security, meta.security),
    );
    expect(mismatches).toEqual([]);
  });
});
