/**
 * The change report: what changed in the API between the previous output and the new one, each change marked
 * breaking or not, with a suggested semver bump; `--report` writes it, `--fail-on-breaking` exits 4.
 *
 * The fixture pair `test/fixtures/change-report/{old,new}.yaml` holds every kind of change the report knows
 * (new.yaml's header lists them); the expected reports are reviewed file snapshots.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareApis } from "../generator/report/compare.js";
import { readApiSurface } from "../generator/report/surface.js";
import { CLI, FIXTURES, ROOT } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import { generateFiles } from "../generator/index.js";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-report-"));
  cpSync(join(FIXTURES, "change-report"), join(work, "fixtures/change-report"), {
    recursive: true,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const specfetch = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: work });
const OLD = "fixtures/change-report/old.yaml";
const NEW = "fixtures/change-report/new.yaml";

// The three runs build on each other: the first output is the "previous API" of the next two.
describe("old.yaml → new.yaml", () => {
  it("a first generation has nothing to compare with: no report, --fail-on-breaking exits 0", async () => {
    const { code, stdout, stderr } = await specfetch(OLD, "--out", "out", "--fail-on-breaking");
    expect(code, stderr).toBe(0);
    expect(stdout).not.toContain("API changes");
  });

  it("--check: exit 3 (drift wins over breaking changes), the JSON report of what regenerating would change", async () => {
    const { code, stderr } = await specfetch(
      NEW,
      "--out",
      "out",
      "--check",
      "--report",
      "report.json",
      "--fail-on-breaking",
    );
    expect(code).toBe(3);
    expect(stderr).toContain(`Regenerate with: specfetch ${NEW} --out out`);
    await expect(readFileSync(join(work, "report.json"), "utf8")).toMatchFileSnapshot(
      "__snapshots__/workflow/change-report.json",
    );
  });

  it("regenerating prints the summary, writes the Markdown report, and --fail-on-breaking exits 4 (output written)", async () => {
    const { code, stdout, stderr } = await specfetch(
      NEW,
      "--out",
      "out",
      "--report",
      "report.md",
      "--fail-on-breaking",
    );
    expect(code).toBe(4);
    expect(stdout).toContain(
      "API changes in out: 17 breaking, 8 not breaking → suggested bump: major\n",
    );
    expect(stdout).toContain(
      '  breaking  createWidget, fetchWidget, listWidgets: schema Widget in responses widened: status now also allows "draft"\n',
    );
    expect(stdout).toContain(
      "  ok        archiveWidget (POST /widgets/{id}/archive): operation added\n",
    );
    expect(stderr).toContain(
      "specfetch: out: 17 breaking API change(s) (--fail-on-breaking): exit 4",
    );
    // Relative to the output folder (no package.json or .git above it).
    expect(readFileSync(join(work, "out/index.ts"), "utf8")).toContain(`from ../${NEW} (sha256`);
    await expect(readFileSync(join(work, "report.md"), "utf8")).toMatchFileSnapshot(
      "__snapshots__/workflow/change-report.md",
    );
  });
});

/**
 * The classification rules on small hand-written outputs (the shape openapi-typescript and the operations
 * table have): narrowing breaks requests, widening breaks responses.
 */
