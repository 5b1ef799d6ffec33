/**
 * Confined input: an external `$ref` may only read files inside the spec's own folder tree, and generation
 * makes no network request. Each template in `test/fixtures/hostile/confinement/` becomes `<tmp>/root/api.yaml`
 * next to:
 *
 * - `<tmp>/canary.yaml`, outside the spec's folder, holding a unique string that must never appear in any
 *   output, diagnostic or error (access times are unreliable; content is not);
 * - `<tmp>/root/link.yaml`, a symlink to the canary;
 * - `<tmp>/root/schemas/pet.yaml`, a legitimate file inside the folder;
 * - a loopback TCP listener (`{{ORIGIN}}`) that counts every connection: it must count none;
 * - `<tmp>/shared/common.yaml`, outside the spec's folder, readable only when `<tmp>/shared` is an allowed root
 *   (`allowRefRoots`), next to `<tmp>/shared/link.yaml`, a symlink to the canary, and `<tmp>/other/`, an
 *   unrelated folder; `<tmp>/shared-link` is a symlink to `<tmp>/shared`.
 */
import { randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError } from "../generator/diagnostics.js";
import { generate } from "../generator/index.js";
import { CLI, FIXTURES, ROOT } from "./helpers/paths.js";
import { run } from "./helpers/run.js";

const TEMPLATES = join(FIXTURES, "hostile/confinement");
const CANARY_TEXT = `specfetch-canary-${randomUUID()}`;

let tmp: string;
let listener: Server;
let origin: string;
let connections = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "specfetch-confinement-"));
  const canary = `schema:\n  type: string\n  description: ${CANARY_TEXT}\n`;
  writeFileSync(join(tmp, "canary.yaml"), canary);
  mkdirSync(join(tmp, "root/schemas"), { recursive: true });
  writeFileSync(join(tmp, "root/schemas/pet.yaml"), "type: object\ndescription: a pet\n");
  symlinkSync(join(tmp, "canary.yaml"), join(tmp, "root/link.yaml"));
  mkdirSync(join(tmp, "shared"));
  mkdirSync(join(tmp, "other"));
  writeFileSync(join(tmp, "shared/common.yaml"), "type: object\ndescription: shared-common-pet\n");
  symlinkSync(join(tmp, "canary.yaml"), join(tmp, "shared/link.yaml"));
  symlinkSync(join(tmp, "shared"), join(tmp, "shared-link"));
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

/** Writes the template as `<tmp>/root/api.yaml` (placeholders filled); returns its path. */
function writeSpec(template: string, ref = ""): string {
  const text = readFileSync(join(TEMPLATES, template), "utf8")
    .replaceAll("{{REF}}", ref)
    .replaceAll("{{CANARY}}", join(tmp, "canary.yaml"))
    .replaceAll("{{ORIGIN}}", origin);
  const spec = join(tmp, "root/api.yaml");
  writeFileSync(spec, text);
  return spec;
}

/** Writes the template as the spec and generates into a fresh folder. */
async function generateFrom(
  template: string,
  options: { allowRefRoots?: string[]; allowRefHosts?: string[]; ref?: string } = {},
) {
  const { ref = "", ...generateOptions } = options;
  const spec = writeSpec(template, ref);
  const out = join(tmp, `out-${template}-${randomUUID()}`);
  try {
    const generated = await generate({
      spec,
      out,
      displayPath: "root/api.yaml",
      ...generateOptions,
    });
    return { out, generated, error: undefined };
  } catch (error) {
    return { out, generated: undefined, error };
  }
}

describe.each([
  ["ref-absolute.yaml", "it resolves outside the spec's folder"],
  ["ref-parent.yaml", "it resolves outside the spec's folder"],
  ["ref-url.yaml", "remote references are not allowed"],
  ["ref-symlink.yaml", "it resolves outside the spec's folder"],
])("%s", (template, reason) => {
  it("is rejected at the $ref, nothing is read, connected to or written", async () => {
    const { out, error } = await generateFrom(template);
    expect(error).toBeInstanceOf(SpecError);
    const diagnostics = (error as SpecError).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(["external-ref"]);
    const [d] = diagnostics;
    expect(d!.message).toContain(reason);
    expect(d!.file).toBe("root/api.yaml");
    expect(d!.line).toBe(14); // the `schema: { $ref: … }` line of every template
    expect(d!.pointer).toBe("/paths/~1pets/get/responses/200/content/application~1json/schema");
    expect(JSON.stringify(diagnostics) + String(error)).not.toContain(CANARY_TEXT);
    expect(existsSync(out)).toBe(false);
    expect(connections).toBe(0);
  });
});

