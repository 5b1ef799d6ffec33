/**
 * The runtime uses no Node-only API: the generated Dashboard API client, bundled as a consumer's bundler would
 * (esbuild, `platform: "neutral"`: no Node shims), runs the same scenarios in Node (this one and 18), Bun, Deno and an
 * edge-runtime VM (a context with only web APIs: no `process`, no `Buffer`, no `require`) against one real
 * local HTTP server, and every platform must see the same outcomes.
 *
 * Expected values come from the issue's rules (retry on 503 with `Retry-After`, timeout and abort as their own
 * errors, path values percent-encoded, `..` refused before any request, no credential in what an error shows)
 * and from the server's scripted answers below, not from running the client.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jsonResponse, startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { ROOT } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import type { Outcome } from "./fixtures/portability/consumer.js";

const TOKEN = "portable-secret-7f3a";
const SESSION = { id: "s-1", revoked: true };
const CONSUMER = join(ROOT, "test/fixtures/portability/consumer.ts");
const BUN = join(ROOT, "node_modules/.bin/bun");
const DENO = join(ROOT, "node_modules/.bin/deno");
const DENO_RUN = ["run", "--no-prompt", "--allow-net=127.0.0.1"];
/** Node 18, the oldest Node the client supports: its own install (`npm ci --prefix test/runtimes`, as CI does). */
const NODE_18 = join(ROOT, "test/runtimes/node_modules/.bin/node");

let server: RecordingServer;
let work: string;

beforeAll(async () => {
  server = await startRecordingServer();
  work = mkdtempSync(join(tmpdir(), "specfetch-portability-"));
  const bundle = (format: "esm" | "iife", outfile: string) =>
    build({
      entryPoints: [CONSUMER],
      bundle: true,
      format,
      globalName: "portable",
      platform: "neutral",
      target: "es2022",
      outfile: join(work, outfile),
      logLevel: "silent",
    });
  await Promise.all([bundle("esm", "consumer.mjs"), bundle("iife", "consumer.js")]);
});

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  server.reset();
  // The scenario is the session id the consumer sends.
  server.respondWith((request) => {
    const scenario = /\/sessions\/([^/]+)\/revoke$/.exec(request.url)?.[1];
    const seen = server.requests.filter((r) => r.url === request.url).length;
    if (scenario === "ok") return jsonResponse(200, SESSION, { "x-trace": "t-1" });
    if (scenario === "a%2Fb%3Fc") return jsonResponse(200, { encoded: true });
    if (scenario === "retried")
      return seen === 1
        ? jsonResponse(503, { error: "busy" }, { "retry-after": "0" })
        : jsonResponse(200, { retried: true });
    if (scenario === "forbidden") return jsonResponse(403, { error: "not yours" });
    if (scenario?.startsWith("hang")) return { status: 200, hang: true };
    if (scenario === "reset") return { status: 200, fault: "reset" };
    if (scenario === "bad-json")
      return { status: 200, headers: { "content-type": "application/json" }, body: "{" };
    return jsonResponse(404, { error: `no scenario ${String(scenario)}` });
  });
});

/**
 * A script that runs the consumer and prints its outcomes as JSON: the ESM bundle, or (`sources`) the
 * TypeScript consumer importing the vendored `generated/*.ts` as they are, which Bun and Deno run directly.
 */
function launcher(sources = false): string {
  const file = join(work, sources ? "launch.ts" : "launch.mjs");
  const base = `${server.origin}/api/v0`;
  const consumer = sources ? pathToFileURL(CONSUMER).href : "./consumer.mjs";
  writeFileSync(
    file,
    `import { run } from ${JSON.stringify(consumer)};\n` +
      `console.log(JSON.stringify(await run(${JSON.stringify(base)}, ${JSON.stringify(TOKEN)})));\n`,
  );
  return file;
}

