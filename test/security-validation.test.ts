/**
 * Validation before output: what could redirect a request, inject a header or shadow a generated name is
 * rejected with its location, and nothing is written. Plus the naming rules that keep every generated
 * identifier safe, and the fixed set of file names (no spec text ever picks a path).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import { SpecError } from "../generator/diagnostics.js";
import { printIdentifier } from "../generator/emit/print.js";
import { generate, generateFiles } from "../generator/index.js";
import { functionNameOf, typeNameOf } from "../generator/model/naming.js";
import { FIXTURES } from "./helpers/paths.js";

const HOSTILE = join(FIXTURES, "hostile");
const tmp = mkdtempSync(join(tmpdir(), "specfetch-validation-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** [code, line, pointer, message fragment] for every diagnostic, in report order; asserts nothing was written. */
async function rejected(
  fixture: string,
  folder = HOSTILE,
): Promise<[string, number, string, string][]> {
  const out = join(tmp, fixture);
  const error = await generate({ spec: join(folder, fixture), out }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  expect(existsSync(out)).toBe(false);
  return (error as SpecError).diagnostics.map((d) => [d.code, d.line, d.pointer, d.message]);
}

const at = (code: string, line: number, pointer: string, message: string) => [
  code,
  line,
  pointer,
  expect.stringContaining(message),
];

describe("path keys that could change the host or escape the base path", () => {
  it("path-keys.yaml: each is rejected at its key; the fine one is not", async () => {
    const host = "starts with // (a URL to another host)";
    const backslash = "contains a backslash";
    const dots = "has a . or .. segment";
    const query = "contains ? or #";
    const space = "contains whitespace or a control character";
    expect(await rejected("path-keys.yaml")).toEqual([
      at("invalid-path", 11, "/paths/~1~1evil.example~1steal", host),
      at("invalid-path", 13, "/paths/~1\\evil.example~1steal", backslash),
      at("invalid-path", 15, "/paths/~1a~1%5Cb", backslash),
      at("invalid-path", 17, "/paths/~1api~1..~1admin", dots),
      at("invalid-path", 19, "/paths/~1api~1.~1admin", dots),
      at("invalid-path", 21, "/paths/~1api~1%2e%2e~1admin", dots),
      at("invalid-path", 23, "/paths/~1api~1.%2E~1admin", dots),
      at("invalid-path", 25, "/paths/~1search?admin=true", query),
      at("invalid-path", 27, "/paths/~1page#top", query),
      at("invalid-path", 29, "/paths/~1split\r\nHost: evil.example", space),
      at("invalid-path", 31, "/paths/~1a b", space),
      at("invalid-path", 33, "/paths/~1100%", "a % that does not start a %XX escape"),
    ]);
  });
});

describe("parameters whose content map does not have exactly one media type", () => {
  it("invalid/parameter-content.yaml: each at its content (path-level, operation, $ref'd once); one entry is fine", async () => {
    const one = "`content` must have exactly one media type";
    expect(await rejected("parameter-content.yaml", join(FIXTURES, "invalid"))).toEqual([
      at(
        "invalid-parameter",
        11,
        "/paths/~1search/parameters/0/content",
        `parameter "filter": ${one}, it has 3 ("application/json", "application/xml", "text/plain")`,
      ),
      at(
        "invalid-parameter",
        20,
        "/paths/~1search/get/parameters/0/content",
        `parameter "X-Meta": ${one}, it has 2 ("application/json", "application/yaml")`,
      ),
      at(
        "invalid-parameter",
        40,
        "/components/parameters/Empty/content",
        `parameter "empty": ${one}, it has none`,
      ),
    ]);
  });
});

describe("a document without paths", () => {
  const write = (name: string, text: string) => {
    const spec = join(tmp, name);
    writeFileSync(spec, text);
    return spec;
  };
  const info = 'info: { title: t, version: "1" }\n';
  const schemas = "components:\n  schemas:\n    A: { type: string }\n";
  it.each([
    [
      "3.0 with components only",
      `openapi: 3.0.3\n${info}${schemas}`,
      "OpenAPI 3.0 requires `paths`",
    ],
    ["3.1 with nothing", `openapi: 3.1.0\n${info}`, "no `paths`, `components` or `webhooks`"],
  ])(
    "%s: a located missing-paths warning, and the types are generated",
    async (_, text, message) => {
      const { files, diagnostics } = await generateFiles({
        spec: write(`np-${text.length}.yaml`, text),
      });
      expect(files.has("schema.ts")).toBe(true);
      expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.pointer])).toEqual([
        ["warning", "missing-paths", 1, ""],
      ]);
      expect(diagnostics[0]!.message).toContain(message);
    },
  );
  it.each([
    ["3.0 with `paths: {}`", `openapi: 3.0.3\n${info}paths: {}\n${schemas}`],
    ["3.1 with components only (valid there)", `openapi: 3.1.0\n${info}${schemas}`],
    [
      "3.1 with components and an `x-paths` extension",
      `openapi: 3.1.0\n${info}x-paths: 1\n${schemas}`,
    ],
  ])("%s: no warning", async (_, text) => {
    const { diagnostics } = await generateFiles({ spec: write(`ok-${text.length}.yaml`, text) });
    expect(diagnostics).toEqual([]);
  });
});