describe("ref-scheme-case.yaml: a scheme in any case is a URL, never a path inside the spec's folder", () => {
  /** `{{HOST}}`: the loopback listener's `127.0.0.1:<port>`; `{{CANARY}}`: the canary's absolute path. */
  const fill = (text: string) =>
    text
      .replaceAll("{{HOST}}", origin.slice("http://".length))
      .replaceAll("{{CANARY}}", join(tmp, "canary.yaml"));

  /**
   * Plants the file a resolver that took the reference for a relative path would read (`root/HTTP:/host/…`),
   * holding the canary text: it must not be read.
   */
  function plantDecoy(ref: string): void {
    const decoy = resolvePath(join(tmp, "root"), ref.replace(/#.*$/, ""));
    mkdirSync(dirname(decoy), { recursive: true });
    writeFileSync(decoy, `schema:\n  type: string\n  description: ${CANARY_TEXT}\n`);
  }

  it.each([
    ["HTTP://{{HOST}}/schema.yaml#/schema", "host {{HOST}} is not allowed"],
    ["Https://{{HOST}}/schema.yaml", "host {{HOST}} is not allowed"],
    ["hTtP://{{HOST}}/schema.yaml", "host {{HOST}} is not allowed"],
    ["FILE://{{CANARY}}", "only http: and https: can be, not file:"],
    ["file://{{CANARY}}", "only http: and https: can be, not file:"],
    ["Ftp://example.com/schema.yaml", "only http: and https: can be, not ftp:"],
  ])("%s is refused at the $ref: nothing read, connected to or written", async (ref, reason) => {
    plantDecoy(fill(ref));
    const { out, error } = await generateFrom("ref-scheme-case.yaml", { ref: fill(ref) });
    expect(error).toBeInstanceOf(SpecError);
    const diagnostics = (error as SpecError).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(["external-ref"]);
    expect(diagnostics[0]).toMatchObject({
      file: "root/api.yaml",
      line: 16,
      pointer: "/paths/~1pets/get/responses/200/content/application~1json/schema",
    });
    expect(diagnostics[0]!.message).toContain("remote references are not allowed");
    expect(diagnostics[0]!.message).toContain(fill(reason));
    expect(JSON.stringify(diagnostics) + String(error)).not.toContain(CANARY_TEXT);
    expect(existsSync(out)).toBe(false);
    expect(connections).toBe(0);
  });
});

it("ref-inside.yaml: a $ref to a file inside the spec's folder is bundled (the control case)", async () => {
  const { generated, error } = await generateFrom("ref-inside.yaml");
  expect(error).toBeUndefined();
  expect(generated!.files.get("schema.ts")).toContain("a pet");
  expect(generated!.sourceFiles).toEqual([
    join(tmp, "root/api.yaml"),
    join(tmp, "root/schemas/pet.yaml"),
  ]);
});

it("ref-hidden.yaml: references in extensions and data, and externalValue, are never resolved", async () => {
  const { generated, error } = await generateFrom("ref-hidden.yaml");
  expect(error).toBeUndefined();
  const output = [...generated!.files.values()].join("\n");
  expect(output).not.toContain(CANARY_TEXT);
  expect(generated!.sourceFiles).toEqual([join(tmp, "root/api.yaml")]);
  expect(connections).toBe(0);
});

describe("extra roots (allowRefRoots, --allow-ref-root)", () => {
  const pointer = "/paths/~1pets/get/responses/200/content/application~1json/schema";

  function expectRejectedAtRef(error: unknown) {
    expect(error).toBeInstanceOf(SpecError);
    const diagnostics = (error as SpecError).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(["external-ref"]);
    expect(diagnostics[0]).toMatchObject({ file: "root/api.yaml", line: 15, pointer });
    expect(diagnostics[0]!.message).toContain("it resolves outside the spec's folder");
    expect(diagnostics[0]!.hint).toContain("--allow-ref-root");
    expect(JSON.stringify(diagnostics) + String(error)).not.toContain(CANARY_TEXT);
  }

  it("a $ref into an allowed extra root is bundled", async () => {
    const { generated, error } = await generateFrom("ref-extra-root.yaml", {
      allowRefRoots: [join(tmp, "shared")],
    });
    expect(error).toBeUndefined();
    expect(generated!.files.get("schema.ts")).toContain("shared-common-pet");
    expect(generated!.sourceFiles).toEqual([
      join(tmp, "root/api.yaml"),
      join(tmp, "shared/common.yaml"),
    ]);
  });

  it("the same $ref without the option is rejected at the $ref", async () => {
    const { out, error } = await generateFrom("ref-extra-root.yaml");
    expectRejectedAtRef(error);
    expect(existsSync(out)).toBe(false);
  });

  it("an allowed root that does not contain the file does not help", async () => {
    const { out, error } = await generateFrom("ref-extra-root.yaml", {
      allowRefRoots: [join(tmp, "other")],
    });
    expectRejectedAtRef(error);
    expect(existsSync(out)).toBe(false);
  });

  it("a root given through a symlink is its real folder: the file is inside it", async () => {
    const { error } = await generateFrom("ref-extra-root.yaml", {
      allowRefRoots: [join(tmp, "shared-link")],
    });
    expect(error).toBeUndefined();
  });

  it("a symlink inside an allowed root that leads out of it stays refused", async () => {
    const { out, error } = await generateFrom("ref-extra-root-symlink.yaml", {
      allowRefRoots: [join(tmp, "shared")],
    });
    expectRejectedAtRef(error);
    expect(existsSync(out)).toBe(false);
  });
});

describe("nothing is even opened: the CLI in a child process, every fs open and read traced (helpers/trace-fs.mjs)", () => {
  const TRACER = join(ROOT, "test/helpers/trace-fs.mjs");

  /** Runs the real CLI on the template; returns its result and the real path of every file it opened. */
  async function tracedRun(template: string, extra: string[] = []) {
    const spec = writeSpec(template);
    const log = join(tmp, `fs-${template}-${randomUUID()}.log`);
    const out = join(tmp, `out-traced-${randomUUID()}`);
    const args = ["--import", TRACER, CLI, spec, "--out", out, ...extra];
    const result = await run(process.execPath, args, {
      cwd: tmp,
      env: { ...process.env, TRACE_FS_LOG: log, NO_COLOR: "1" },
    });
    const opened = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as string).replace(/^\S+ /, ""));
    // A symlink counts as the file it points to.
    const real = opened.map((path) => (existsSync(path) ? realpathSync(path) : path));
    return { result, out, opened, real, spec };
  }

  it("ref-inside.yaml (the control): the tracer sees the spec and the $ref'd file being read", async () => {
    const { result, real, spec } = await tracedRun("ref-inside.yaml");
    expect(result.code).toBe(0);
    expect(real).toContain(realpathSync(spec));
    expect(real).toContain(realpathSync(join(tmp, "root/schemas/pet.yaml")));
  });

  it.each(["ref-absolute.yaml", "ref-parent.yaml", "ref-symlink.yaml"])(
    "%s: rejected at the $ref, and the canary (or the link to it) is never opened",
    async (template) => {
      const { result, out, opened, real, spec } = await tracedRun(template);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("external-ref");
      expect(real).toContain(realpathSync(spec)); // the tracer was on
      expect(real).not.toContain(realpathSync(join(tmp, "canary.yaml")));
      expect(opened).not.toContain(join(tmp, "root/link.yaml"));
      expect(result.stdout + result.stderr).not.toContain(CANARY_TEXT);
      expect(existsSync(out)).toBe(false);
    },
  );

  it.each(["ref-absolute.yaml", "ref-parent.yaml", "ref-symlink.yaml"])(
    "%s with the canary's folder allowed (--allow-ref-root): the tracer does see the canary read",
    async (template) => {
      const { result, real } = await tracedRun(template, ["--allow-ref-root", tmp]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(real).toContain(realpathSync(join(tmp, "canary.yaml")));
    },
  );
});

it("after every case, the loopback listener saw no connection at all", () => {
  expect(connections).toBe(0);
});
