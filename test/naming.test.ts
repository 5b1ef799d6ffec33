/** Generated names are public API: each rule is order-independent and yields a safe identifier. */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  functionNameOf,
  GENERATED_NAMES,
  RUNTIME_NAMES,
  typeNameOf,
} from "../generator/model/naming.js";
import { RUNTIME_SOURCE } from "./helpers/paths.js";

describe("functionNameOf", () => {
  it.each([
    ["revokeSessionById", "revokeSessionById"],
    ["GetEmbeddedWalletsDeleteRequest", "getEmbeddedWalletsDeleteRequest"],
    ["get-users", "getUsers"],
    ["users.list", "usersList"],
    ["Create_User", "createUser"],
    ["2fa.enable", "_2faEnable"],
    ["delete", "delete_"],
    ["then", "then_"],
    ["constructor", "constructor_"],
    ["createClient", "createClient_"],
    ["send", "send_"],
    ["getÜsers", "getSers"],
  ])("operationId %j → %s", (operationId, name) => {
    expect(functionNameOf({ operationId, method: "get", path: "/x" })).toBe(name);
  });

  it.each([
    ["get", "/users/{user-id}/posts", "getUsersByUserIdPosts"],
    ["post", "/", "post"],
    ["delete", "/v1/items/{id}", "deleteV1ItemsById"],
  ])("without operationId, %s %s → %s", (method, path, name) => {
    expect(functionNameOf({ operationId: null, method: method as "get", path })).toBe(name);
  });

  it("an operationId with no letters or digits falls back to method + path", () => {
    expect(functionNameOf({ operationId: "--", method: "get", path: "/health" })).toBe("getHealth");
  });
});

describe("typeNameOf", () => {
  it.each([
    ["revokeSessionById", "RevokeSessionById"],
    ["delete_", "Delete"],
    ["api", "ApiOperation"],
    ["_2faEnable", "_2faEnable"],
  ])("%s → %s", (functionName, typeName) => expect(typeNameOf(functionName)).toBe(typeName));
});

it("RUNTIME_NAMES lists exactly what generator/runtime/runtime.ts exports", () => {
  const source = ts.createSourceFile(
    "runtime.ts",
    readFileSync(RUNTIME_SOURCE, "utf8"),
    ts.ScriptTarget.Latest,
  );
  const exported = source.statements.flatMap((statement) => {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
    const name = (statement as { name?: ts.Identifier }).name;
    return name ? [name.text] : [];
  });
  expect([...RUNTIME_NAMES].sort()).toEqual(exported.sort());
});

it("no generated helper name is also a runtime export (index.ts re-exports both)", () => {
  expect([...GENERATED_NAMES].filter((n) => RUNTIME_NAMES.has(n))).toEqual([]);
});
