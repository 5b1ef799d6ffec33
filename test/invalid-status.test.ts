/**
 * A Responses Object key must be a status code (RFC 9110 §15: 100 to 599), a range (`4XX`) or `default`
 * (OpenAPI 3.1 §4.8.16). Another key ("007", "OK", "600") matches no response, and "007" printed as a number is
 * an octal literal TypeScript rejects (TS1121): it is a located `invalid-status` warning and left out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles } from "../generator/index.js";
import ts from "typescript";
import { STRICTEST_FLAGS, withTypeChecking } from "./helpers/strict-flags.js";

describe("response keys that are not statuses", () => {
  it("are located invalid-status warnings, left out of the client, which type-checks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specfetch-invalid-status-"));
    try {
      const spec = join(dir, "spec.json");
      const none = { description: "none" };
      writeFileSync(
        spec,
        JSON.stringify({
          openapi: "3.0.3",
          info: { title: "t", version: "1" },
          paths: {
            "/a": {
              get: {
                operationId: "getA",
                responses: {
                  "200": none,
                  "007": none,
                  OK: none,
                  "600": none,
                  "4xx": none,
                  default: none,
                },
              },
            },
          },
        }),
      );
      const { files, diagnostics, model } = await generateFiles({ spec, displayPath: "spec" });
      const warned = diagnostics.filter((d) => d.code === "invalid-status");
      expect(warned.map((d) => [d.severity, d.pointer]).sort()).toEqual([
        ["warning", "/paths/~1a/get/responses/007"],
        ["warning", "/paths/~1a/get/responses/600"],
        ["warning", "/paths/~1a/get/responses/OK"],
      ]);
      expect(model.operations[0]!.responses.map((r) => r.status)).toEqual([
        "200",
        "4xx",
        "default",
      ]);
      expect(files.get("client.ts")).not.toMatch(/\b007\b/);
      const out = join(dir, "out");
      mkdirSync(out);
      for (const [name, text] of files) writeFileSync(join(out, name), text);
      writeFileSync(join(out, "package.json"), '{ "type": "module" }');
      withTypeChecking(out);
      const { options } = ts.convertCompilerOptionsFromJson(
        { ...STRICTEST_FLAGS, noEmit: true },
        out,
      );
      const program = ts.createProgram([join(out, "index.ts")], options);
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
