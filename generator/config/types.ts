/**
 * The shape of `specfetch.config.{ts,mjs,json}`. `specfetch.config.schema.json` says the same for editors of the
 * JSON form; `test/workflow-config.test.ts` keeps the two (and the validator in `load.ts`) in step.
 *
 * Every CLI option has a key here; a flag given on the command line wins over the file.
 */

/** One client to generate: a spec and the folder it is written to. */
export interface ClientConfig {
  /** The OpenAPI document (`.yaml`, `.yml` or `.json`), relative to the config file. */
  spec: string;
  /** The folder to write, relative to the config file (`--out`). */
  out: string;
  /** Write the change report of this client to a `.md` or `.json` file, relative to the config file (`--report`). */
  report?: string;
  /** Exit 4 when this client's API has breaking changes (`--fail-on-breaking`). */
  failOnBreaking?: boolean;
  /**
   * Extra folders this client's external `$ref`s may read from, relative to the config file
   * (`--allow-ref-root`); added to the top-level list. The spec's own folder always may.
   */
  allowRefRoots?: string[];
  /**
   * Hosts this client's remote `$ref`s may be fetched from, `host` or `host:port` (`--allow-ref-host`); added
   * to the top-level list. None by default: no network request.
   */
  allowRefHosts?: string[];
}

export type Reporter = "text" | "json" | "github";

/** Options of a whole run (every client). */
export interface RunConfig {
  /** Write nothing; exit 3 when an output differs from what its spec generates (`--check`). */
  check?: boolean;
  /** Regenerate whenever a spec changes (`--watch`). */
  watch?: boolean;
  /** Regenerate even when spec, options and generator version are unchanged (`--force`). */
  force?: boolean;
  /** How diagnostics and results are printed (`--reporter`); default `github` under GitHub Actions, else `text`. */
  reporter?: Reporter;
  /** Print errors only (`--quiet`). */
  quiet?: boolean;
  /** Print every step, with timings (`--verbose`). */
  verbose?: boolean;
  /** Exit 4 when any client's API has breaking changes (`--fail-on-breaking`); a client's own setting wins. */
  failOnBreaking?: boolean;
  /** Extra folders every client's external `$ref`s may read from, relative to the config file (`--allow-ref-root`). */
  allowRefRoots?: string[];
  /** Hosts every client's remote `$ref`s may be fetched from, `host` or `host:port` (`--allow-ref-host`). */
  allowRefHosts?: string[];
}

/**
 * The config file: either one client (`spec` and `out` at the top level) or several (`clients`), plus run options.
 *
 * ```ts
 * // specfetch.config.ts
 * import { defineConfig } from "specfetch/generator/config/types.ts";
 * export default defineConfig({ clients: [{ spec: "spec/a.yaml", out: "src/a" }], failOnBreaking: true });
 * ```
 */
export type SpecfetchConfig = RunConfig & { $schema?: string } & (
    | (ClientConfig & { clients?: never })
    | { clients: ClientConfig[]; spec?: never; out?: never; report?: never }
  );

/** Identity: gives a `.ts` or `.mjs` config file type checking and completion. */
export function defineConfig(config: SpecfetchConfig): SpecfetchConfig {
  return config;
}
