/**
 * `markerReach`: which body schemas reach a `readOnly` / `writeOnly` property, through `$ref`s and cycles, in any
 * order of questions (answers are memoised per document). The read-write fixture covers the generated types;
 * these cases cover the reachability the IR flag rests on.
 */
import { describe, expect, it } from "vitest";
import { markerReach } from "../generator/model/read-write.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function document(): Record<string, unknown> {
  return {
    components: {
      schemas: {
        // A is marked itself; B reaches it only through a cycle back to A.
        A: { type: "object", properties: { x: { type: "string", readOnly: true }, b: ref("B") } },
        B: { type: "object", properties: { a: ref("A") } },
        // C and D refer to each other and reach no mark.
        C: { type: "object", properties: { d: ref("D") } },
        D: { type: "array", items: ref("C") },
        // Marks in data are not marks; a property may be named like a data key.
        E: { type: "object", example: { readOnly: true }, default: { writeOnly: true } },
        F: { type: "object", properties: { default: { type: "string", writeOnly: true } } },
        G: { allOf: [ref("F"), { type: "object" }] },
        "H/I": { type: "object", properties: { y: { type: "string", readOnly: true } } },
      },
    },
  };
}

describe("markerReach", () => {
  it.each([
    ["B then A", ["B", "A"]],
    ["A then B", ["A", "B"]],
  ])("finds a mark through a cycle whatever is asked first (%s)", (_, order) => {
    const reach = markerReach(document());
    for (const name of order) expect(reach(ref(name), "readOnly")).toBe(true);
    expect(reach(ref("B"), "writeOnly")).toBe(false);
  });

  it("a cycle without marks reaches none, asked from either end, before and after a positive answer", () => {
    const reach = markerReach(document());
    expect(reach(ref("C"), "readOnly")).toBe(false);
    expect(reach(ref("D"), "readOnly")).toBe(false);
    expect(reach(ref("B"), "readOnly")).toBe(true);
    expect(reach({ type: "array", items: ref("D") }, "readOnly")).toBe(false);
  });

  it("marks in examples and defaults do not count; a property named `default` does", () => {
    const reach = markerReach(document());
    expect(reach(ref("E"), "readOnly")).toBe(false);
    expect(reach(ref("E"), "writeOnly")).toBe(false);
    expect(reach(ref("F"), "writeOnly")).toBe(true);
    expect(reach(ref("G"), "writeOnly")).toBe(true);
    expect(reach(ref("G"), "readOnly")).toBe(false);
  });

  it("inline marks, escaped pointers, and no schema at all", () => {
    const reach = markerReach(document());
    expect(reach({ properties: { z: { writeOnly: true } } }, "writeOnly")).toBe(true);
    expect(reach({ $ref: "#/components/schemas/H~1I" }, "readOnly")).toBe(true);
    expect(reach(undefined, "readOnly")).toBe(false);
  });
});
