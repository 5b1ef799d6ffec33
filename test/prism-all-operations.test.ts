/**
 * Contract test over EVERY operation (issue 3, "Contract tests against an independent server"): for the
 * Dashboard API (the committed `generated/` client) and the three Petstore documents (clients generated now into
 * a temporary folder), each operation is called through the generated client against Prism (`--errors`), with
 * arguments built from the raw spec's examples, defaults and `openapi-sampler` samples
 * (test/helpers/sample-args.ts), and Prism must report nothing wrong with the REQUEST.
 *
 * What counts as "wrong with the request", for each call (Prism reports it in different places depending on
 * which responses the operation declares, so all of them are read):
 * - in Prism's log section of the call, `requestViolationsIn` (test/helpers/prism.ts): `Violation: request...`
 *   lines, the validator's error lines (the only trace when the operation declares no 400/422/401: Prism then
 *   answers with its own problem+json 422/401 and logs no `Violation:` line), routing and other non-response
 *   `Request terminated with error`s, and the absence of "The request passed the validation rules";
 * - the `sl-violations` response header, entries located in `request` (with `--errors`, when Prism's own mocked
 *   response violates the spec it answers 500 and returns before logging the `Violation:` lines; the header
 *   still has them);
 * - the `validation` entries of a problem+json 422 that Prism generated.
 * Response violations do not count: they are about Prism's mock data, not about the client.
 *
 * Every call must also reach Prism exactly once (`retry: false`, redirects not followed) and end in a value or
 * an `ApiError` (Prism answers 4xx/5xx for its own reasons, e.g. 500 when its mocked response does not match
 * the spec): anything else (a TypeError from the client, a network error) fails. A negative control checks
 * that each of those detection paths does report a deliberately wrong request made through the client.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import type {
  CallOptions,
  Client,
  ClientOptions,
  CredentialValue,
  OperationMeta,
  SecuritySchemeMeta,
} from "../generator/runtime/runtime.js";
import { displayPathOf, FIXTURES, SPEC } from "./helpers/paths.js";
import { requestViolationsIn, startPrism, type PrismServer } from "./helpers/prism.js";
import {
  prepareDocument,
  sampleArgs,
  type JsonObject,
  type PreparedDocument,
} from "./helpers/sample-args.js";

/** What the test uses of a generated client module. */
interface GeneratedModule {
  readonly operations: Readonly<Record<string, OperationMeta>>;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeMeta>>;
  readonly createClient: (options?: ClientOptions) => Client;
  readonly ApiError: abstract new (...args: never[]) => Error & { status: number };
}
type OperationFunction = (args: unknown, options?: CallOptions) => Promise<unknown>;

interface SpecCase {
  /** The spec as reports name it (relative to the repository root). */
  readonly name: string;
  readonly specPath: string;
  /** The generated client: the committed one, or one generated now. */
  readonly load: () => Promise<{ module: GeneratedModule; cleanup?: () => void }>;
}

