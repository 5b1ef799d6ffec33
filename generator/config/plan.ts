/**
 * The run plan: which clients to generate and how, from the command line and the config file. A spec on the
 * command line is a run of its own (the config file is not read); otherwise the config file gives the clients,
 * and every flag given on the command line wins over the file.
 */
import { statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { bannerSpecPath } from "../output/manifest.js";
import { normalizeHost } from "../load/remote.js";
import { findConfig, loadConfig, type LoadedConfig } from "./load.js";
import type { ClientConfig, Reporter } from "./types.js";

export class UsageError extends Error {}

export interface CliFlags {
  spec?: string | undefined;
  out?: string | undefined;
  config?: string | undefined;
  check?: boolean | undefined;
  watch?: boolean | undefined;
  force?: boolean | undefined;
  report?: string | undefined;
  failOnBreaking?: boolean | undefined;
  reporter?: Reporter | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  /** `--allow-ref-root <dir>` (repeatable), relative to the working directory. */
  allowRefRoots?: string[] | undefined;
  /** `--allow-ref-host <host>` (repeatable). */
  allowRefHosts?: string[] | undefined;
}

export interface ClientPlan {
  /** Absolute path of the spec. */
  spec: string;
  /** The spec as messages and diagnostics show it: relative to `baseDir`, forward slashes. */
  specPath: string;
  /**
   * The spec as the output's banner records it, forward slashes: relative to the config file's folder, or for a
   * spec given on the command line to the project (`bannerSpecPath`), so that the same spec and output folder give
   * the same bytes from whichever folder the command is run.
   */
  bannerPath: string;
  /** Absolute path of the output folder. */
  out: string;
  /** The output folder as messages show it (as given on the command line, or relative to the working directory). */
  outPath: string;
  /** Where this client's own change report goes (from the config file). */
  report: ReportTarget | undefined;
  failOnBreaking: boolean;
  /** What relative paths of this client are relative to (the config file's folder, or the working directory). */
  baseDir: string;
  /** Extra folders external `$ref`s may read from: absolute, existing folders (realpath'd when bundling). */
  allowRefRoots: string[];
  /** Hosts remote `$ref`s may be fetched from, canonical (`normalizeHost`). Empty: no network request. */
  allowRefHosts: string[];
}

export interface ReportTarget {
  file: string;
  display: string;
  format: "md" | "json";
}

export interface RunPlan {
  clients: ClientPlan[];
  check: boolean;
  watch: boolean;
  force: boolean;
  reporter: Reporter;
  quiet: boolean;
  verbose: boolean;
  /** `--report`: one report for every client of the run. */
  report: ReportTarget | undefined;
  /** The config file used, relative to the working directory. */
  configFile: string | undefined;
  /** The one command that regenerates every client of this run (shown when `--check` fails). */
  fixCommand: string;
}

export async function resolvePlan(
  flags: CliFlags,
  { cwd = process.cwd(), env = process.env }: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunPlan> {
  if (flags.spec !== undefined && flags.config !== undefined)
    throw new UsageError("give a spec file or --config, not both");
  let loaded: LoadedConfig | undefined;
  let clients: ClientPlan[];
  if (flags.spec !== undefined) {
    if (flags.out === undefined) throw new UsageError("missing --out <dir>");
    clients = [clientFromCli(flags.spec, flags.out, flags, cwd)];
  } else {
    const file = flags.config ?? findConfig(cwd);
    if (file === undefined)
      throw new UsageError(
        "missing the spec file (and there is no specfetch.config.ts, .mjs or .json here)",
      );
    loaded = await loadConfig(resolve(cwd, file));
    clients = clientsFromConfig(loaded, flags, cwd);
  }
  const config = loaded?.config ?? {};
  const pick = <K extends keyof CliFlags>(key: K): CliFlags[K] =>
    flags[key] ?? (config[key] as CliFlags[K]);
  const plan: RunPlan = {
    clients,
    check: pick("check") === true,
    watch: pick("watch") === true,
    force: pick("force") === true,
    quiet: pick("quiet") === true,
    verbose: pick("verbose") === true,
    reporter: pick("reporter") ?? (env.GITHUB_ACTIONS === "true" ? "github" : "text"),
    report: flags.report === undefined ? undefined : reportTarget(flags.report, cwd, cwd),
    configFile: loaded ? displayOf(loaded.file, cwd) : undefined,
    fixCommand: "",
  };
  // A flag beats the file: --quiet cancels the file's verbose and the reverse.
  if (flags.quiet) plan.verbose = false;
  if (flags.verbose) plan.quiet = false;
  if (flags.check) plan.watch = false;
  if (flags.watch) plan.check = false;
  if (plan.quiet && plan.verbose) throw new UsageError("--quiet and --verbose exclude each other");
  if (plan.check && plan.watch) throw new UsageError("--check and --watch exclude each other");
  plan.fixCommand = fixCommand({ flags, loaded, env, cwd });
  return plan;
}

function clientFromCli(spec: string, out: string, flags: CliFlags, cwd: string): ClientPlan {
  if (!/\.(ya?ml|json)$/i.test(spec))
    throw new UsageError(`the spec must be a .yaml, .yml or .json file: ${spec}`);
  const absolute = resolve(cwd, spec);
  const outDir = resolve(cwd, out);
  return {
    spec: absolute,
    specPath: displayOf(absolute, cwd) || spec,
    bannerPath: bannerSpecPath(absolute, outDir),
    out: outDir,
    outPath: out,
    report: undefined,
    failOnBreaking: flags.failOnBreaking === true,
    baseDir: cwd,
    allowRefRoots: refRoots({
      roots: flags.allowRefRoots ?? [],
      base: cwd,
      what: "--allow-ref-root",
    }),
    allowRefHosts: refHosts(flags.allowRefHosts ?? [], "--allow-ref-host"),
  };
}

/**
 * `--allow-ref-root` / `allowRefRoots`: each folder absolute, and existing (a typo fails here, not as a
 * confusing refusal later). Symlinks are resolved when bundling, so a link out of a root stays refused.
 */
function refRoots({ roots, base, what }: { roots: readonly string[]; base: string; what: string }) {
  return roots.map((root) => {
    const absolute = resolve(base, root);
    const isFolder = (() => {
      try {
        return statSync(absolute).isDirectory();
      } catch {
        return false;
      }
    })();
    if (!isFolder) throw new UsageError(`${what} ${root}: no such folder (${absolute})`);
    return absolute;
  });
}

/** `--allow-ref-host` / `allowRefHosts`: each entry canonical (lower-case), duplicates dropped. */
function refHosts(hosts: readonly string[], what: string): string[] {
  const canonical = hosts.map((host) => {
    const normalized = normalizeHost(host);
    if ("error" in normalized) throw new UsageError(`${what}: ${normalized.error}`);
    return normalized.host;
  });
  return [...new Set(canonical)].sort();
}

function clientsFromConfig(loaded: LoadedConfig, flags: CliFlags, cwd: string): ClientPlan[] {
  const config = loaded.config;
  const entries: ClientConfig[] = Array.isArray(config.clients)
    ? (config.clients as ClientConfig[])
    : [config as unknown as ClientConfig];
  if (flags.out !== undefined && entries.length > 1)
    throw new UsageError(
      `--out needs a single client, and ${displayOf(loaded.file, cwd)} has ${entries.length}`,
    );
  return entries.map((entry) => {
    const spec = resolve(loaded.dir, entry.spec);
    const out = flags.out !== undefined ? resolve(cwd, flags.out) : resolve(loaded.dir, entry.out);
    return {
      spec,
      specPath: displayOf(spec, loaded.dir),
      bannerPath: displayOf(spec, loaded.dir),
      out,
      outPath: flags.out ?? (displayOf(out, cwd) || "."),
      report: entry.report === undefined ? undefined : reportTarget(entry.report, loaded.dir, cwd),
      failOnBreaking:
        flags.failOnBreaking ??
        entry.failOnBreaking ??
        (config.failOnBreaking as boolean | undefined) ??
        false,
      baseDir: loaded.dir,
      ...refAllowlists({ loaded, entry, flags, cwd }),
    };
  });
}

/**
 * A client's allowlists: the command line's when given (relative to the working directory), else the file's
 * top-level list plus the client's own (relative to the config file).
 */
function refAllowlists({
  loaded,
  entry,
  flags,
  cwd,
}: {
  loaded: LoadedConfig;
  entry: ClientConfig;
  flags: CliFlags;
  cwd: string;
}): Pick<ClientPlan, "allowRefRoots" | "allowRefHosts"> {
  const config = loaded.config as { allowRefRoots?: string[]; allowRefHosts?: string[] };
  const file = displayOf(loaded.file, cwd);
  return {
    allowRefRoots: flags.allowRefRoots
      ? refRoots({ roots: flags.allowRefRoots, base: cwd, what: "--allow-ref-root" })
      : refRoots({
          roots: [...(config.allowRefRoots ?? []), ...(entry.allowRefRoots ?? [])],
          base: loaded.dir,
          what: `allowRefRoots in ${file}:`,
        }),
    allowRefHosts: flags.allowRefHosts
      ? refHosts(flags.allowRefHosts, "--allow-ref-host")
      : refHosts([...(config.allowRefHosts ?? []), ...(entry.allowRefHosts ?? [])], file),
  };
}

function reportTarget(file: string, base: string, cwd: string): ReportTarget {
  const format = /\.md$/i.test(file) ? "md" : /\.json$/i.test(file) ? "json" : undefined;
  if (!format) throw new UsageError(`--report must name a .md or .json file: ${file}`);
  const absolute = resolve(base, file);
  return { file: absolute, display: displayOf(absolute, cwd), format };
}

/**
 * What to run to regenerate: the npm script that ran us (when it is a plain specfetch call), else the same
 * specfetch command without `--check`.
 */
function fixCommand({
  flags,
  loaded,
  env,
  cwd,
}: {
  flags: CliFlags;
  loaded: LoadedConfig | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}): string {
  const script = env.npm_lifecycle_script ?? "";
  const event = env.npm_lifecycle_event;
  if (event && /\bspecfetch\b/.test(script) && !/--check\b/.test(script)) {
    const runner = /^(pnpm|yarn|bun)\//.exec(env.npm_config_user_agent ?? "")?.[1] ?? "npm";
    return runner === "yarn" ? `yarn ${event}` : `${runner} run ${event}`;
  }
  const parts = ["specfetch"];
  if (flags.spec !== undefined) parts.push(quote(flags.spec), "--out", quote(flags.out ?? ""));
  else {
    if (flags.config !== undefined && loaded)
      parts.push("--config", quote(displayOf(loaded.file, cwd)));
    if (flags.out !== undefined) parts.push("--out", quote(flags.out));
  }
  for (const root of flags.allowRefRoots ?? []) parts.push("--allow-ref-root", quote(root));
  for (const host of flags.allowRefHosts ?? []) parts.push("--allow-ref-host", quote(host));
  return parts.join(" ");
}

function displayOf(path: string, base: string): string {
  return relative(base, path).replace(/\\/g, "/");
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