describe("a style its location does not define (OpenAPI 3.1 §4.8.12.4, Style Values)", () => {
  it("is a located invalid-parameter error naming the styles the location takes, and nothing is written", async () => {
    const spec = join(tmp, "styles.yaml");
    writeFileSync(
      spec,
      [
        "openapi: 3.1.0",
        'info: { title: t, version: "1" }',
        "paths:",
        "  /c/{p}:",
        "    get:",
        "      parameters:",
        "        - { name: p, in: path, required: true, style: form, schema: { type: array } }",
        "        - { name: q, in: query, style: simple, schema: { type: array } }",
        "        - { name: X-H, in: header, style: deepObject, schema: { type: object } }",
        "        - { name: c, in: cookie, style: label, schema: { type: string } }",
        "        - { name: ok, in: query, style: pipeDelimited, schema: { type: array } }",
        "      responses: { '204': { description: ok } }",
      ].join("\n"),
    );
    const error = await generateFiles({ spec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    const pointer = (i: number) => `/paths/~1c~1{p}/get/parameters/${i}/style`;
    expect(
      (error as SpecError).diagnostics.map((d) => [d.code, d.line, d.pointer, d.message, d.hint]),
    ).toEqual([
      [
        "invalid-parameter",
        7,
        pointer(0),
        'style "form" is not defined for `in: path`',
        expect.stringContaining("path parameters take simple, label, matrix"),
      ],
      [
        "invalid-parameter",
        8,
        pointer(1),
        'style "simple" is not defined for `in: query`',
        expect.stringContaining(
          "query parameters take form, spaceDelimited, pipeDelimited, deepObject",
        ),
      ],
      [
        "invalid-parameter",
        9,
        pointer(2),
        'style "deepObject" is not defined for `in: header`',
        expect.stringContaining("header parameters take simple"),
      ],
      [
        "invalid-parameter",
        10,
        pointer(3),
        'style "label" is not defined for `in: cookie`',
        expect.stringContaining("cookie parameters take form"),
      ],
    ]);
  });
});

describe("Header Objects whose content map does not have exactly one media type", () => {
  it("invalid/header-content.yaml: a located warning at each (response, components, part headers), and the client is generated", async () => {
    const one = "`content` must have exactly one media type";
    const { files, diagnostics } = await generateFiles({
      spec: join(FIXTURES, "invalid", "header-content.yaml"),
    });
    expect(files.get("client.ts")).toContain("export function listItems(");
    const found = diagnostics
      .filter((d) => d.code === "invalid-header")
      .sort((a, b) => a.line - b.line)
      .map((d) => [d.severity, d.line, d.pointer, d.message]);
    expect(found).toEqual([
      [
        "warning",
        16,
        "/paths/~1items/get/responses/200/headers/X-Page/content",
        `header "X-Page": ${one}, it has 2 ("application/json", "text/plain")`,
      ],
      [
        "warning",
        39,
        "/paths/~1items/post/requestBody/content/multipart~1form-data/encoding/file/headers/X-Part/content",
        `header "X-Part": ${one}, it has none`,
      ],
      [
        "warning",
        45,
        "/components/headers/Shared/content",
        `header "Shared": ${one}, it has 2 ("application/json", "application/yaml")`,
      ],
    ]);
  });
});

const deep = { type: "object", properties: { v: {} } };
const json = (properties: object) => ({
  "application/json": { schema: { type: "object", properties } },
});

describe("names with a % that openapi-typescript would percent-decode inside a JSON pointer", () => {
  const bad = 'has a "%" that does not start a percent-encoded character';
  it("percent-names.yaml: openapi-typescript throws URIError, and every name that could be why is located (scheme names and names that decode cleanly are not)", async () => {
    expect(await rejected("percent-names.yaml")).toEqual([
      at("invalid-parameter", 11, "/paths/~1things/get/parameters/0/name", `"q%" ${bad}`),
      at("invalid-parameter", 12, "/paths/~1things/get/parameters/1/name", `"X-Share%" ${bad}`),
      at(
        "invalid-field",
        19,
        "/paths/~1things/get/responses/200/headers/X-Rate%",
        `"X-Rate%" ${bad}`,
      ),
      at(
        "invalid-field",
        21,
        "/paths/~1things/get/responses/200/content/#~1x%zz",
        `"#/x%zz" ${bad}`,
      ),
      at("invalid-field", 27, "/components/schemas/Price%", `"Price%" ${bad}`),
      at(
        "invalid-field",
        33,
        "/components/schemas/Thing/properties/discount%",
        `"discount%" ${bad}`,
      ),
      at(
        "invalid-field",
        34,
        "/components/schemas/Thing/properties/rate%25zz",
        `"rate%25zz" ${bad}`,
      ),
      at("invalid-field", 35, "/components/schemas/Thing/properties/share%", `"share%" ${bad}`),
    ]);
  });

  it("with the names that make openapi-typescript throw renamed, it generates and keeps the leaf % names as data", async () => {
    const text = readFileSync(join(HOSTILE, "percent-names.yaml"), "utf8")
      .replace('"q%"', "q")
      .replace('"X-Rate%"', "X-Rate")
      .replace('"#/x%zz"', "application/json")
      .replace('"Price%"', "Price")
      .replace('"discount%"', "discount")
      .replace('"rate%25zz"', "rate");
    const spec = join(tmp, "percent-names-renamed.yaml");
    writeFileSync(spec, text);
    const out = join(tmp, "percent-names-renamed");
    await generate({ spec, out });
    const schema = readFileSync(join(out, "schema.ts"), "utf8");
    for (const name of [
      '"share%"',
      '"X-Share%"',
      '"fine%2541"',
      '"text/plain%2541"',
      '"fine%20name"',
    ])
      expect(schema).toContain(name);
    expect(readFileSync(join(out, "operations.ts"), "utf8")).toContain('"key%"');
  });

  // Why the names are blamed: these throw inside openapi-typescript itself (if it stops, the check can go).
  it.each([
    ["a media type with #/", { "#/x%zz": { schema: { type: "string" } } }],
    [
      "a property holding an object",
      json({ "discount%": { type: "object", properties: { v: {} } } }),
    ],
    [
      "a %25 that decodes to a stray %",
      json({ "r%25zz": { type: "object", properties: { v: deep } } }),
    ],
  ])("openapi-typescript throws URIError for %s", async (_, content) => {
    const document = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: { "/a": { get: { responses: { "200": { description: "ok", content } } } } },
    };
    const run = async () =>
      astToString(await openapiTS(document as unknown as OpenAPI3, { silent: true }));
    await expect(run()).rejects.toThrow(URIError);
  });

  it("percent-operation-ids.yaml: a % or #/ in an operationId, each at its operationId; # and / alone are fine", async () => {
    expect(await rejected("percent-operation-ids.yaml")).toEqual([
      at("invalid-operation-id", 8, "/paths/~1a/get/operationId", '"get%41" has a "%"'),
      at("invalid-operation-id", 9, "/paths/~1a/put/operationId", '"put%zz" has a "%"'),
      at("invalid-operation-id", 10, "/paths/~1a/post/operationId", '"x#/createThing" has "#/"'),
    ]);
  });
});

describe("header and cookie names that are not RFC 9110 tokens", () => {
  it("header-names.yaml: parameters (inline, path-level, $ref'd) and apiKey schemes, each at its name", async () => {
    const token = "is not a valid HTTP token";
    expect(await rejected("header-names.yaml")).toEqual([
      at(
        "invalid-parameter",
        8,
        "/paths/~1things/parameters/0/name",
        `"X-Trace: injected" ${token}`,
      ),
      at("invalid-parameter", 13, "/paths/~1things/get/parameters/1/name", "X-A\\r\\nX-Injected"),
      at("invalid-parameter", 14, "/paths/~1things/get/parameters/2/name", '"\\"quoted\\""'),
      at("invalid-parameter", 15, "/paths/~1things/get/parameters/3/name", "cookie name"),
      at("invalid-parameter", 22, "/components/parameters/Spaced/name", `"X Spaced" ${token}`),
      at("invalid-field", 24, "/components/securitySchemes/spacedKey/name", `"X-Api Key"`),
      at("invalid-field", 25, "/components/securitySchemes/cookieKey/name", `"sid;admin=1"`),
    ]);
  });
});

describe("path templates that do not match the declared path parameters", () => {
  it("path-template.yaml: the undeclared {fileId} and the unused fileid, each located", async () => {
    expect(await rejected("path-template.yaml")).toEqual([
      at(
        "undeclared-path-parameter",
        8,
        "/paths/~1users~1{userId}~1files~1{fileId}/get",
        "{fileId}",
      ),
      at(
        "unused-path-parameter",
        12,
        "/paths/~1users~1{userId}~1files~1{fileId}/get/parameters/1",
        '"fileid"',
      ),
    ]);
  });
});

describe("generated names that would meet", () => {
  it("name-collisions.yaml: a duplicate operationId and a collision after sanitising, every place listed", async () => {
    const duplicate =
      'operationId "listThings" is used by 2 operations: GET /a (8:5), POST /a (9:5)';
    const collision = "getAB is used by 2 operations: GET /a-b (11:5), GET /a/b (13:5)";
    expect(await rejected("name-collisions.yaml")).toEqual([
      at("duplicate-operation-id", 8, "/paths/~1a/get", duplicate),
      at("duplicate-operation-id", 9, "/paths/~1a/post", duplicate),
      at("name-collision", 11, "/paths/~1a-b/get", collision),
      at("name-collision", 13, "/paths/~1a~1b/get", collision),
    ]);
  });
});

describe("identifiers come only from the naming rules", () => {
  it.each([
    ["then", "then_"], // `await import()` of a module exporting `then` would call it
    ["constructor", "constructor_"],
    ["__proto__", "proto"],
    ["prototype", "prototype_"],
    ["delete", "delete_"],
    ["await", "await_"],
    ["eval", "eval_"],
    ["2fa", "_2fa"],
    ["getUsеr", "getUsR"], // Cyrillic е (U+0435): non-ASCII separates words, no lookalike survives
    ["gеtUsеr", "gTUsR"],
    ["\u202egetUser", "getUser"], // a bidi override is not a letter
    ['x"; globalThis.pwned = 1; "', "xGlobalThisPwned1"],
    ["*/ pwned /*", "pwned"],
  ])("operationId %j → %s", (operationId, name) => {
    const functionName = functionNameOf({ operationId, method: "get", path: "/x" });
    expect(functionName).toBe(name);
    expect(printIdentifier(functionName)).toBe(name);
    expect(printIdentifier(`${typeNameOf(functionName)}Args`)).toMatch(/^[A-Za-z_$][\w$]*Args$/);
  });

  it("an operationId with no ASCII letter or digit is named from method and path", () => {
    expect(functionNameOf({ operationId: "получить", method: "get", path: "/users/{id}" })).toBe(
      "getUsersById",
    );
  });

  it("printIdentifier refuses anything but a safe ASCII identifier (a second line of defence)", () => {
    for (const name of [
      "then",
      "constructor",
      "__proto__",
      "delete",
      "a-b",
      "ｘ",
      "x\u200b",
      "1a",
      "",
    ])
      expect(() => printIdentifier(name)).toThrow(/not a safe identifier/);
  });

  it("the output is always the same five files, whatever the spec names (no spec text picks a path)", async () => {
    const { files } = await generateFiles({ spec: join(HOSTILE, "injection.yaml") });
    expect([...files.keys()].sort()).toEqual([
      "client.ts",
      "index.ts",
      "operations.ts",
      "runtime.ts",
      "schema.ts",
    ]);
  });
});

describe("objects of the wrong shape (test/fixtures/invalid/shapes.yaml)", () => {
  it("each is a located invalid-field error, all in one run, and nothing is written", async () => {
    const invalid = (line: number, pointer: string, message: string) =>
      at("invalid-field", line, pointer, message);
    expect(await rejected("shapes.yaml", join(FIXTURES, "invalid"))).toEqual([
      // `security: { bearerAuth: [] }`: a map, not a list; the operations would send no token.
      invalid(5, "/security", "`security` must be a list of Security Requirement Objects"),
      invalid(8, "/paths/~1a", 'the path item of "/a" must be an object'),
      invalid(10, "/paths/~1b/get", '`get` of "/b" must be an Operation Object'),
      invalid(12, "/paths/~1b/post/operationId", "`operationId` must be a string"),
      invalid(13, "/paths/~1b/post/parameters", "`parameters` must be a list"),
      invalid(14, "/paths/~1b/post/responses", "`responses` must be an object"),
      invalid(17, "/paths/~1c/get/security/0", "a security requirement must be an object"),
      invalid(
        18,
        "/paths/~1c/get/requestBody/content",
        "`content` must be an object of media types",
      ),
      invalid(
        20,
        "/paths/~1c/get/responses/200/content/application~1json/schema",
        "`schema` must be a Schema Object",
      ),
      invalid(21, "/paths/~1c/get/responses/404", "a response must be a Response Object"),
    ]);
  });

  it("a misspelt `paths` is named, not read as a document without operations", async () => {
    const spec = join(tmp, "pathz.yaml");
    writeFileSync(
      spec,
      'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npathz:\n  /a: { get: { responses: { "200": { description: ok } } } }\n',
    );
    const error = (await generateFiles({ spec }).catch((e: unknown) => e)) as SpecError;
    expect(error).toBeInstanceOf(SpecError);
    expect(error.diagnostics.map((d) => [d.code, d.line, d.pointer, d.message, d.hint])).toEqual([
      ["invalid-field", 3, "/pathz", '"pathz" is not an OpenAPI field', "did you mean `paths`?"],
    ]);
  });
});