describe("breaking or not", () => {
  const output = (schema: string, table = TABLE) =>
    new Map([
      ["operations.ts", table],
      [
        "schema.ts",
        `export interface paths { "/things": { post: operations["makeThing"] } }\nexport interface operations { makeThing: ${schema} }\n`,
      ],
    ]);
  const TABLE = `export const operations = { makeThing: { operationId: "makeThing", method: "POST", path: "/things", parameters: [], requestBody: { required: true, contentTypes: ["application/json"] }, responses: [{ status: "200", contentTypes: ["application/json"] }] } } as const;`;
  const op = (body: string, response: string) =>
    `{ parameters: {}; requestBody: { content: { "application/json": ${body} } }; responses: { 200: { content: { "application/json": ${response} } } } }`;
  const diff = (before: [string, string], after: [string, string]) => {
    const report = compareApis(
      readApiSurface(output(op(...before)))!,
      readApiSurface(output(op(...after)))!,
    );
    return {
      bump: report.bump,
      changes: report.changes.map((c) => `${c.breaking ? "breaking" : "ok"}: ${c.message}`),
    };
  };

  it("reads the table whichever shape its responses have: a list (older outputs) or media types by status", () => {
    const byStatus = TABLE.replace(
      'responses: [{ status: "200", contentTypes: ["application/json"] }]',
      'responses: { "200": ["application/json"] }',
    );
    expect(byStatus).not.toBe(TABLE);
    for (const table of [TABLE, byStatus]) {
      const surface = readApiSurface(output(op("{}", "{}"), table))!.operations.get("makeThing")!;
      expect(surface.statuses).toEqual(["200"]);
      expect(surface.responseContentTypes("200")).toEqual(["application/json"]);
    }
    expect(
      compareApis(
        readApiSurface(output(op("{}", "{}")))!,
        readApiSurface(output(op("{}", "{}"), byStatus))!,
      ).changes,
    ).toEqual([]);
  });

  it.each([
    [
      "an enum value added to a request: widened, minor",
      [`{ kind: "a" }`, "{}"],
      [`{ kind: "a" | "b" }`, "{}"],
      "minor",
      'ok: request body widened: `kind` now also allows "b"',
    ],
    [
      "an enum value added to a response: widened, major",
      ["{}", `{ kind: "a" }`],
      ["{}", `{ kind: "a" | "b" }`],
      "major",
      'breaking: response 200 widened: `kind` now also allows "b"',
    ],
    [
      "an enum value removed from a response: narrowed, minor",
      ["{}", `{ kind: "a" | "b" }`],
      ["{}", `{ kind: "a" }`],
      "minor",
      'ok: response 200 narrowed: `kind` no longer allows "b"',
    ],
    [
      "a request property made required: narrowed, major",
      ["{ n?: number }", "{}"],
      ["{ n: number }", "{}"],
      "major",
      "breaking: request body narrowed: property `n` is now required",
    ],
    [
      "a response property made optional: widened, major",
      ["{}", "{ n: number }"],
      ["{}", "{ n?: number }"],
      "major",
      "breaking: response 200 widened: property `n` is now optional",
    ],
    [
      "null allowed in a request: widened, minor",
      ["{ n: number }", "{}"],
      ["{ n: number | null }", "{}"],
      "minor",
      "ok: request body widened: `n` now also allows `null`",
    ],
    [
      "string narrowed to an enum in a request: major",
      ["{ s: string }", "{}"],
      [`{ s: "x" | "y" }`, "{}"],
      "major",
      'breaking: request body narrowed: `s` narrowed from `string` to "x" | "y"',
    ],
    [
      "unknown made concrete in a response: narrowed, minor",
      ["{}", "unknown"],
      ["{}", "{ id: string }"],
      "minor",
      "ok: response 200 narrowed: was `unknown`, is now `{ id }`",
    ],
    [
      "an incompatible type change: major both ways",
      ["{ n: number }", "{}"],
      ["{ n: string }", "{}"],
      "major",
      "breaking: request body: `n` type changed from `number` to `string`",
    ],
    [
      "a union of inline members of one kind, unchanged: patch (each member matched to its equal)",
      ["{ a: string } | { b: number } | unknown | unknown", "string[] | number[]"],
      ["{ a: string } | { b: number } | unknown | unknown", "string[] | number[]"],
      "patch",
      undefined,
    ],
    [
      "the same members in another order: patch",
      ["{}", "{ a: string } | { b: number }"],
      ["{}", "{ b: number } | { a: string }"],
      "patch",
      undefined,
    ],
    [
      "one of two inline objects changed: that change, not a whole new type",
      ["{ a: string } | { b: number }", "{}"],
      ["{ a: string } | { b: number; c: string }", "{}"],
      "major",
      "breaking: request body narrowed: required property `c` added",
    ],
    [
      "an array member added beside two: widened",
      ["{}", "string[] | number[]"],
      ["{}", "string[] | number[] | boolean[]"],
      "major",
      "breaking: response 200 widened: now also allows `boolean[]`",
    ],
    [
      "nothing but formatting: patch",
      ["{ n: number }", "{}"],
      ["{ n: (number) }", "{}"],
      "patch",
      undefined,
    ],
  ] as const)("%s", (_, before, after, bump, change) => {
    const result = diff([...before], [...after]);
    expect(result.bump).toBe(bump);
    expect(result.changes).toEqual(change === undefined ? [] : [change]);
  });
});

