/**
 * What `bin/specfetch.js` runs once it knows something must be generated (not an up-to-date output): the schema
 * thread first, which loads openapi-typescript while this thread loads the rest of the generator, then the CLI.
 * The entry of the prebuilt generator (`scripts/build.mjs`), and of the TypeScript sources through tsx.
 */
import { schemaThread } from "./emit/schema-thread.js";

export async function launch(argv: readonly string[]): Promise<number> {
  if (!argv.some((a) => a === "--help" || a === "--version")) schemaThread();
  const { main } = await import("./cli.js");
  return main(argv);
}
