/**
 * `npx tsx scripts/layout-check.ts [filter]`: for every valid document of ../shared/specs (and the committed
 * Dashboard spec), `client.ts` laid out from its structures (`emit/client-layout.ts`, what `generate` writes)
 * must be the bytes the ts-morph + prettier path makes of the same statements. Prints each document whose bytes
 * differ, with the first differing line, how many statements fell back to prettier, and a summary line.
 * A development check of the layout rules over the corpus, too slow for the unit tests (those check the fixtures).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SpecError } from "../generator/diagnostics.js";
import { generateFiles } from "../generator/index.js";
import { clientStatements } from "../generator/emit/client.js";
import { printClientFormatted } from "../generator/emit/client-layout.js";
import { printStatements } from "../generator/emit/source-file.js";
import { formatTypeScript } from "../generator/output/format.js";
import { readManifest } from "./corpus.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SPECS = process.env.SPECFETCH_SHARED_SPECS ?? join(ROOT, "../shared/specs");
const filter = process.argv[2];

// A file given is checked alone (GitHub's document from the bench, say); any other argument filters the corpus.
const paths =
  filter && existsSync(filter)
    ? [resolve(filter)]
    : [
        join(ROOT, "spec/dashboard-api.yaml"),
        ...readManifest(SPECS)
          .filter((e) => !e.invalid)
          .map((e) => join(SPECS, e.path)),
      ].filter((p) => !filter || p.includes(filter));

let same = 0;
let differ = 0;
let fallbacks = 0;
let skipped = 0;
for (const spec of paths) {
  let model;
  try {
    ({ model } = await generateFiles({ spec, displayPath: "spec" }));
  } catch (error) {
    if (error instanceof SpecError) {
      skipped++;
      continue;
    }
    throw error;
  }
  const statements = clientStatements(model);
  let unsure = 0;
  const laidOut = await printClientFormatted(statements, (source) => {
    unsure++;
    return formatTypeScript(source);
  });
  const prettier = await formatTypeScript(printStatements("client.ts", statements));
  fallbacks += unsure;
  if (laidOut === prettier) {
    same++;
    continue;
  }
  differ++;
  const a = laidOut.split("\n");
  const b = prettier.split("\n");
  const at = a.findIndex((line, i) => line !== b[i]);
  console.log(
    `${spec.startsWith(SPECS) ? spec.slice(SPECS.length + 1) : spec}: differs at line ${at + 1} (${unsure} of ${statements.length} statements to prettier)`,
  );
  console.log(`  laid out: ${JSON.stringify(a.slice(Math.max(0, at - 2), at + 3).join("\n"))}`);
  console.log(`  prettier: ${JSON.stringify(b.slice(Math.max(0, at - 2), at + 3).join("\n"))}`);
}
console.log(
  `layout-check: ${same} the same, ${differ} differ, ${skipped} rejected by the generator; ${fallbacks} statements formatted by prettier`,
);
process.exitCode = differ > 0 ? 1 : 0;
