/** The generator's version, from package.json (it goes into every banner). */
import { readFileSync } from "node:fs";

const packageJson = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

export const GENERATOR_VERSION: string = packageJson.version;
