/**
 * The generated code compiles under the strictest flags, under both `nodenext` and `bundler` resolution, on
 * its own in a folder outside this repository (as a vendored copy), and imports no package.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";
import { generate } from "../generator/index.js";
import { CLIENT_FIXTURES, FIXTURES, GENERATED, ROOT, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const STRICT = { ...STRICTEST_FLAGS, noEmit: true };

const ENVIRONMENTS = {
  "nodenext + DOM lib": { module: "NodeNext", moduleResolution: "NodeNext" },
  "bundler + DOM lib": { module: "ESNext", moduleResolution: "Bundler" },
  // Node's own types and no DOM lib, as in a server-only project.
  "nodenext + @types/node only": {
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022"],
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules/@types")],
  },
};

/** The README's usage example, pointed at a vendored copy: what we show users must compile. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Using the generated client"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```ts block under '## Using the generated client'");
  return block.replaceAll("./generated/index.js", "./vendor/dashboard/index.js");
}

const FIXTURE_SPECS = CLIENT_FIXTURES;

/** Type tests of fixture clients (`test/types/fixtures/`), compiled next to them: `./<fixture>/index.js`. */
const FIXTURE_TYPE_TESTS = join(ROOT, "test/types/fixtures");

let outside: string;

beforeAll(async () => {
  // A folder outside the repository: nothing here can resolve the repo's node_modules.
  outside = mkdtempSync(join(tmpdir(), "specfetch-consumer-"));
  writeFileSync(join(outside, "package.json"), JSON.stringify({ type: "module" }));
  cpSync(GENERATED, join(outside, "vendor/dashboard"), { recursive: true });
  writeFileSync(join(outside, "consumer.ts"), readmeExample());
  // Type assertions on the streams, servers and content-parameter client (a fixture next to its spec).
  cpSync(
    join(FIXTURES, "runtime-extras/consumer.ts.txt"),
    join(outside, "runtime-extras-consumer.ts"),
  );
  cpSync(FIXTURE_TYPE_TESTS, join(outside, "fixtures"), { recursive: true });
  for (const spec of FIXTURE_SPECS) {
    await generate({
      spec: join(FIXTURES, spec),
      out: join(outside, "fixtures", spec.split("/")[0]!),
    });
  }
  withTypeChecking(outside);
});

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe.each(Object.entries(ENVIRONMENTS))("%s", (name, environment) => {
  it("the README example against the vendored Dashboard client, every fixture's client, and the fixtures' type tests compile under the strict flags", async () => {
    const files = [
      "consumer.ts",
      "runtime-extras-consumer.ts",
      ...FIXTURE_SPECS.map((spec) => `fixtures/${spec.split("/")[0]}/index.ts`),
      ...readdirSync(FIXTURE_TYPE_TESTS)
        .filter((file) => file.endsWith(".test-d.ts"))
        .map((file) => `fixtures/${file}`),
    ];
    const tsconfig = `tsconfig.${name.replace(/\W+/g, "-")}.json`;
    writeFileSync(
      join(outside, tsconfig),
      JSON.stringify({ compilerOptions: { ...STRICT, ...environment }, files }),
    );
    const result = await run(process.execPath, [TSC, "-p", tsconfig], { cwd: outside });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe.each(["tsconfig.json", "tsconfig.bundler.json"])("test/types/%s", (tsconfig) => {
  it("the expectTypeOf tests of revokeSessionById hold", async () => {
    const result = await run(process.execPath, [TSC, "-p", join(ROOT, "test/types", tsconfig)]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

it("generated/ imports only its own files (no package, no absolute path)", () => {
  const specifiers = readdirSync(GENERATED).flatMap((file) =>
    [
      ...readFileSync(join(GENERATED, file), "utf8").matchAll(
        /(?:import|export)[^"';]*?from\s+"([^"]+)"/g,
      ),
    ].map((m) => `${file}: ${m[1]}`),
  );
  expect(specifiers.length).toBeGreaterThan(0);
  expect(specifiers.filter((s) => !/: \.\/[a-z]+\.js$/.test(s))).toEqual([]);
});
