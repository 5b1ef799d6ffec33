/**
 * `specfetch.config.{ts,mjs,json}`: found in the working directory (or named with `--config`), one or several
 * clients per run, flags override the file, and every mistake is reported with its key and place. The JSON
 * Schema for editors and the validator accept exactly the same keys.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mainIn } from "./helpers/main-in.js";
import { CONFIG_KEYS, loadConfig } from "../generator/config/load.js";
import { CLI, FIXTURES, ROOT } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "specfetch-config-"));
  cpSync(join(FIXTURES, "seed"), join(work, "fixtures/seed"), { recursive: true });
  cpSync(join(FIXTURES, "params"), join(work, "fixtures/params"), { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const specfetch = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: work });
const FILES = ["client.ts", "index.ts", "operations.ts", "runtime.ts", "schema.ts"];
const DEFINE_CONFIG = pathToFileURL(join(ROOT, "generator/config/types.ts")).href;

describe("discovery and several clients", () => {
  it("specfetch.config.json: two clients in one run, each with its own report; --verbose beats the file's quiet", async () => {
    writeFileSync(
      join(work, "specfetch.config.json"),
      JSON.stringify(
        {
          $schema: "./node_modules/specfetch/specfetch.config.schema.json",
          quiet: true,
          clients: [
            { spec: "fixtures/seed/revoke-session.yaml", out: "gen/seed" },
            { spec: "fixtures/params/spec.yaml", out: "gen/params", report: "reports/params.md" },
          ],
        },
        null,
        2,
      ),
    );
    const { code, stdout, stderr } = await specfetch("--verbose");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("specfetch: config: specfetch.config.json (2 clients)");
    expect(stdout).toMatch(
      /generated 1 operation from fixtures\/seed\/revoke-session\.yaml .* → gen\/seed \(5 files changed\)/,
    );
    expect(stdout).toMatch(
      /generated 3 operations from fixtures\/params\/spec\.yaml .* → gen\/params \(5 files changed\)/,
    );
    expect(readdirSync(join(work, "gen/seed")).sort()).toEqual(FILES);
    expect(readdirSync(join(work, "gen/params")).sort()).toEqual(FILES);
    expect(readFileSync(join(work, "reports/params.md"), "utf8")).toBe(
      "# API changes\n\n`fixtures/params/spec.yaml` → `gen/params`: first generation, no previous output to compare with.\n",
    );
  });

  it("specfetch.config.ts with defineConfig, in a folder whose package.json is CommonJS; --out overrides the file", async () => {
    writeFileSync(
      join(work, "package.json"),
      JSON.stringify({ name: "consumer", type: "commonjs" }),
    );
    writeFileSync(
      join(work, "specfetch.config.ts"),
      [
        `import { defineConfig } from ${JSON.stringify(DEFINE_CONFIG)};`,
        "",
        "export default defineConfig({",
        '  spec: "fixtures/seed/revoke-session.yaml",',
        '  out: "from-config",',
        "});",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await specfetch("--out", "from-flag");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("→ from-flag (5 files changed)");
    expect(readdirSync(work)).not.toContain("from-config");
    expect(readFileSync(join(work, "from-flag/index.ts"), "utf8")).toContain(
      "from fixtures/seed/revoke-session.yaml (sha256",
    );
  });

  it("--config names a file elsewhere: its paths are relative to it (.mjs)", async () => {
    mkdirSync(join(work, "conf"));
    writeFileSync(
      join(work, "conf/specfetch.config.mjs"),
      'export default { spec: "../fixtures/seed/revoke-session.yaml", out: "../gen", failOnBreaking: true };\n',
    );
    const loaded = await loadConfig(join(work, "conf/specfetch.config.mjs"));
    expect(loaded.config).toEqual({
      spec: "../fixtures/seed/revoke-session.yaml",
      out: "../gen",
      failOnBreaking: true,
    });
    expect(loaded.dir).toBe(join(work, "conf"));
  });
});

describe("mistakes: exit 2, every one named with its place, nothing generated", () => {
  it("unknown keys and wrong values in JSON, with line:col, a JSON pointer and a suggestion", async () => {
    writeFileSync(
      join(work, "specfetch.config.json"),
      [
        "{",
        '  "clients": [',
        '    { "spec": "fixtures/seed/revoke-session.yaml", "out": "gen/seed" },',
        '    { "spec": "fixtures/params/spec.yaml", "ouy": "gen/params", "failOnBreaking": "yes" }',
        "  ],",
        '  "verbos": true',
        "}",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await specfetch();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      [
        'specfetch.config.json:4:5 error invalid-config: missing "out" in clients[1]',
        "  at #/clients/1",
        'specfetch.config.json:4:44 error unknown-config-key: unknown key "ouy" in clients[1]',
        "  at #/clients/1/ouy",
        '  hint: did you mean "out"?',
        'specfetch.config.json:4:65 error invalid-config-value: "failOnBreaking" in clients[1] must be true or false',
        "  at #/clients/1/failOnBreaking",
        'specfetch.config.json:6:3 error unknown-config-key: unknown key "verbos" at the top level',
        "  at #/verbos",
        '  hint: did you mean "verbose"?',
        "specfetch: the config has 4 errors; nothing was generated",
        "",
      ].join("\n"),
    );
    expect(readdirSync(work).sort()).toEqual(["fixtures", "specfetch.config.json"]);
  });

  it("an unknown key in a .ts config is named with its line", async () => {
    writeFileSync(
      join(work, "specfetch.config.ts"),
      'export default {\n  spec: "fixtures/seed/revoke-session.yaml",\n  out: "gen",\n  reprt: "changes.md",\n};\n',
    );
    const { code, stderr } = await mainIn(work, []);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'specfetch.config.ts:4:3 error unknown-config-key: unknown key "reprt" at the top level\n  at #/reprt\n  hint: did you mean "report"?',
    );
  });

  it.each([
    [
      "several config files",
      { "specfetch.config.json": "{}", "specfetch.config.mjs": "export default {};" },
      [],
      "error ambiguous-config: several config files: specfetch.config.mjs, specfetch.config.json",
    ],
    [
      "--out with several clients",
      {
        "specfetch.config.json": JSON.stringify({
          clients: [
            { spec: "a.yaml", out: "a" },
            { spec: "b.yaml", out: "b" },
          ],
        }),
      },
      ["--out", "x"],
      "--out needs a single client, and specfetch.config.json has 2",
    ],
    [
      "spec and clients together",
      {
        "specfetch.config.json": JSON.stringify({
          spec: "a.yaml",
          clients: [{ spec: "b.yaml", out: "b" }],
        }),
      },
      [],
      "`spec` belongs in each client when `clients` is given",
    ],
    [
      "a .ts config without a default export",
      { "specfetch.config.ts": "export const config = {};\n" },
      [],
      "specfetch.config.ts has no default export",
    ],
    [
      "a .ts config that does not parse: the error itself, with its line, not only esbuild's first line",
      { "specfetch.config.ts": "export default { spec: 'a.yaml' out: 'o' };\n" },
      [],
      'specfetch.config.ts:1:32: ERROR: Expected "}" but found "out"',
    ],
    [
      "invalid JSON",
      { "specfetch.config.json": '{ "spec": "a.yaml",, }' },
      [],
      "specfetch.config.json:1:20 error invalid-config: not valid JSON",
    ],
  ])("%s", async (_, files, args, message) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
    const { code, stderr } = await mainIn(work, args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe("the JSON Schema for editors", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "specfetch.config.schema.json"), "utf8")) as {
    properties: Record<string, unknown>;
    additionalProperties: boolean;
    definitions: { client: { properties: Record<string, unknown>; additionalProperties: boolean } };
  };

  it("accepts exactly the keys the validator accepts, and nothing else", () => {
    expect(Object.keys(schema.properties).sort()).toEqual(CONFIG_KEYS.top);
    expect(Object.keys(schema.definitions.client.properties).sort()).toEqual(CONFIG_KEYS.client);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.definitions.client.additionalProperties).toBe(false);
  });

  it("every key is documented in the README's config section", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Config file"));
    for (const key of CONFIG_KEYS.top.filter((k) => k !== "$schema"))
      expect(section, `README documents \`${key}\``).toContain(`\`${key}\``);
  });
});
