/**
 * The printing path against ts-morph's writer: the writer tracks strings and comments by looking one
 * character back, and acts on what it believes (it closes a comment it thinks is open before the next
 * declaration). Spec strings must never make it believe anything false.
 */
import { Project, StructureKind, VariableDeclarationKind } from "ts-morph";
import { describe, expect, it } from "vitest";
import {
  printDocText,
  printLineComment,
  printString,
  printValue,
} from "../generator/emit/print.js";
import { checkSource } from "./helpers/security-fuzz.js";

const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });

/** Two documented constants, the first initialised with `initializer`, printed by ts-morph. */
function printed(initializer: string): string {
  const statement = (name: string, value: string) => ({
    kind: StructureKind.VariableStatement as const,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer: value }],
    docs: [`The ${name} constant.`],
  });
  const file = project.createSourceFile(
    "x.ts",
    { statements: [statement("a", initializer), statement("b", "2")] },
    { overwrite: true },
  );
  return file.getFullText();
}

describe("printString under ts-morph's writer", () => {
  it.each([
    [
      "a trailing backslash, then a comment opener",
      ["back\\slash\\", "*/ __specfetch_sentinel() /*"],
    ],
    ["a trailing backslash, then a line comment", ["\\", "http://x // __specfetch_sentinel()"]],
    ["an escaped quote, then a backtick", ['\\"', "`${__specfetch_sentinel()}`"]],
  ])("%s: the output is exactly the two constants", (_, values) => {
    const initializer = printValue(values);
    const text = printed(initializer);
    expect(text).toBe(
      `/** The a constant. */\nexport const a = ${initializer};\n/** The b constant. */\nexport const b = 2;\n`,
    );
    expect(checkSource("x.ts", text).statements).toHaveLength(2);
  });

  it("never prints an escaped backslash as \\\\ (the writer would take the next quote as escaped)", () => {
    expect(printString("a\\b\\")).toBe('"a\\u005cb\\u005c"');
    expect(printString('\\"')).toBe('"\\u005c\\""');
  });
});

describe("comment text", () => {
  it("printDocText replaces a lone surrogate (not writable as UTF-8) and keeps pairs", () => {
    expect(printDocText("a\ud800b\udc00c 😀")).toBe("a\ufffdb\ufffdc 😀");
  });

  it("printLineComment stays one line and closes nothing", () => {
    expect(printLineComment("a\r\nb\u2028c\u2029d\ud800")).toBe("a b c d\ufffd");
  });
});
