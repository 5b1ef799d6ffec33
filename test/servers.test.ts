/**
 * servers/spec.yaml: document-level servers (OpenAPI 3.1 §4.8.5 Server Object, §4.8.6 Server Variable Object).
 * The generated module's `servers` holds every URL with its variables at their defaults, `serverTemplates`
 * the servers as written, and the default client's baseUrl is the first filled URL; `serverUrl` fills a
 * template. The type side (an out-of-enum value does not compile) is test/types/fixtures/servers.test-d.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { importGeneratedClient } from "./helpers/generated-client.js";
import { FIXTURES } from "./helpers/paths.js";

interface Template {
  url: string;
  variables: Record<string, { default: string; enum?: readonly string[] }>;
}
interface Api {
  servers: readonly string[];
  serverTemplates: readonly Template[];
  serverUrl: (template: Template, values?: Record<string, string>) => string;
  defaultClient: { config: { baseUrl: string } };
  createClient: (options: unknown) => { config: { baseUrl: string } };
  ping: (args?: unknown, options?: unknown) => Promise<unknown>;
}

const SPEC = join(FIXTURES, "servers/spec.yaml");
const dirs: string[] = [];
let api: Api;

beforeAll(async () => {
  const generated = await importGeneratedClient<Api>(SPEC);
  dirs.push(generated.dir);
  api = generated.api;
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("the generated module", () => {
  it("servers: each URL with its variables at their defaults, in spec order", () => {
    expect(api.servers).toEqual([
      "https://acme.api.example.com/v1",
      "https://sandbox.example.com/v1",
    ]);
  });

  it("serverTemplates: the servers as written, each variable's default and enum (descriptions left out)", () => {
    expect(api.serverTemplates).toEqual([
      {
        url: "https://{tenant}.api.example.com/{version}",
        variables: { tenant: { default: "acme" }, version: { default: "v1", enum: ["v1", "v2"] } },
      },
      { url: "https://sandbox.example.com/v1", variables: {} },
    ]);
  });

  it("the default client, and createClient without a baseUrl, use the first filled URL", () => {
    expect(api.defaultClient.config.baseUrl).toBe("https://acme.api.example.com/v1");
    expect(api.createClient({}).config.baseUrl).toBe("https://acme.api.example.com/v1");
  });
});

describe("serverUrl(template, values)", () => {
  it("fills the given variables and leaves the others at their defaults", () => {
    const [templated, plain] = api.serverTemplates;
    expect(api.serverUrl(templated!)).toBe("https://acme.api.example.com/v1");
    expect(api.serverUrl(templated!, { version: "v2" })).toBe("https://acme.api.example.com/v2");
    expect(api.serverUrl(templated!, { tenant: "globex", version: "v2" })).toBe(
      "https://globex.api.example.com/v2",
    );
    expect(api.serverUrl(plain!)).toBe("https://sandbox.example.com/v1");
  });

  it("refuses a value outside the variable's enum at run time (a cast got past the compiler)", () => {
    expect(() => api.serverUrl(api.serverTemplates[0]!, { version: "v3" })).toThrow(
      new TypeError('server variable "version" must be one of v1, v2'),
    );
  });
});

describe("on the wire: a call without a client goes to the first server, variables at their defaults", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  it("ping() with the default client reaches {tenant}/{version} = acme/v1", async () => {
    // The fixture, with the first server's host replaced by the local server (same variables).
    const port = new URL(server.origin).port;
    const dir = mkdtempSync(join(tmpdir(), "specfetch-servers-"));
    dirs.push(dir);
    const text = readFileSync(SPEC, "utf8").replace(
      "https://{tenant}.api.example.com/{version}",
      `http://127.0.0.1:${port}/{tenant}/{version}`,
    );
    writeFileSync(join(dir, "spec.yaml"), text);
    const { api: local } = await importGeneratedClient<Api>(join(dir, "spec.yaml"), dir);
    server.respondWith({ status: 204 });
    await local.ping();
    await local.ping(
      {},
      {
        client: local.createClient({
          baseUrl: local.serverUrl(local.serverTemplates[0]!, { tenant: "globex", version: "v2" }),
        }),
      },
    );
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /acme/v1/ping",
      "GET /globex/v2/ping",
    ]);
  });
});
