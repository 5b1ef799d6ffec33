/**
 * Remote `$ref`s: off unless the host is allowed (`allowRefHosts`, `--allow-ref-host`). Two loopback HTTP
 * servers stand in for hosts, told apart by their port (`127.0.0.1:<port>` is the host an entry names): `a`,
 * the one a test allows, and `b`, which must never be connected to. Each server counts the TCP connections it
 * accepts (its `connection` event), so "no request was made" means no socket was even opened, and the requests
 * it answers (fetch keeps connections alive between requests; they are all closed after each test).
 */
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mainIn } from "./helpers/main-in.js";
import { SpecError } from "../generator/diagnostics.js";
import { generate } from "../generator/index.js";
import { LIMITS } from "../generator/load/limits.js";
import { normalizeHost, remoteRefusal } from "../generator/load/remote.js";
import { upToDateRun } from "../generator/output/fast-path.js";
import { CLI, TSC } from "./helpers/paths.js";
import { run } from "./helpers/run.js";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

interface Host {
  origin: string;
  /** `127.0.0.1:<port>`: what an allowlist entry names. */
  host: string;
  connections: number;
  requests: number;
  routes: Map<string, Route>;
  server: Server;
}

async function startHost(): Promise<Host> {
  const routes = new Map<string, Route>();
  const server = createServer((req, res) => {
    host.requests++;
    const route = routes.get(req.url ?? "");
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  const host = { origin: "", host: "", connections: 0, requests: 0, routes, server };
  server.on("connection", () => host.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  host.origin = `http://${host.host}`;
  return host;
}

function serve(host: Host, path: string, body: string): void {
  host.routes.set(path, (_req, res) =>
    res.writeHead(200, { "content-type": "application/yaml" }).end(body),
  );
}

const PET = `type: object
title: RemotePet
required: [remotePetId]
properties:
  remotePetId: { type: integer }
  owner: { $ref: "./owner.yaml" }
`;
const OWNER = "type: object\nproperties:\n  remoteOwnerName: { type: string }\n";

/** The spec: one operation whose response schema is `$ref: <url>` (line 12). */
function specReferring(url: string): string {
  return `openapi: 3.1.0
info: { title: remote, version: "1" }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "${url}" }
`;
}
const REF_POINTER = "/paths/~1pets/get/responses/200/content/application~1json/schema";

let tmp: string;
let a: Host;
let b: Host;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "specfetch-remote-"));
  [a, b] = await Promise.all([startHost(), startHost()]);
});

afterEach(() => {
  for (const host of [a, b]) {
    host.server.closeAllConnections();
    host.routes.clear();
    host.connections = 0;
    host.requests = 0;
  }
});

