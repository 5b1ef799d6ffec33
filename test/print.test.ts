/** The one path from spec text to code: every printed value parses back to exactly the input, as data. */
import { describe, expect, it } from "vitest";
import ts from "typescript";
import {
  printDocText,
  printKey,
  printLineComment,
  printString,
  printValue,
} from "../generator/emit/print.js";

/** Evaluates a printed expression the way a JS engine would (no eval of anything else). */
function evaluate(expression: string): unknown {
  const js = ts.transpileModule(`export default (${expression});`, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const module = { exports: {} as { default?: unknown } };
  new Function("module", "exports", js)(module, module.exports);
  return module.exports.default;
}

const HOSTILE = [
  'say "hi"',
  "it's",
  "back`tick ${injected}",
  "line\nbreak\rcarriage\r\nboth",
  "sep\u2028and\u2029para",
  "nul\u0000byte",
  "close */ comment",
  "</script><script>alert(1)</script>",
  "lone \ud800 surrogate",
  "emoji 🎉 and ünïcödé",
  "back\\slash",
];

describe("printString", () => {
  it.each(HOSTILE)("round-trips %j as a single-line literal", (text) => {
    const printed = printString(text);
    expect(printed).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(evaluate(printed)).toBe(text);
  });
});

describe("printValue", () => {
  it("round-trips nested data with hostile keys, including __proto__ kept as an own key", () => {
    const value = JSON.parse(
      '{"__proto__": {"polluted": true}, "a-b": [1, null, true], "ok": "x", "x\\ny": {"constructor": "c"}}',
    );
    const printed = printValue(value);
    const result = evaluate(printed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, "__proto__")).toBe(true);
    expect(JSON.stringify(result)).toBe(JSON.stringify(value));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses non-finite numbers instead of printing NaN or Infinity", () => {
    expect(() => printValue(Number.NaN)).toThrow(/cannot print/);
  });
});

describe("printKey", () => {
  it.each([
    ["plain", "plain"],
    ["with-dash", '"with-dash"'],
    ["1leading", '"1leading"'],
    ["__proto__", '["__proto__"]'],
  ])("%j → %s", (key, printed) => expect(printKey(key)).toBe(printed));
});

describe("comments", () => {
  it("doc text cannot close the JSDoc block and keeps line structure", () => {
    const text = printDocText("a */ b\r\nc\u2028d\u202ee");
    expect(text).not.toContain("*/");
    expect(text).toBe("a *\\/ b\nc\nde");
  });

  it("a line comment stays on one line", () => {
    expect(printLineComment("a\nb\rc\u2028d")).toBe("a b c d");
  });
});
