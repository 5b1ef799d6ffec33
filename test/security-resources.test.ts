/**
 * Bounded resources: a pathological spec fails fast with a `resource-limit` diagnostic naming the limit
 * (`generator/load/limits.ts`), instead of hanging, exhausting memory or overflowing the stack; YAML tags that
 * construct language objects are rejected. Nothing is written in any case.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError, type Diagnostic } from "../generator/diagnostics.js";
import { generate } from "../generator/index.js";
import { LIMITS } from "../generator/load/limits.js";
import { FIXTURES } from "./helpers/paths.js";

const HOSTILE = join(FIXTURES, "hostile");
/** "Within seconds" on a shared, slow CI machine; locally each case takes well under one. */
const FAST_MS = 15_000;
const HEAD = 'openapi: 3.1.0\ninfo: { title: limits, version: "1" }\npaths: {}\n';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "specfetch-resources-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Generates `spec` into a fresh folder; returns the diagnostics it failed with and how long that took. */
async function rejection(spec: string): Promise<{ diagnostics: Diagnostic[]; ms: number }> {
  const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const error = await generate({ spec, out }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - started;
  expect(error).toBeInstanceOf(SpecError);
  expect(existsSync(out)).toBe(false);
  return { diagnostics: [...(error as SpecError).diagnostics], ms };
}

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe("limits", () => {
  it("alias-bomb.yaml (billion laughs) fails fast on maxAliasCount", async () => {
    const { diagnostics, ms } = await rejection(join(HOSTILE, "alias-bomb.yaml"));
    expect(diagnostics).toMatchObject([
      { code: "resource-limit", message: expect.stringContaining("maxAliasCount is 10,000") },
    ]);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it("aliases that share one big anchor many times fail on maxNodes (counted as expanded)", async () => {
    const anchor = `x-big: &big [${Array(10_000).fill("1").join(",")}]\n`;
    const spec = write("wide.yaml", `${HEAD}${anchor}x-many: [${Array(5_000).fill("*big")}]\n`);
    const { diagnostics, ms } = await rejection(spec);
    expect(diagnostics).toMatchObject([
      { code: "resource-limit", message: expect.stringContaining("maxNodes is 2,000,000") },
    ]);
    expect(diagnostics[0]!.pointer).toMatch(/^\/x-many\/\d+/);
    expect(ms).toBeLessThan(FAST_MS);
  });

  const deep = 10_000;
  it.each([
    ["flow sequences", `x-deep: ${"[".repeat(deep)}${"]".repeat(deep)}\n`, 4],
    ["flow mappings", `x-deep: ${"{a: ".repeat(deep)}1${"}".repeat(deep)}\n`, 4],
    ["block sequences", `x-deep:\n  ${"- ".repeat(deep)}x\n`, 5],
  ])("a 10,000-deep YAML document (%s) fails fast on maxDepth, located", async (_, body, line) => {
    const { diagnostics, ms } = await rejection(write("deep.yaml", HEAD + body));
    expect(diagnostics).toMatchObject([
      { code: "resource-limit", message: expect.stringContaining("maxDepth is 256") },
    ]);
    expect(diagnostics[0]!.line).toBe(line);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it("a 10,000-deep JSON document fails fast on maxDepth, located in the text", async () => {
    const document = `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},"x-deep":${'{"a":'.repeat(deep)}1${"}".repeat(deep)}}`;
    const { diagnostics, ms } = await rejection(write("deep.json", document));
    expect(diagnostics).toMatchObject([
      { code: "resource-limit", message: expect.stringContaining("maxDepth") },
    ]);
    expect(diagnostics[0]).toMatchObject({
      line: 1,
      pointer: expect.stringMatching(/^\/x-deep\/a/),
    });
    expect(ms).toBeLessThan(FAST_MS);
  });

  it("one level over maxDepth is enough, and the pointer names where", async () => {
    const over = LIMITS.maxDepth + 1; // the outermost array (x-deep's value) is depth 1
    const { diagnostics } = await rejection(
      write("over.yaml", `${HEAD}x-deep: ${"[".repeat(over)}${"]".repeat(over)}\n`),
    );
    expect(diagnostics).toMatchObject([{ code: "resource-limit", line: 4 }]);
    expect(diagnostics[0]!.pointer).toMatch(/^\/x-deep(\/0)+$/);
  });

  it("a file over maxDocumentBytes (64 MiB) fails without being read", async () => {
    const path = join(tmp, "big.yaml");
    const fd = openSync(path, "w");
    writeSync(fd, HEAD + 'x-pad: "');
    const chunk = Buffer.alloc(1024 * 1024, "a");
    for (let i = 0; i <= 64; i++) writeSync(fd, chunk);
    writeSync(fd, '"\n');
    closeSync(fd);
    const { diagnostics, ms } = await rejection(path);
    expect(diagnostics).toMatchObject([
      { code: "resource-limit", message: expect.stringContaining("maxDocumentBytes is 64 MiB") },
    ]);
    expect(ms).toBeLessThan(FAST_MS);
  });

  it("ref-bomb.yaml ($refs inlined for schema.ts, 6^8 copies) fails fast on maxInlinedNodes, at a $ref", async () => {
    const { diagnostics, ms } = await rejection(join(HOSTILE, "ref-bomb.yaml"));
    expect(diagnostics).toMatchObject([
      {
        code: "resource-limit",
        message: expect.stringContaining("maxInlinedNodes is 1,000,000"),
        pointer: expect.stringMatching(
          /^\/components\/schemas\/Node\/properties\/child\/.*\/\$ref$/,
        ),
      },
    ]);
    expect(diagnostics[0]!.line).toBeGreaterThan(0);
    expect(ms).toBeLessThan(FAST_MS);
  });
});

describe("YAML tags", () => {
  it("yaml-tags.yaml: every language-specific or custom tag is rejected where it stands", async () => {
    const { diagnostics } = await rejection(join(HOSTILE, "yaml-tags.yaml"));
    expect(diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ["invalid-yaml", 6, expect.stringContaining("the YAML tag !!js/function is not allowed")],
      [
        "invalid-yaml",
        7,
        expect.stringContaining("the YAML tag !!python/object/apply:os.system is not allowed"),
      ],
      ["invalid-yaml", 8, expect.stringContaining("the YAML tag !include is not allowed")],
      ["invalid-yaml", 9, expect.stringContaining("the YAML tag !!binary is not allowed")],
    ]);
  });
});

describe("files read through external $refs are held to the same rules", () => {
  const root = () => join(tmp, "multi");
  const specWith = (ref: string) =>
    `openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: "${ref}" }\n`;

  beforeAll(() => mkdirSync(root(), { recursive: true }));

  it("an alias bomb in a referenced file is rejected at the $ref", async () => {
    writeFileSync(join(root(), "bomb.yaml"), readBomb());
    const spec = join(root(), "api.yaml");
    writeFileSync(spec, specWith("./bomb.yaml#/x-lol"));
    const { diagnostics } = await rejection(spec);
    // The limit has no position in bomb.yaml: reported at the $ref that reads it.
    expect(diagnostics).toMatchObject([
      { code: "external-ref", message: expect.stringContaining("maxAliasCount"), line: 12 },
    ]);
  });

  it("a YAML tag in a referenced file is rejected where it is, in that file", async () => {
    writeFileSync(join(root(), "tagged.yaml"), "type: !!js/function 'function () {}'\n");
    const spec = join(root(), "api.yaml");
    writeFileSync(spec, specWith("./tagged.yaml"));
    const { diagnostics } = await rejection(spec);
    expect(diagnostics).toMatchObject([
      {
        code: "invalid-yaml",
        file: expect.stringMatching(/\/tagged\.yaml$/),
        message: expect.stringContaining("!!js/function"),
        line: 1,
        col: 21,
      },
    ]);
  });

  it.skipIf(process.platform === "win32")(
    "a named pipe is refused, never opened (it could block forever)",
    async () => {
      execFileSync("mkfifo", [join(root(), "pipe.yaml")]);
      const spec = join(root(), "api.yaml");
      writeFileSync(spec, specWith("./pipe.yaml"));
      const { diagnostics, ms } = await rejection(spec);
      expect(diagnostics).toMatchObject([
        { code: "external-ref", message: expect.stringContaining("not a regular file") },
      ]);
      expect(ms).toBeLessThan(FAST_MS);
    },
  );
});

function readBomb(): string {
  const levels = "abcdefghi".split("");
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels.length; i++)
    lines.push(
      `${levels[i]}: &${levels[i]} [${Array(9)
        .fill(`*${levels[i - 1]}`)
        .join(",")}]`,
    );
  return `x-lol:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}
