import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  buildDashboardSpec,
  mergeSlices,
  readSlices,
  resolveSlicesDir,
  SpecCheckError,
  SpecMergeError,
  type Slice,
} from "../scripts/merge-dashboard-spec.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const committedSpec = join(projectRoot, "spec", "dashboard-api.yaml");
const slicesDir = resolveSlicesDir();
const slicesPresent = existsSync(slicesDir);

const uuid = { type: "string", minLength: 36, maxLength: 36 };

/** A minimal slice: one GET operation and whatever components the test needs. */
function slice({
  file,
  path,
  components,
}: {
  file: string;
  path: string;
  components: Record<string, unknown>;
}): Slice {
  const operation = { operationId: `get${file}`, responses: { "200": { description: "OK" } } };
  return {
    file,
    doc: {
      openapi: "3.2.0",
      info: { title: file, version: "1" },
      paths: { [path]: { get: operation } },
      components,
    },
  };
}

function mergeError(run: () => unknown): SpecMergeError {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecMergeError) return error;
    throw error;
  }
  throw new Error("expected the merge to fail");
}

describe("mergeSlices", () => {
  it("keeps a component shared identically by two slices once", () => {
    const a = slice({ file: "a.yml", path: "/a", components: { schemas: { uuid } } });
    const b = slice({ file: "b.yml", path: "/b", components: { schemas: { uuid: { ...uuid } } } });
    const { document, stats } = mergeSlices([b, a]);
    expect(document.components).toEqual({ schemas: { uuid } });
    expect(Object.keys(document.paths as object)).toEqual(["/a", "/b"]);
    expect(stats).toMatchObject({
      operations: 2,
      componentsTotal: 1,
      duplicatesCollapsed: { components: 1, pathEntries: 0 },
    });
  });

  it("lists name, section and both files for a conflicting component", () => {
    const a = slice({ file: "a.yml", path: "/a", components: { schemas: { uuid } } });
    const b = slice({
      file: "b.yml",
      path: "/b",
      components: { schemas: { uuid: { ...uuid, maxLength: 40 } } },
    });
    const error = mergeError(() => mergeSlices([a, b]));
    expect(error.conflicts).toEqual([
      {
        section: "schemas",
        name: "uuid",
        files: ["a.yml", "b.yml"],
        variants: [["a.yml"], ["b.yml"]],
      },
    ]);
    expect(error.message).toContain("schemas / uuid");
    expect(error.message).toMatch(/a\.yml.*b\.yml/);
  });

  it("fails on the same path and method defined differently", () => {
    const a = slice({ file: "a.yml", path: "/same", components: {} });
    const b = slice({ file: "b.yml", path: "/same", components: {} });
    const error = mergeError(() => mergeSlices([a, b]));
    expect(error.conflicts).toMatchObject([
      { section: "paths", name: "GET /same", files: ["a.yml", "b.yml"] },
    ]);
  });

  it("merges different methods of one path and keeps an identical duplicate once", () => {
    const a = slice({ file: "a.yml", path: "/same", components: {} });
    const b = structuredClone(a);
    const c: Slice = {
      file: "c.yml",
      doc: { openapi: "3.2.0", paths: { "/same": { post: { responses: {} } } } },
    };
    const { document, stats } = mergeSlices([a, { ...b, file: "b.yml" }, c]);
    expect(Object.keys((document.paths as Record<string, object>)["/same"] ?? {})).toEqual([
      "get",
      "post",
    ]);
    expect(stats.duplicatesCollapsed.pathEntries).toBe(1);
  });

  it("lets a resolution table entry pick the winning file, and rejects stale entries", () => {
    const a = slice({ file: "a.yml", path: "/a", components: { schemas: { uuid } } });
    const b = slice({
      file: "b.yml",
      path: "/b",
      components: { schemas: { uuid: { ...uuid, maxLength: 40 } } },
    });
    const resolution = { section: "schemas", name: "uuid", useFile: "b.yml", reason: "test" };
    const { document, stats } = mergeSlices([a, b], { resolutions: [resolution] });
    expect(document.components).toEqual({ schemas: { uuid: { ...uuid, maxLength: 40 } } });
    expect(stats.conflictsResolved).toBe(1);
    expect(() => mergeSlices([a], { resolutions: [resolution] })).toThrow(SpecCheckError);
  });

  it("refuses top-level keys it does not know how to merge", () => {
    const odd: Slice = {
      file: "odd.yml",
      doc: { openapi: "3.2.0", paths: {}, $self: "https://example.com/odd" },
    };
    expect(() => mergeSlices([odd])).toThrow(/unknown top-level key '\$self'/);
  });
});

describe("spec/dashboard-api.yaml", () => {
  it.skipIf(!slicesPresent)(
    `is rebuilt byte for byte from the 30 slices (skipped when ../shared/specs/dynamic is absent)`,
    () => {
      const slices = readSlices(slicesDir);
      const result = buildDashboardSpec(slices);
      expect(result.text).toBe(readFileSync(committedSpec, "utf8"));
      expect(result.stats.operations).toBe(275);
      expect(result.stats.componentsTotal).toBe(570);
      expect(result.stats.slices).toBe(30);
    },
  );

  it.skipIf(!slicesPresent)(
    `keeps revokeSessionById as in the sessions slice plus its description (skipped when ../shared/specs/dynamic is absent)`,
    () => {
      const slices = readSlices(slicesDir);
      const sessions = slices.find((s) => s.file === "dynamic-xyz-sessions-api-openapi.yml");
      const fromSlice = (sessions?.doc as { paths: Record<string, Record<string, object>> }).paths[
        "/sessions/{sessionId}/revoke"
      ]?.put;
      const merged = (
        buildDashboardSpec(slices).document.paths as Record<string, Record<string, object>>
      )["/sessions/{sessionId}/revoke"]?.put;
      const { summary, ...rest } = fromSlice as { summary: string };
      expect(merged).toEqual({ ...rest, summary, description: "Revokes the specified session." });
      expect(Object.keys(merged ?? {}).slice(0, 2)).toEqual(["summary", "description"]);
    },
  );
});
