/**
 * One small spec per concern → one file snapshot per generated file. A changed snapshot is reviewed, not
 * rubber-stamped: `npx vitest run -u` rewrites them, and `git diff test/__snapshots__` shows what changed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NO_CHECK_DIRECTIVE } from "../generator/output/format.js";
import { generateFiles } from "../generator/index.js";
import { displayPathOf, FIXTURES, RUNTIME_SOURCE } from "./helpers/paths.js";

const FIXTURE_SPECS: Record<string, string> = {
  seed: "seed/revoke-session.yaml",
  params: "params/spec.yaml",
  bodies: "bodies/spec.yaml",
  responses: "responses/spec.yaml",
  security: "security/spec.yaml",
  naming: "naming/spec.yaml",
  "multi-file": "multi-file/openapi.yaml",
  swagger2: "swagger2/spec.yaml",
  anchors: "anchors/spec.yaml",
  circular: "circular/spec.yaml",
  "runtime-extras": "runtime-extras/spec.yaml",
  statuses: "statuses/spec.yaml",
  binary: "binary/spec.yaml",
  "binary-3.1": "binary-3.1/spec.yaml",
  "binary-swagger2": "binary-swagger2/spec.yaml",
  "read-write": "read-write/spec.yaml",
  deprecated: "deprecated/spec.yaml",
  servers: "servers/spec.yaml",
};

describe.each(Object.entries(FIXTURE_SPECS))("fixture %s", (name, file) => {
  const spec = join(FIXTURES, file);

  it("generates exactly schema.ts, operations.ts, client.ts, runtime.ts and index.ts", async () => {
    const { files } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
    expect([...files.keys()].sort()).toEqual([
      "client.ts",
      "index.ts",
      "operations.ts",
      "runtime.ts",
      "schema.ts",
    ]);
  });

  it("matches the reviewed snapshot of every generated file", async () => {
    const { files } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
    for (const [fileName, content] of files) {
      // runtime.ts is the same for every spec: its snapshot is kept once, with the seed.
      if (fileName === "runtime.ts" && name !== "seed") continue;
      await expect(content).toMatchFileSnapshot(`__snapshots__/${name}/${fileName}`);
    }
  });

  it("copies the runtime verbatim under the banner", async () => {
    const { files } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
    const runtime = files.get("runtime.ts")!;
    const source = readFileSync(RUNTIME_SOURCE, "utf8");
    expect(runtime.endsWith(source)).toBe(true);
    // The shared banner, then the type-check directive every body opens with, then the source as it is.
    expect(runtime.slice(0, -source.length)).toBe(
      files.get("index.ts")!.split("\n").slice(0, 3).join("\n") + `\n${NO_CHECK_DIRECTIVE}\n`,
    );
  });
});