afterAll(async () => {
  await Promise.all([a, b].map((h) => new Promise((resolve) => h.server.close(resolve))));
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder with `api.yaml` referring to `url`; generates into `<folder>/out`. */
async function generateReferring(url: string, allowRefHosts?: string[]) {
  const dir = join(tmp, randomUUID());
  mkdirSync(dir);
  const spec = join(dir, "api.yaml");
  writeFileSync(spec, specReferring(url));
  const out = join(dir, "out");
  try {
    const generated = await generate({ spec, out, displayPath: "api.yaml", allowRefHosts });
    return { dir, spec, out, generated, error: undefined };
  } catch (error) {
    return { dir, spec, out, generated: undefined, error };
  }
}

function singleDiagnostic(error: unknown) {
  expect(error).toBeInstanceOf(SpecError);
  const diagnostics = (error as SpecError).diagnostics;
  expect(diagnostics.map((d) => d.code)).toEqual(["external-ref"]);
  return diagnostics[0]!;
}

describe("the matching rule (README, Security model)", () => {
  const allowed = (url: string, entry: string) => {
    const normalized = normalizeHost(entry);
    if ("error" in normalized) throw new Error(normalized.error);
    return remoteRefusal({ url, hosts: [normalized.host] }) === undefined;
  };

  it.each([
    ["https://api.example.com/a.yaml", "api.example.com", true],
    ["http://api.example.com/a.yaml", "api.example.com", true],
    ["https://API.Example.COM/a.yaml", "api.EXAMPLE.com", true],
    ["https://api.example.com/a.yaml", "api.example.com:443", true],
    ["http://api.example.com:443/a.yaml", "api.example.com:443", true],
    ["http://api.example.com/a.yaml", "api.example.com:443", false],
    ["https://api.example.com:8443/a.yaml", "api.example.com", false],
    ["https://cdn.api.example.com/a.yaml", "api.example.com", false],
    ["https://api.example.com.evil.test/a.yaml", "api.example.com", false],
    ["https://evil.test#@api.example.com/a.yaml", "api.example.com", false],
    ["https://xn--bcher-kva.de/a.yaml", "bücher.de", true],
    ["http://[::1]:8080/a.yaml", "[::1]:8080", true],
    ["ftp://api.example.com/a.yaml", "api.example.com", false],
  ])("%s with %s allowed: %s", (url, entry, expected) => {
    expect(allowed(url, entry)).toBe(expected);
  });

  it.each(["https://api.example.com", "api.example.com/specs", "*.example.com", "user@host", ""])(
    "%j is not an entry",
    (entry) => {
      expect(normalizeHost(entry)).toMatchObject({
        error: expect.stringContaining("is not a host"),
      });
    },
  );
});

describe("an allowed host", () => {
  it("is fetched, relative refs inside resolve against its URL, and the client compiles", async () => {
    serve(a, "/pets/pet.yaml", PET);
    serve(a, "/pets/owner.yaml", OWNER);
    const { out, generated, error, spec } = await generateReferring(`${a.origin}/pets/pet.yaml`, [
      a.host,
    ]);
    expect(error).toBeUndefined();
    const schema = generated!.files.get("schema.ts")!;
    expect(schema).toContain("remotePetId: number");
    expect(schema).toContain("remoteOwnerName?: string");
    // Watch mode watches local files only: the URL is not among them.
    expect(generated!.sourceFiles).toEqual([spec]);
    writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(out, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...STRICTEST_FLAGS, noEmit: true },
        files: ["index.ts"],
      }),
    );
    withTypeChecking(out);
    const tsc = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: out });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("is recorded in the banner by URL and the sha256 of what it served", async () => {
    serve(a, "/pets/pet.yaml", PET);
    serve(a, "/pets/owner.yaml", OWNER);
    const { generated } = await generateReferring(`${a.origin}/pets/pet.yaml`, [a.host]);
    const manifest = generated!.files.get("index.ts")!.split("\n")[1]!;
    const short = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
    expect(manifest).toContain(` source=${a.origin}/pets/owner.yaml@${short(OWNER)} `);
    expect(manifest).toContain(` source=${a.origin}/pets/pet.yaml@${short(PET)} `);
  });

  it("an upper- or mixed-case scheme is the same URL: fetched from the host, recorded in canonical form", async () => {
    serve(a, "/pets/pet.yaml", PET);
    serve(a, "/pets/owner.yaml", OWNER);
    const { generated, error } = await generateReferring(`HTTP://${a.host}/pets/pet.yaml`, [
      a.host,
    ]);
    expect(error).toBeUndefined();
    expect(generated!.files.get("schema.ts")).toContain("remotePetId: number");
    expect(a.requests).toBe(2); // pet.yaml, then owner.yaml relative to it
    const manifest = generated!.files.get("index.ts")!.split("\n")[1]!;
    expect(manifest).toContain(` source=${a.origin}/pets/pet.yaml@`);
    expect(manifest).not.toContain("HTTP:");
  });

  it("matches by exact host: the hostname without the port is another host", async () => {
    serve(a, "/pets/pet.yaml", PET);
    const { error } = await generateReferring(`${a.origin}/pets/pet.yaml`, ["127.0.0.1"]);
    expect(singleDiagnostic(error).message).toContain(`host ${a.host} is not allowed`);
    expect(a.connections).toBe(0);
  });
});

