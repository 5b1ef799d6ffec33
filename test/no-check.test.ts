/**
 * Every generated file opens (after the banner) with `// @ts-nocheck`, so a consumer's `tsc` does not re-check
 * the output; the tests that promise strict compilation remove that line first (`withTypeChecking`). Both
 * halves are proven here on one small client: the line is where TypeScript honours it (a type error planted in
 * the file is not reported), and once removed, the same error is.
 */
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generate } from "../generator/index.js";
import { NO_CHECK_DIRECTIVE } from "../generator/output/format.js";
import { FIXTURES, GENERATED, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "specfetch-nocheck-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await generate({ spec: join(FIXTURES, "seed/revoke-session.yaml"), out: join(dir, "out") });
  const tsconfig = {
    compilerOptions: { ...STRICTEST_FLAGS, noEmit: true },
    files: ["out/index.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  // A planted error, in the file a consumer reaches first through index.ts.
  appendFileSync(join(dir, "out/client.ts"), '\nexport const planted: number = "not a number";\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("every file of generated/ has the directive as the first line after the banner", () => {
  for (const file of readdirSync(GENERATED)) {
    const lines = readFileSync(join(GENERATED, file), "utf8").split("\n");
    expect(lines.slice(2, 4), file).toEqual(["", NO_CHECK_DIRECTIVE]);
  }
});

it("with the directive, tsc does not check the generated file (the planted error is not reported)", async () => {
  const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.code).toBe(0);
});

it("without it (withTypeChecking), tsc checks the file in full and reports the planted error", async () => {
  withTypeChecking(dir);
  expect(readFileSync(join(dir, "out/client.ts"), "utf8")).not.toContain("@ts-nocheck");
  const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir });
  expect(result.stdout).toMatch(/out\/client\.ts\(\d+,\d+\): error TS2322/);
  expect(result.code).not.toBe(0);
});
