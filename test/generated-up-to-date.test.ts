/** The committed `generated/` is exactly what `spec/dashboard-api.yaml` generates now, byte for byte. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import { displayPathOf, GENERATED, SPEC } from "./helpers/paths.js";

it("generated/ equals what spec/dashboard-api.yaml generates (run `npm run generate` if not)", async () => {
  const { files, model } = await generateFiles({ spec: SPEC, displayPath: displayPathOf(SPEC) });
  expect(model.operations).toHaveLength(275);
  expect(readdirSync(GENERATED).sort()).toEqual([...files.keys()].sort());
  for (const [name, content] of files) {
    const committed = readFileSync(join(GENERATED, name), "utf8");
    // Compare lengths first: a diff of two 500 KB strings is unreadable; the file name is what matters.
    expect({ file: name, same: committed === content }).toEqual({ file: name, same: true });
  }
});
