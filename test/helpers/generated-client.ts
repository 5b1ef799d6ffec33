/** A fixture's client, generated in memory, written to a fresh temporary folder and imported (tsx runs it). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateFiles } from "../../generator/index.js";
import { displayPathOf } from "./paths.js";

export interface GeneratedClient<Api> {
  /** The generated `index.ts`'s exports. */
  api: Api;
  /** The folder holding the generated files (and nothing else unless the caller put it there). */
  dir: string;
}

/**
 * Generates `spec` and imports the result. `dir` is where the files go (a new temporary folder when omitted);
 * the caller removes it.
 */
export async function importGeneratedClient<Api>(
  spec: string,
  dir: string = mkdtempSync(join(tmpdir(), "specfetch-client-")),
): Promise<GeneratedClient<Api>> {
  const { files } = await generateFiles({ spec, displayPath: displayPathOf(spec) });
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  const api = (await import(pathToFileURL(join(dir, "index.ts")).href)) as Api;
  return { api, dir };
}