describe("an output compared with itself", () => {
  const outputs = [
    "generated",
    ...readdirSync(join(ROOT, "test/__snapshots__"), { withFileTypes: true })
      .filter((entry) => existsSync(join(ROOT, "test/__snapshots__", entry.name, "schema.ts")))
      .map((entry) => `test/__snapshots__/${entry.name}`),
  ];
  const read = (dir: string) =>
    new Map(
      ["operations.ts", "schema.ts"].map((name) => [
        name,
        readFileSync(join(ROOT, dir, name), "utf8"),
      ]),
    );

  it.each(outputs)("%s: no changes, patch", (dir) => {
    const surface = readApiSurface(read(dir))!;
    expect(surface.operations.size).toBeGreaterThan(0);
    const report = compareApis(surface, readApiSurface(read(dir))!);
    expect(report.changes).toEqual([]);
    expect(report.bump).toBe("patch");
  });
});

/**
 * Pairs of specs an API goes through (test/fixtures/change-report/pairs), each generated in turn, both ways:
 * refactors that change no type report nothing, and each real change is found once, in the right position.
 */
describe("between two specs", () => {
  const PAIRS = join(FIXTURES, "change-report/pairs");
  const surface = async (name: string) =>
    readApiSurface(
      (await generateFiles({ spec: join(PAIRS, `${name}.yaml`), displayPath: name })).files,
    )!;
  const report = async (first: string, second: string) =>
    compareApis(await surface(first), await surface(second)).changes.map(
      (c) => `${c.breaking ? "breaking" : "ok"}: ${c.message}`,
    );

  it.each([
    ["a oneOf's inline members moved into components", "one-of-inline", "one-of-refs", [], []],
    ["a oneOf member's schema renamed", "one-of-refs", "one-of-refs-renamed", [], []],
    ["an allOf's oneOf part renamed", "all-of-union", "all-of-union-renamed", [], []],
    [
      "a member added to a oneOf of two whose members each gain a property (request)",
      "one-of-two",
      "one-of-three-widened",
      [
        "ok: request body widened: now also allows `{ s }`",
        "ok: request body widened: optional property `label` added",
      ],
      [
        "breaking: request body narrowed: no longer allows `{ s }`",
        "breaking: request body narrowed: property `label` removed",
      ],
    ],
    [
      "a member added, and the second of two gains a property",
      "one-of-two",
      "one-of-three-second-changed",
      [
        "ok: request body widened: now also allows `{ s }`",
        "ok: request body widened: optional property `label` added",
      ],
      [
        "breaking: request body narrowed: no longer allows `{ s }`",
        "breaking: request body narrowed: property `label` removed",
      ],
    ],
    [
      "unknown made a string, in a request and a response",
      "meta-unknown",
      "meta-string",
      [
        "breaking: request body narrowed: `meta` was `unknown`, is now `string`",
        "ok: response 200 narrowed: `meta` was `unknown`, is now `string`",
      ],
      [
        "breaking: response 200 widened: `meta` was `string`, is now `unknown`",
        "ok: request body widened: `meta` was `string`, is now `unknown`",
      ],
    ],
    [
      "a response's media type changed",
      "created-json",
      "created-text",
      [
        "breaking: response 201 content type `application/json` removed",
        "breaking: response 201 content type `text/plain` added",
      ],
      [
        "breaking: response 201 content type `text/plain` removed",
        "breaking: response 201 content type `application/json` added",
      ],
    ],
    [
      "a response's body removed",
      "created-json",
      "created-no-body",
      ["breaking: response 201 no longer has a body (was `application/json`)"],
      ["breaking: response 201 now has a body (`application/json`)"],
    ],
    [
      "properties marked readOnly and writeOnly (a schema in the request and the response)",
      "token",
      "token-read-write-only",
      [
        "breaking: schema `Token` in requests narrowed: property `id` removed (now read-only)",
        "breaking: schema `Token` in responses widened: property `secret` removed (now write-only)",
      ],
      [
        "ok: schema `Token` in responses narrowed: optional property `secret` added (no longer write-only)",
        "ok: schema `Token` in requests widened: optional property `id` added (no longer read-only)",
      ],
    ],
    [
      "a property made required in a oneOf part of an allOf",
      "all-of-union",
      "all-of-union-required",
      ["breaking: schema `Item` in requests narrowed: property `uuid` is now required"],
      ["ok: schema `Item` in requests widened: property `uuid` is now optional"],
    ],
  ] as const)("%s", async (_, first, second, forward, backward) => {
    expect(await report(first, second)).toEqual(forward);
    expect(await report(second, first)).toEqual(backward);
  });
});