describe("refused, with the location of the $ref and no connection made", () => {
  it("a host not allowed (the default): no request at all", async () => {
    serve(a, "/pets/pet.yaml", PET);
    const { out, error } = await generateReferring(`${a.origin}/pets/pet.yaml`);
    const d = singleDiagnostic(error);
    expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
    expect(d.message).toContain("remote references are not allowed");
    expect(d.message).toContain(`--allow-ref-host ${a.host}`);
    expect(d.hint).toContain("--allow-ref-host");
    expect(existsSync(out)).toBe(false);
    expect(a.connections).toBe(0);
  });

  it("an allowed host's document referring to a host that is not allowed", async () => {
    serve(a, "/pet.yaml", PET.replace("./owner.yaml", `${b.origin}/owner.yaml`));
    serve(b, "/owner.yaml", OWNER);
    const { error } = await generateReferring(`${a.origin}/pet.yaml`, [a.host]);
    const d = singleDiagnostic(error);
    // Located in the remote document, at its `$ref`.
    expect(d).toMatchObject({
      file: `${a.origin}/pet.yaml`,
      line: 6,
      pointer: "/properties/owner",
    });
    expect(d.message).toContain(`host ${b.host} is not allowed`);
    expect(a.requests).toBe(1);
    expect(b.connections).toBe(0);
  });

  it("a redirect from the allowed host to another host is not followed", async () => {
    a.routes.set("/moved.yaml", (_req, res) =>
      res.writeHead(302, { location: `${b.origin}/pet.yaml` }).end(),
    );
    serve(b, "/pet.yaml", PET);
    const { error } = await generateReferring(`${a.origin}/moved.yaml`, [a.host]);
    const d = singleDiagnostic(error);
    expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
    expect(d.message).toContain(`302 (a redirect to ${b.origin}/pet.yaml)`);
    expect(d.message).toContain("follows no redirects");
    expect(a.requests).toBe(1);
    expect(b.connections).toBe(0);
  });

  it("an answer other than 2xx names its status", async () => {
    const { error } = await generateReferring(`${a.origin}/missing.yaml`, [a.host]);
    const d = singleDiagnostic(error);
    expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
    expect(d.message).toContain(`cannot fetch ${a.origin}/missing.yaml: it answered 404`);
  });

  it("a redirect is not followed even to the same host", async () => {
    a.routes.set("/moved.yaml", (_req, res) => res.writeHead(301, { location: "/pet.yaml" }).end());
    serve(a, "/pet.yaml", PET);
    const { error } = await generateReferring(`${a.origin}/moved.yaml`, [a.host]);
    expect(singleDiagnostic(error).message).toContain(
      `301 (a redirect to ${a.origin}/pet.yaml); specfetch follows no redirects`,
    );
    expect(a.requests).toBe(1);
  });

  it("a body streamed past maxDocumentBytes is cut off with a clear error", async () => {
    let aborted = false;
    let sent = 0;
    a.routes.set("/huge.yaml", (_req, res) => {
      res.writeHead(200, { "content-type": "application/yaml" }); // chunked: no length declared
      const chunk = Buffer.alloc(1024 * 1024, "#");
      res.on("close", () => (aborted = !res.writableFinished));
      const pump = () => {
        while (sent < 3 * LIMITS.maxDocumentBytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const { error } = await generateReferring(`${a.origin}/huge.yaml`, [a.host]);
    const d = singleDiagnostic(error);
    expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
    expect(d.message).toContain("larger than the limit maxDocumentBytes (64 MiB)");
    await expect.poll(() => aborted).toBe(true); // the client hung up before the server finished
    expect(sent).toBeLessThan(3 * LIMITS.maxDocumentBytes);
  });

  it("a declared Content-Length past maxDocumentBytes fails before the body is read", async () => {
    a.routes.set("/declared.yaml", (_req, res) => {
      res.writeHead(200, { "content-length": String(LIMITS.maxDocumentBytes + 1) });
      res.write("type: object\n"); // and nothing more: waiting for the rest would hang
    });
    const started = performance.now();
    const { error } = await generateReferring(`${a.origin}/declared.yaml`, [a.host]);
    expect(singleDiagnostic(error).message).toContain("larger than the limit maxDocumentBytes");
    expect(performance.now() - started).toBeLessThan(LIMITS.fetchTimeoutMs);
  });

  it.each<[string, Route]>([
    ["never answers", () => {}],
    ["stalls in the body", (_req, res) => void res.writeHead(200).write("type: object\n")],
  ])("a host that %s fails after fetchTimeoutMs", async (_, route) => {
    a.routes.set("/slow.yaml", route);
    const limits = LIMITS as { fetchTimeoutMs: number };
    const saved = limits.fetchTimeoutMs;
    limits.fetchTimeoutMs = 300; // the real limit (30 s) is too long for a test
    try {
      const started = performance.now();
      const { error } = await generateReferring(`${a.origin}/slow.yaml`, [a.host]);
      const d = singleDiagnostic(error);
      expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
      expect(d.message).toContain("no complete answer within the limit fetchTimeoutMs (0.3 s)");
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      limits.fetchTimeoutMs = saved;
    }
  });

  it("a scheme other than http(s) inside an allowed document", async () => {
    serve(a, "/pet.yaml", PET.replace("./owner.yaml", "file:///etc/passwd"));
    const { error } = await generateReferring(`${a.origin}/pet.yaml`, [a.host]);
    expect(singleDiagnostic(error).message).toContain("only http: and https: can be, not file:");
  });
});

describe("the command line and the config file", () => {
  const statusOf = (stdout: string) => (JSON.parse(stdout.trim()) as { status: string }).status;

  it("--allow-ref-host: a remote source is fetched again on every run and decides if the output changed", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(dir);
    writeFileSync(join(dir, "api.yaml"), specReferring(`${a.origin}/pet.yaml`));
    serve(a, "/pet.yaml", PET.replace(/ {2}owner:.*\n/, ""));
    const args = ["api.yaml", "--out", "out", "--allow-ref-host", a.host, "--reporter", "json"];
    const first = await mainIn(dir, args);
    expect(first.code).toBe(0);
    expect(statusOf(first.stdout)).toBe("generated");
    expect(a.requests).toBe(1);
    const second = await mainIn(dir, args);
    expect(statusOf(second.stdout)).toBe("unchanged"); // not "up-to-date": it was fetched again
    expect(a.requests).toBe(2);
    serve(a, "/pet.yaml", PET.replace(/ {2}owner:.*\n/, "  remoteNickname: { type: string }\n"));
    const third = await mainIn(dir, args);
    expect(statusOf(third.stdout)).toBe("generated");
    expect(readFileSync(join(dir, "out/schema.ts"), "utf8")).toContain("remoteNickname");
  });

  it("without --allow-ref-host: exit 1, located, the fix named, no connection", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(dir);
    writeFileSync(join(dir, "api.yaml"), specReferring(`${a.origin}/pet.yaml`));
    serve(a, "/pet.yaml", PET);
    const { code, stderr } = await mainIn(dir, ["api.yaml", "--out", "out"]);
    expect(code).toBe(1);
    expect(stderr).toContain("api.yaml:12:");
    expect(stderr).toContain(`--allow-ref-host ${a.host}`);
    expect(a.connections).toBe(0);
  });

  it("an error inside a remote document is shown at its URL, line and column", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(dir);
    writeFileSync(join(dir, "api.yaml"), specReferring(`${a.origin}/pet.yaml`));
    serve(a, "/pet.yaml", PET.replace("./owner.yaml", `${b.origin}/owner.yaml`));
    const text = await mainIn(dir, ["api.yaml", "--out", "out", "--allow-ref-host", a.host]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`${a.origin}/pet.yaml:6:`);
    const json = await mainIn(dir, [
      ...["api.yaml", "--out", "out", "--allow-ref-host", a.host, "--reporter", "json"],
    ]);
    const result = JSON.parse(json.stdout.trim()) as { diagnostics: { file: string }[] };
    expect(result.diagnostics.map((d) => d.file)).toEqual([`${a.origin}/pet.yaml`]);
    expect(b.connections).toBe(0);
  });

  it("config keys: roots relative to the config file, hosts per client; flags relative to the cwd", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(join(dir, "conf/spec"), { recursive: true });
    mkdirSync(join(dir, "conf/shared"));
    writeFileSync(join(dir, "conf/shared/tag.yaml"), "type: string\ndescription: shared-tag\n");
    writeFileSync(
      join(dir, "conf/spec/api.yaml"),
      specReferring(`${a.origin}/pet.yaml`) +
        'components:\n  schemas:\n    Tag: { $ref: "../shared/tag.yaml" }\n',
    );
    serve(a, "/pet.yaml", PET.replace(/ {2}owner:.*\n/, ""));
    const config = {
      allowRefRoots: ["shared"],
      clients: [{ spec: "spec/api.yaml", out: "out", allowRefHosts: [a.host.toUpperCase()] }],
    };
    writeFileSync(join(dir, "conf/specfetch.config.json"), JSON.stringify(config));
    // Run from `dir`, not from the config's folder: "shared" must resolve against the config file.
    const viaConfig = await mainIn(dir, ["--config", "conf/specfetch.config.json"]);
    expect(viaConfig.stderr).toBe("");
    expect(viaConfig.code).toBe(0);
    expect(readFileSync(join(dir, "conf/out/schema.ts"), "utf8")).toContain("shared-tag");
    // The same from the command line: the root relative to the working directory.
    const viaFlags = await mainIn(dir, [
      "conf/spec/api.yaml",
      "--out",
      "out2",
      "--allow-ref-root",
      "conf/shared",
      "--allow-ref-host",
      a.host,
    ]);
    expect(viaFlags.stderr).toBe("");
    expect(viaFlags.code).toBe(0);
    // A flag replaces the file's list (the hosts still come from the file): a root the spec does not need.
    const replaced = await mainIn(dir, [
      "--config",
      "conf/specfetch.config.json",
      "--allow-ref-root",
      "conf/spec",
    ]);
    expect(replaced.code).toBe(1);
    expect(replaced.stderr).toContain("conf/spec/api.yaml:15:");
    expect(replaced.stderr).toContain("resolves outside the spec's folder");
    expect(replaced.stderr).not.toContain("remote references are not allowed");
  });

  it("removing an allowed root makes the next run regenerate (and fail), not skip as up to date", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(join(dir, "spec"), { recursive: true });
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared/tag.yaml"), "type: string\ndescription: shared-tag\n");
    writeFileSync(join(dir, "spec/api.yaml"), specReferring("../shared/tag.yaml"));
    const args = ["spec/api.yaml", "--out", "out"];
    const allowed = await mainIn(dir, [...args, "--allow-ref-root", "shared"]);
    expect(allowed.code).toBe(0);
    const again = await mainIn(dir, [...args, "--allow-ref-root", "shared", "--verbose"]);
    expect(again.stdout).toContain("is up to date"); // the control: the skip does happen with the root
    // bin/specfetch.js's fast path (plain command line, no root) must not call it up to date either.
    expect(await upToDateRun(args, { cwd: dir, stdout: () => {} })).toBeUndefined();
    const revoked = await mainIn(dir, [...args, "--verbose"]);
    expect(revoked.stdout + revoked.stderr).toContain(
      "../shared/tag.yaml is not inside an allowed root",
    );
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("spec/api.yaml:12:");
  });

  it.each([
    [["--allow-ref-host", "https://example.com/"], "is not a host"],
    [["--allow-ref-host", "*.example.com"], "is not a host"],
    [["--allow-ref-root", "no-such-folder"], "--allow-ref-root no-such-folder: no such folder"],
  ])("a bad %j is a usage error (exit 2)", async (flag, message) => {
    const dir = join(tmp, randomUUID());
    mkdirSync(dir);
    writeFileSync(join(dir, "api.yaml"), specReferring("./x.yaml"));
    const { code, stderr } = await mainIn(dir, ["api.yaml", "--out", "out", ...flag]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("a bad allowRefHosts entry in the config file is located", async () => {
    const dir = join(tmp, randomUUID());
    mkdirSync(dir);
    writeFileSync(
      join(dir, "specfetch.config.json"),
      '{\n  "spec": "api.yaml",\n  "out": "out",\n  "allowRefHosts": ["https://example.com"]\n}\n',
    );
    const { code, stderr } = await mainIn(dir, []);
    expect(code).toBe(2);
    expect(stderr).toContain("specfetch.config.json:4:3");
    expect(stderr).toContain('"https://example.com" is not a host');
  });
});

/**
 * Over HTTPS, with throwaway self-signed certificates made by `openssl` in a temporary folder: certificates are
 * always verified (there is no option to turn that off), so an allowed host whose certificate Node does not trust
 * fails with a certificate error; trusted the way Node offers (`NODE_EXTRA_CA_CERTS`, read when a process
 * starts: hence a child process running the CLI), it is fetched, and a trusted certificate for another name is
 * still refused.
 */
const HAS_OPENSSL = spawnSync("openssl", ["version"]).status === 0;

describe.skipIf(!HAS_OPENSSL)("over HTTPS (self-signed certificates made with openssl)", () => {
  interface TlsHost {
    host: string;
    origin: string;
    requests: number;
    close: () => Promise<void>;
  }
  let dir: string;
  /** Its certificate names 127.0.0.1; `misnamed`'s names only localhost. */
  let named: TlsHost;
  let misnamed: TlsHost;

  /** A key and a self-signed certificate for `subjectAltName` (e.g. `IP:127.0.0.1`), as PEM files. */
  function certificate(name: string, altName: string): { key: string; cert: string } {
    const [key, cert] = [join(dir, `${name}-key.pem`), join(dir, `${name}-cert.pem`)];
    const made = spawnSync("openssl", [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", key, "-out", cert, "-days", "1", "-subj", `/CN=${name}`],
      ...["-addext", `subjectAltName=${altName}`],
    ]);
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    return { key, cert };
  }

  async function startTlsHost(files: { key: string; cert: string }): Promise<TlsHost> {
    const server = createHttpsServer(
      { key: readFileSync(files.key), cert: readFileSync(files.cert) },
      (req, res) => {
        tls.requests++;
        const body = { "/pets/pet.yaml": PET, "/pets/owner.yaml": OWNER }[req.url ?? ""];
        if (body) res.writeHead(200, { "content-type": "application/yaml" }).end(body);
        else res.writeHead(404).end();
      },
    );
    const tls: TlsHost = { host: "", origin: "", requests: 0, close: async () => {} };
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    tls.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    tls.origin = `https://${tls.host}`;
    tls.close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return tls;
  }

  /** The CLI in a child process trusting `trusted` (PEM files) through NODE_EXTRA_CA_CERTS, and only those. */
  async function cliTrusting(trusted: string[], url: string, host: string) {
    const folder = join(dir, randomUUID());
    mkdirSync(folder);
    writeFileSync(join(folder, "api.yaml"), specReferring(url));
    const bundle = join(folder, "trusted.pem");
    writeFileSync(bundle, trusted.map((file) => readFileSync(file, "utf8")).join(""));
    const args = [CLI, "api.yaml", "--out", "out", "--allow-ref-host", host];
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: bundle };
    return { folder, ...(await run(process.execPath, args, { cwd: folder, env })) };
  }

  let namedFiles: { key: string; cert: string };
  let misnamedFiles: { key: string; cert: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "specfetch-tls-"));
    namedFiles = certificate("specfetch-test-ip", "IP:127.0.0.1");
    misnamedFiles = certificate("localhost", "DNS:localhost");
    [named, misnamed] = await Promise.all([startTlsHost(namedFiles), startTlsHost(misnamedFiles)]);
  });

  afterAll(async () => {
    await Promise.all([named, misnamed].map((h) => h?.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("an allowed host whose certificate is not trusted: a certificate error at the $ref, no request", async () => {
    const { out, error } = await generateReferring(`${named.origin}/pets/pet.yaml`, [named.host]);
    const d = singleDiagnostic(error);
    expect(d).toMatchObject({ file: "api.yaml", line: 12, pointer: REF_POINTER });
    expect(d.message).toContain(
      `cannot fetch ${named.origin}/pets/pet.yaml: its TLS certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT`,
    );
    expect(d.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(named.requests).toBe(0); // the handshake failed: no HTTP request was sent
    expect(existsSync(out)).toBe(false);
  });

  it("the same host, its certificate trusted through NODE_EXTRA_CA_CERTS: fetched over HTTPS", async () => {
    const result = await cliTrusting(
      [namedFiles.cert],
      `${named.origin}/pets/pet.yaml`,
      named.host,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const schema = readFileSync(join(result.folder, "out/schema.ts"), "utf8");
    expect(schema).toContain("remotePetId: number");
    expect(schema).toContain("remoteOwnerName?: string"); // ./owner.yaml, relative to the https URL
    expect(named.requests).toBe(2);
  });

  it("a trusted certificate issued for another name (localhost, not 127.0.0.1) is still refused", async () => {
    const result = await cliTrusting(
      [misnamedFiles.cert],
      `${misnamed.origin}/pets/pet.yaml`,
      misnamed.host,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("api.yaml:12:");
    expect(result.stderr).toContain(
      "its TLS certificate was not accepted (ERR_TLS_CERT_ALTNAME_INVALID: the certificate is not issued for this host name)",
    );
    expect(misnamed.requests).toBe(0);
    expect(existsSync(join(result.folder, "out"))).toBe(false);
  });
});
