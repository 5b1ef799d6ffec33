/**
 * Every TypeScript example in the README's "Using the generated client" section compiles, each as its own
 * module, against a vendored copy of `generated/` under the strict flags the generated code promises
 * (typecheck.test.ts checks the first example; this checks them all, the runtime's included).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { PROMISED_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";
import { GENERATED, ROOT, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const outside = mkdtempSync(join(tmpdir(), "specfetch-readme-"));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

function sectionExamples(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Using the generated client");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

it("the section has the usage, timeouts/retries, middleware and withResponse examples", () => {
  const examples = sectionExamples();
  expect(examples.length).toBeGreaterThanOrEqual(4);
  expect(examples.some((e) => e.includes("timeoutMs") && e.includes("retry:"))).toBe(true);
  expect(examples.some((e) => e.includes("onResponse") && e.includes("401"))).toBe(true);
  expect(examples.some((e) => e.includes("withResponse("))).toBe(true);
});

it("every example compiles under the strict flags against the vendored client", async () => {
  writeFileSync(join(outside, "package.json"), JSON.stringify({ type: "module" }));
  cpSync(GENERATED, join(outside, "vendor"), { recursive: true });
  withTypeChecking(join(outside, "vendor"));
  const files = sectionExamples().map((example, index) => {
    const file = `example-${index + 1}.ts`;
    // `export {}` makes each example a module of its own, so their top-level names never meet.
    const source = example.replaceAll("./generated/index.js", "./vendor/index.js");
    writeFileSync(join(outside, file), `${source}\nexport {};\n`);
    return file;
  });
  const compilerOptions = { ...PROMISED_FLAGS, noEmit: true };
  writeFileSync(join(outside, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: outside });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.code).toBe(0);
});