/** Generates the spec's client into a temporary folder and imports it (vitest transpiles the .ts files). */
async function generateAndImport(
  specPath: string,
): Promise<{ module: GeneratedModule; cleanup: () => void }> {
  const { files } = await generateFiles({ spec: specPath, displayPath: displayPathOf(specPath) });
  const dir = mkdtempSync(join(tmpdir(), "specfetch-prism-"));
  try {
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    const module = (await import(pathToFileURL(join(dir, "index.ts")).href)) as GeneratedModule;
    return { module, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const DASHBOARD = displayPathOf(SPEC);
const CASES: SpecCase[] = [
  {
    name: DASHBOARD,
    specPath: SPEC,
    load: async () => ({
      module: (await import("../generated/index.js")) as unknown as GeneratedModule,
    }),
  },
  ...["petstore.yaml", "petstore-expanded.yaml", "swagger-petstore-v3-openapi.yaml"].map((file) => {
    const specPath = join(FIXTURES, "petstore", file);
    return { name: displayPathOf(specPath), specPath, load: () => generateAndImport(specPath) };
  }),
];

/**
 * Request violations that are NOT the client's fault (a Prism limitation or a spec defect), per spec, keyed
 * `METHOD /path: <violation as reported>`, each with its reason. Keep it as small as possible: an entry that
 * no longer occurs fails the test, so it cannot go stale. Empty today: every operation of every spec here is
 * sent without a request violation.
 */
const ALLOWED: Readonly<Record<string, ReadonlyMap<string, string>>> = {};

/** A credential for every security scheme the spec declares. */
function credentials(
  schemes: Readonly<Record<string, SecuritySchemeMeta>>,
): Record<string, CredentialValue> {
  return Object.fromEntries(
    Object.entries(schemes).map(([name, scheme]): [string, CredentialValue] => [
      name,
      scheme.type === "http" && /^basic$/i.test(scheme.scheme)
        ? { username: "contract-user", password: "contract-password" }
        : `contract-token-${name}`,
    ]),
  );
}

/** What the fetch wrapper saw of one exchange with Prism. */
interface Exchange {
  method: string;
  url: string;
  contentType: string | null;
  status: number;
  /** `sl-violations` entries located in the request. */
  requestViolations: { location: string; message: string }[];
  /** The `validation` entries of a problem+json 422 Prism generated. */
  problemViolations: { location: string; message: string }[];
}

interface ProblemJson {
  type?: string;
  validation?: { location?: string[]; message?: string }[];
}

/** A client for Prism that records every exchange into `exchanges` (one per attempt). */
function recordingClient(
  module: GeneratedModule,
  prism: PrismServer,
  exchanges: Exchange[],
  options: ClientOptions = {},
): Client {
  return module.createClient({
    baseUrl: prism.url,
    auth: credentials(module.securitySchemes),
    retry: false,
    // One slow call fails on its own instead of timing the whole test out.
    timeoutMs: 15_000,
    ...options,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      // Not followed: a mocked 3xx carries Prism's sample `Location` (e.g. "string"), and what counts here is
      // the one request the client built.
      const response = await fetch(request, { redirect: "manual" });
      const header = response.headers.get("sl-violations");
      const entries = (header === null ? [] : JSON.parse(header)) as {
        location?: string[];
        message?: string;
      }[];
      const problem = /problem\+json/.test(response.headers.get("content-type") ?? "")
        ? ((await response.clone().json()) as ProblemJson)
        : undefined;
      exchanges.push({
        method: request.method,
        url: request.url,
        contentType: request.headers.get("content-type"),
        status: response.status,
        requestViolations: entries
          .filter((v) => v.location?.[0] === "request")
          .map((v) => ({ location: v.location!.join("."), message: v.message ?? "" })),
        problemViolations: /#UNPROCESSABLE_ENTITY$/.test(problem?.type ?? "")
          ? (problem?.validation ?? []).map((v) => ({
              location: `request.${(v.location ?? []).join(".")}`,
              message: v.message ?? "",
            }))
          : [],
      });
      return response;
    },
  });
}

interface CallReport {
  fn: string;
  /** `PUT /sessions/{sessionId}/revoke` */
  label: string;
  /** `PUT /sessions/{sessionId}/revoke: <violation>` */
  requestViolations: string[];
  /** Anything else that went wrong (no request, two requests, a non-ApiError rejection). */
  failures: string[];
  /** The response status, "ok" for a resolved call. */
  outcome: string;
  /** What was sent and logged, for the failure message. */
  details: string[];
}

/** Calls `fn` with `args` through `client` and collects what Prism reports about the request. */
async function exercise(input: {
  module: GeneratedModule;
  prism: PrismServer;
  client: Client;
  exchanges: Exchange[];
  fn: string;
  args: unknown;
  callOptions?: CallOptions | undefined;
}): Promise<CallReport> {
  const { module, prism, client, exchanges, fn, args } = input;
  const meta = module.operations[fn]!;
  const label = `${meta.method} ${meta.path}`;
  const report: CallReport = {
    fn,
    label,
    requestViolations: [],
    failures: [],
    outcome: "ok",
    details: [],
  };
  const call = (module as unknown as Record<string, OperationFunction | undefined>)[fn];
  if (typeof call !== "function") {
    report.failures.push(`the module exports no function ${fn}`);
    return report;
  }
  const mark = prism.mark();
  exchanges.length = 0;
  try {
    await call(args, { ...input.callOptions, client });
  } catch (error) {
    if (error instanceof module.ApiError) report.outcome = String(error.status);
    else report.failures.push(`the call threw ${String(error)}`);
  }
  const sections = await prism.requestsSince(mark);
  if (sections.length !== 1 || exchanges.length !== 1)
    report.failures.push(
      `expected one request; Prism logged ${sections.length}, the client sent ${exchanges.length}`,
    );
  const found = sections.flatMap((section) => requestViolationsIn(section.lines));
  for (const exchange of exchanges)
    for (const { location, message } of [
      ...exchange.requestViolations,
      ...exchange.problemViolations,
    ])
      if (!found.some((f) => f.endsWith(message))) found.push(`${location} ${message}`);
  report.requestViolations = found.map((violation) => `${label}: ${violation}`);
  report.details = [
    ...exchanges.map(
      (e) => `sent ${e.method} ${e.url} (content-type ${e.contentType ?? "none"}) → ${e.status}`,
    ),
    ...sections.flatMap((s) => s.lines.map((line) => `log ${line}`)),
  ];
  return report;
}

describe.each(CASES)("every operation of $name against Prism", ({ name, specPath, load }) => {
  let prism: PrismServer;
  let module: GeneratedModule;
  let cleanup: (() => void) | undefined;
  let prepared: PreparedDocument;

  beforeAll(async () => {
    prepared = prepareDocument(parse(readFileSync(specPath, "utf8")) as JsonObject);
    const [server, loaded] = await Promise.allSettled([
      startPrism(specPath, { startupTimeoutMs: 90_000 }),
      load(),
    ]);
    // Keep whatever started, so that afterAll cleans it up even when the other one failed.
    if (server.status === "fulfilled") prism = server.value;
    if (loaded.status === "fulfilled") ({ module, cleanup } = loaded.value);
    for (const result of [server, loaded]) if (result.status === "rejected") throw result.reason;
  });

  afterAll(async () => {
    cleanup?.();
    await prism?.stop();
  });

  it("sends every operation's request the way the spec says (zero request violations from Prism)", async () => {
    const started = Date.now();
    const exchanges: Exchange[] = [];
    const client = recordingClient(module, prism, exchanges);
    const allowed = ALLOWED[name] ?? new Map<string, string>();
    const reports: (CallReport & { sampled: string[] })[] = [];
    for (const [fn, meta] of Object.entries(module.operations)) {
      const sampled = sampleArgs(prepared, meta);
      const report = await exercise({ module, prism, client, exchanges, fn, args: sampled.args });
      reports.push({
        ...report,
        sampled: [
          ...sampled.sources.map((s) => `arg ${s}`),
          ...sampled.notes.map((n) => `note ${n}`),
        ],
      });
    }

    const violations = reports.flatMap((r) => r.requestViolations);
    const unexpected = violations.filter((v) => !allowed.has(v));
    const stale = [...allowed.keys()].filter((key) => !violations.includes(key));
    const outcomes = new Map<string, number>();
    for (const r of reports) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    console.info(
      `prism contract: ${name}: ${reports.length} operations exercised, ${unexpected.length} request violations` +
        (violations.length > unexpected.length
          ? ` (${violations.length - unexpected.length} allowlisted)`
          : "") +
        ` in ${((Date.now() - started) / 1000).toFixed(1)} s (Prism started in ${prism.startupMs} ms);` +
        ` outcomes: ${[...outcomes].map(([outcome, n]) => `${outcome} ×${n}`).join(", ")}`,
    );
    const bad = reports.filter(
      (r) => r.failures.length > 0 || r.requestViolations.some((v) => !allowed.has(v)),
    );
    for (const r of bad)
      console.info(
        [
          `${r.fn} (${r.label}):`,
          ...[...r.failures, ...r.requestViolations, ...r.sampled, ...r.details],
        ].join("\n    "),
      );
    if (prepared.notes.length > 0)
      console.info(
        `spec examples not used for ${name} (invalid for their schema):\n  ${prepared.notes.join("\n  ")}`,
      );

    expect(reports.length).toBe(Object.keys(module.operations).length);
    expect(reports.length).toBeGreaterThan(0);
    expect(unexpected).toEqual([]);
    expect(bad.flatMap((r) => r.failures.map((f) => `${r.fn}: ${f}`))).toEqual([]);
    expect(stale, "allowlist entries that no longer occur").toEqual([]);
  });

  // The negative control needs one Prism and one client: the Dashboard API's (no skipped tests for the others).
  if (name === DASHBOARD)
    it("negative control: each way Prism reports a bad request is detected", async () => {
      const exchanges: Exchange[] = [];
      const client = recordingClient(module, prism, exchanges);
      const anonymous = recordingClient(module, prism, exchanges, { auth: {} });
      const valid = (fn: string) => sampleArgs(prepared, module.operations[fn]!).args;
      const run = async (fn: string, args: unknown, using = client, callOptions?: CallOptions) =>
        (await exercise({ module, prism, client: using, exchanges, fn, args, callOptions }))
          .requestViolations;

      // The detector finds nothing in valid calls of the same operations ...
      for (const fn of [
        "getEnvironmentSettings",
        "revokeSessionById",
        "createInvite",
        "getTelegramAuth",
        "addOrigin",
      ])
        expect(await run(fn, valid(fn)), fn).toEqual([]);

      // ... a bad path parameter of an operation without 400/422: Prism's own 422, no Violation line or header;
      const badPath = await run("getEnvironmentSettings", {
        path: { environmentId: "not-a-uuid" },
      });
      expect(badPath.join("\n")).toMatch(/path parameter environmentid must match pattern/);
      // no credentials, 401 declared: Violation line and header;
      const sessionArgs = valid("revokeSessionById");
      expect((await run("revokeSessionById", sessionArgs, anonymous)).join("\n")).toMatch(
        /request Invalid security scheme used/,
      );
      // no credentials, no 401 declared: Prism's own 401;
      expect((await run("createInvite", valid("createInvite"), anonymous)).join("\n")).toMatch(
        /Invalid security scheme used/,
      );
      // a required query parameter missing (400 declared);
      const telegram = valid("getTelegramAuth") as { path: unknown };
      expect((await run("getTelegramAuth", { path: telegram.path })).join("\n")).toMatch(
        /request\.query Request query must have required property 'state'/,
      );
      // a content type the operation does not take (set by middleware: a `Content-Type` header the operation
      // does not list does not pick the body's type);
      const plainText = recordingClient(module, prism, exchanges, {
        middleware: [
          {
            onRequest: ({ request }) => {
              const changed = new Request(request);
              changed.headers.set("Content-Type", "text/plain");
              return changed;
            },
          },
        ],
      });
      const contentType = await run("addOrigin", valid("addOrigin"), plainText);
      expect(contentType.join("\n")).toMatch(/Supported content types: application\/json/);
      // a path Prism has no route for.
      const elsewhere = recordingClient(module, prism, exchanges, {
        baseUrl: `${prism.url}/elsewhere`,
      });
      expect((await run("revokeSessionById", sessionArgs, elsewhere)).join("\n")).toMatch(
        /NO_PATH_MATCHED_ERROR/,
      );
    });
});