async function inProcess(command: string, args: string[]): Promise<Record<string, Outcome>> {
  const result = await run(command, args, {
    cwd: work,
    env: { ...process.env, DENO_DIR: join(work, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  if (result.code !== 0) throw new Error(`${command} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, Outcome>;
}

const PLATFORMS: Record<
  string,
  { present: () => boolean; run: () => Promise<Record<string, Outcome>> }
> = {
  node: { present: () => true, run: () => inProcess(process.execPath, [launcher()]) },
  "node 18": { present: () => existsSync(NODE_18), run: () => inProcess(NODE_18, [launcher()]) },
  bun: { present: () => existsSync(BUN), run: () => inProcess(BUN, [launcher()]) },
  "bun, TypeScript sources": {
    present: () => existsSync(BUN),
    run: () => inProcess(BUN, [launcher(true)]),
  },
  deno: { present: () => existsSync(DENO), run: () => inProcess(DENO, [...DENO_RUN, launcher()]) },
  // The `./x.js` specifiers name `./x.ts` files (as TypeScript's nodenext resolution wants): Deno maps them
  // with --sloppy-imports (README, Platforms).
  "deno, TypeScript sources": {
    present: () => existsSync(DENO),
    run: () => inProcess(DENO, [...DENO_RUN, "--sloppy-imports", launcher(true)]),
  },
  "edge-runtime VM": {
    present: () => true,
    run: async () => {
      const { EdgeVM } = await import("@edge-runtime/vm");
      const vm = new EdgeVM();
      vm.evaluate(readFileSync(join(work, "consumer.js"), "utf8"));
      // What the VM's globals lack is what the bundle must not need.
      expect(vm.evaluate("[typeof process, typeof Buffer, typeof require].join()")).toBe(
        "undefined,undefined,undefined",
      );
      const base = `${server.origin}/api/v0`;
      const json = await vm.evaluate<Promise<string>>(
        `portable.run(${JSON.stringify(base)}, ${JSON.stringify(TOKEN)}).then(JSON.stringify)`,
      );
      return JSON.parse(json) as Record<string, Outcome>;
    },
  },
};

describe.each(Object.keys(PLATFORMS))("the generated client in %s", (platform) => {
  const { present, run: runOn } = PLATFORMS[platform]!;
  const title =
    "sends, retries, times out, aborts and fails with the same typed errors as everywhere else";
  it.skipIf(!present())(
    present()
      ? title
      : `${title} (skipped: ${platform} is not installed here; ${platform === "node 18" ? "npm ci --prefix test/runtimes" : "npm ci"} installs it)`,
    async () => {
      const results = await runOn();

      // A success: PUT with the bearer credential, below the base path.
      expect(results["ok"]).toEqual({ value: SESSION });
      const ok = server.requests.find((r) => r.url === "/api/v0/sessions/ok/revoke");
      expect(ok?.method).toBe("PUT");
      expect(ok?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);

      // The path value is percent-encoded; `..` never leaves the process.
      expect(results["encoded"]).toEqual({ value: { encoded: true } });
      expect(results["dot-dot"]?.error?.kinds).toEqual(["TypeError"]);
      expect(server.requests.some((r) => /\/sessions\/(\.|%2E)/i.test(r.url))).toBe(false);

      // 503 with Retry-After: 0, then 200: two attempts, the second one's body.
      expect(results["retried"]).toEqual({ value: { retried: true } });
      expect(server.requests.filter((r) => r.url.includes("/retried/")).length).toBe(2);

      // A 403: an ApiError with the typed body; PUT is idempotent, but 403 is not retried.
      expect(results["forbidden"]?.error).toMatchObject({
        name: "ApiError",
        kinds: ["SpecfetchError", "ApiError"],
        status: 403,
        body: { error: "not yours" },
      });
      expect(server.requests.filter((r) => r.url.includes("/forbidden/")).length).toBe(1);

      // A held request: a TimeoutError after 200 ms; the caller's abort: an AbortError.
      expect(results["timeout"]?.error).toMatchObject({
        name: "TimeoutError",
        kinds: ["SpecfetchError", "TimeoutError"],
        timeoutMs: 200,
      });
      expect(results["aborted"]?.error).toMatchObject({
        name: "AbortError",
        kinds: ["SpecfetchError", "AbortError"],
      });
      expect(server.requests.filter((r) => r.url.includes("/hang-2/")).length).toBe(1);

      // A reset connection: a NetworkError; a 200 that is not JSON: a ResponseParseError.
      expect(results["reset"]?.error).toMatchObject({
        name: "NetworkError",
        kinds: ["SpecfetchError", "NetworkError"],
      });
      expect(results["bad-json"]?.error).toMatchObject({
        name: "ResponseParseError",
        kinds: ["SpecfetchError", "ResponseParseError"],
        status: 200,
      });

      // The status and headers of a success.
      expect(results["with-response"]).toEqual({
        value: { data: SESSION, status: 200, trace: "t-1" },
      });

      // A multipart Blob without a type takes the part's declared type (Node 18 has no global `File`).
      expect(results["untyped-part"]).toEqual({ value: { type: "image/png", text: "P" } });

      // No error shows the credential, on any platform.
      for (const [name, result] of Object.entries(results))
        expect(result.error?.shown ?? "", name).not.toContain(TOKEN);
    },
    60_000,
  );
});
