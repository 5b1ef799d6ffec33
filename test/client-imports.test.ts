/**
 * `client.ts` imports a helper type (`StatusRange`, `ServerSentEvent`, `Readable`, `Writable`, `paths`) only
 * when a printed type uses it. Spec text reaches those types only inside string literals (media types), so a
 * media type spelling a helper's name must not add an import: under `noUnusedLocals` an unused import is an
 * error in a consumer that type-checks the generated code.
 */
import { describe, expect, it } from "vitest";
import { DiagnosticSink } from "../generator/diagnostics.js";
import { clientStatements } from "../generator/emit/client.js";
import { printStatements } from "../generator/emit/source-file.js";
import { validateDocument } from "../generator/load/validate.js";
import { buildModel } from "../generator/model/build-operations.js";

function clientOf(document: Record<string, unknown>): string {
  const sink = new DiagnosticSink("imports.json", () => ({ line: 1, col: 1 }));
  expect(validateDocument({ document, sink })).toBe(true);
  const model = buildModel({ document, sink, locate: () => ({ line: 1, col: 1 }) });
  expect(sink.items.filter((d) => d.severity === "error")).toEqual([]);
  return printStatements("client.ts", clientStatements(model!));
}

/** The names `client.ts` imports from `./runtime.js` and `./schema.js`. */
function importedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(
    /import (?:type )?\{([^}]*)\} from "\.\/(?:runtime|schema)\.js"/g,
  ))
    names.push(
      ...match[1]!
        .split(",")
        .map((n) => n.trim().replace(/^type /, ""))
        .filter(Boolean),
    );
  return names.sort();
}

function documentWith(responses: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "imports", version: "1" },
    paths: { "/x": { get: { operationId: "getX", responses } } },
  };
}

const HELPERS = ["ServerSentEvent", "StatusRange", "Readable", "Writable"];

describe("client.ts imports follow the printed types, not spec text", () => {
  it("a media type spelling every helper's name imports none of them", () => {
    const spelled = HELPERS.map((h) => `${h}<x>`).join("");
    const text = clientOf(
      documentWith({
        "200": {
          description: "ok",
          content: { [`application/x-ndjson; profile=${spelled}`]: { schema: { type: "string" } } },
        },
      }),
    );
    expect(text).toContain(`application/x-ndjson; profile=${spelled}`);
    const imported = importedNames(text);
    for (const helper of HELPERS) expect(imported).not.toContain(helper);
  });

  it("a range status and an event stream do import StatusRange and ServerSentEvent", () => {
    const text = clientOf(
      documentWith({
        "200": { description: "events", content: { "text/event-stream": {} } },
        "4XX": { description: "client error" },
      }),
    );
    const imported = importedNames(text);
    expect(imported).toContain("StatusRange");
    expect(imported).toContain("ServerSentEvent");
  });
});
