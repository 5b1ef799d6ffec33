// What the bench runs: the specs, the generators (specfetch and its peers) and the consumers that call one
// GitHub operation (GET /repos/{owner}/{repo}, operationId `repos/get`) through each one's output.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const BENCH = join(ROOT, "bench");
export const WORK = join(BENCH, ".work");
export const PEERS = join(BENCH, "node_modules");

/** Installed version of a bench peer, or of this repo's own dependency when `from` is ROOT. */
export function versionOf(name, from = BENCH) {
  const file = join(from, "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : "not installed";
}

/** Absolute path of a peer's CLI, read from its package.json `bin`. */
function binOf(name, command) {
  const pkg = JSON.parse(readFileSync(join(PEERS, name, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin[command ?? Object.keys(pkg.bin)[0]];
  return join(PEERS, name, bin);
}

export const SHARED_SPECS = resolve(ROOT, "..", "shared", "specs");

export const specs = [
  {
    id: "github",
    label: "GitHub",
    source: "@octokit/openapi generated/api.github.com.json (OpenAPI 3.0.3, JSON)",
    path: join(PEERS, "@octokit/openapi/generated/api.github.com.json"),
    missing: "the bench's peers are not installed (npm ci --prefix bench)",
  },
  {
    id: "stripe",
    label: "Stripe",
    source:
      "../shared/specs/peers/openapi-typescript/packages/openapi-typescript/examples/stripe-api.yaml (YAML)",
    path: join(
      SHARED_SPECS,
      "peers/openapi-typescript/packages/openapi-typescript/examples/stripe-api.yaml",
    ),
    missing: "../shared/specs is absent on this machine",
  },
  {
    id: "dashboard",
    label: "Dashboard",
    source: "spec/dashboard-api.yaml (OpenAPI 3.2.0, YAML)",
    path: join(ROOT, "spec/dashboard-api.yaml"),
    missing: "spec/dashboard-api.yaml is missing",
  },
];

/**
 * The generators. `command({ spec, out, specfetchRoot })` gives [file, args]; `expect` is the file a successful
 * run must leave in `out` (oazapfts exits 0 on some failures' paths, orval warns and carries on). Peers get
 * their output folder created for them (oazapfts does not create it); specfetch creates its own.
 */
export const generators = [
  {
    id: "specfetch",
    label: "specfetch",
    version: (specfetchRoot) =>
      JSON.parse(readFileSync(join(specfetchRoot, "package.json"), "utf8")).version,
    command: ({ spec, out, specfetchRoot }) => [
      process.execPath,
      [join(specfetchRoot, "bin/specfetch.js"), spec, "--out", out],
    ],
    display: "node bin/specfetch.js <spec> --out <dir>",
    expect: "index.ts",
    createsOut: true,
  },
  {
    id: "openapi-typescript",
    label: "openapi-typescript (types only)",
    package: "openapi-typescript",
    command: ({ spec, out }) => [
      process.execPath,
      [binOf("openapi-typescript"), spec, "-o", join(out, "schema.ts")],
    ],
    display: "openapi-typescript <spec> -o <dir>/schema.ts",
    expect: "schema.ts",
  },
  {
    id: "oazapfts",
    label: "oazapfts",
    package: "oazapfts",
    command: ({ spec, out }) => [process.execPath, [binOf("oazapfts"), spec, join(out, "api.ts")]],
    display: "oazapfts <spec> <dir>/api.ts",
    expect: "api.ts",
  },
  {
    id: "orval",
    label: "orval (fetch client)",
    package: "orval",
    command: ({ spec, out }) => [
      process.execPath,
      [
        binOf("orval"),
        "--input",
        spec,
        "--output",
        join(out, "api.ts"),
        "--client",
        "fetch",
        "--mode",
        "single",
      ],
    ],
    display: "orval --input <spec> --output <dir>/api.ts --client fetch --mode single",
    expect: "api.ts",
  },
  {
    id: "hey-api",
    label: "hey-api (client-fetch)",
    package: "@hey-api/openapi-ts",
    command: ({ spec, out }) => [
      process.execPath,
      [
        binOf("@hey-api/openapi-ts"),
        "--input",
        spec,
        "--output",
        out,
        "--client",
        "@hey-api/client-fetch",
        "--no-log-file",
        "--silent",
      ],
    ],
    display:
      "openapi-ts --input <spec> --output <dir> --client @hey-api/client-fetch --no-log-file --silent",
    expect: "sdk.gen.ts",
  },
];

/** Where a generator's output for a spec lives (kept after the run for the consumer phases and for a look). */
export const genDir = (specId, toolId) => join(WORK, "gen", specId, toolId);

/**
 * Consumers of GET /repos/{owner}/{repo}. Each module exports `makeGetRepo(baseUrl)`, a function
 * `(owner, repo) => Promise<string>` that calls the operation and returns the typed `full_name`, so the
 * type-check sees a real use of the response type, the bundle keeps the call, and the per-call runner can drive
 * it. `gen` is the generator whose GitHub output it imports (relative to `.work/consumers/<id>/`).
 */
const G = (tool) => `../../gen/github/${tool}`;
export const consumers = [
  {
    id: "empty",
    label: "empty project (baseline)",
    gen: null,
    phases: ["tsc"],
    source: () => "export const answer: number = 42;\n",
  },
  {
    id: "fetch",
    label: "hand-written fetch (no generated code)",
    gen: null,
    phases: ["bundle", "rps"],
    source: () => `
export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  return async (owner, repo) => {
    const response = await fetch(\`\${baseUrl}/repos/\${encodeURIComponent(owner)}/\${encodeURIComponent(repo)}\`);
    if (!response.ok) throw new Error(\`GET /repos/{owner}/{repo}: \${response.status}\`);
    const repository = (await response.json()) as { full_name: string };
    return repository.full_name;
  };
}
`,
  },
  {
    id: "openapi-typescript",
    label: "openapi-typescript types + hand-written fetch",
    gen: "openapi-typescript",
    phases: ["tsc"],
    source: () => `
import type { paths } from "${G("openapi-typescript")}/schema.js";

type Repository = paths["/repos/{owner}/{repo}"]["get"]["responses"][200]["content"]["application/json"];

export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  return async (owner, repo) => {
    const response = await fetch(\`\${baseUrl}/repos/\${encodeURIComponent(owner)}/\${encodeURIComponent(repo)}\`);
    if (!response.ok) throw new Error(\`GET /repos/{owner}/{repo}: \${response.status}\`);
    const repository = (await response.json()) as Repository;
    return repository.full_name;
  };
}
`,
  },
  {
    id: "specfetch",
    label: "specfetch",
    gen: "specfetch",
    phases: ["tsc", "bundle", "rps"],
    source: () => `
import { createClient, reposGet } from "${G("specfetch")}/index.js";

export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  const client = createClient({ baseUrl });
  return async (owner, repo) => {
    const repository = await reposGet({ path: { owner, repo } }, { client });
    return repository.full_name;
  };
}
`,
  },
  {
    id: "openapi-fetch",
    label: "openapi-fetch + openapi-typescript types",
    gen: "openapi-typescript",
    phases: ["tsc", "bundle", "rps"],
    source: () => `
import createClient from "openapi-fetch";
import type { paths } from "${G("openapi-typescript")}/schema.js";

export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  const client = createClient<paths>({ baseUrl });
  return async (owner, repo) => {
    const { data, error } = await client.GET("/repos/{owner}/{repo}", { params: { path: { owner, repo } } });
    if (error !== undefined || data === undefined) throw new Error("GET /repos/{owner}/{repo} failed");
    return data.full_name;
  };
}
`,
  },
  {
    id: "oazapfts",
    label: "oazapfts",
    gen: "oazapfts",
    phases: ["tsc", "bundle", "rps"],
    source: () => `
import { reposGet } from "${G("oazapfts")}/api.js";

export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  return async (owner, repo) => {
    const response = await reposGet(owner, repo, { baseUrl });
    if (response.status !== 200) throw new Error(\`GET /repos/{owner}/{repo}: \${response.status}\`);
    return response.data.full_name;
  };
}
`,
  },
  {
    // orval's fetch client builds relative URLs (\`/repos/\${owner}/\${repo}\`) unless a base URL is baked in at
    // generation time, so it is type-checked and bundled but not driven against the local server.
    id: "orval",
    label: "orval (fetch client)",
    gen: "orval",
    phases: ["tsc", "bundle"],
    source: () => `
import { reposGet } from "${G("orval")}/api.js";

export function makeGetRepo(_baseUrl: string): (owner: string, repo: string) => Promise<string> {
  return async (owner, repo) => {
    const response = await reposGet(owner, repo);
    if (response.status !== 200) throw new Error(\`GET /repos/{owner}/{repo}: \${response.status}\`);
    return response.data.full_name;
  };
}
`,
  },
  {
    id: "hey-api",
    label: "hey-api (client-fetch)",
    gen: "hey-api",
    phases: ["tsc", "bundle", "rps"],
    source: () => `
import { createClient, createConfig } from "${G("hey-api")}/client/index.js";
import { reposGet } from "${G("hey-api")}/sdk.gen.js";

export function makeGetRepo(baseUrl: string): (owner: string, repo: string) => Promise<string> {
  const client = createClient(createConfig({ baseUrl }));
  return async (owner, repo) => {
    const { data, error } = await reposGet({ client, path: { owner, repo } });
    if (error !== undefined || data === undefined) throw new Error("GET /repos/{owner}/{repo} failed");
    return data.full_name;
  };
}
`,
  },
];

/** The tsconfig every consumer is checked with: strict, bundler resolution, DOM for fetch (as specfetch's own tsconfig); no @types. */
export const consumerTsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: false,
  },
  files: ["consumer.ts"],
};
