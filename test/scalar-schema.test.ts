/**
 * isScalarSchema: which parameter schemas prove every value a scalar, so that a simple path parameter is sent
 * without the runtime's style expander. Anything unproved must count as structured.
 */
import { describe, expect, it } from "vitest";
import { isScalarSchema } from "../generator/model/scalar-schema.js";

const document = {
  components: {
    schemas: {
      Id: { type: "string" },
      IdRef: { $ref: "#/components/schemas/Id" },
      Tags: { type: "array", items: { type: "string" } },
      Loop: { $ref: "#/components/schemas/Loop" },
      PingA: { anyOf: [{ $ref: "#/components/schemas/PingB" }] },
      PingB: { anyOf: [{ $ref: "#/components/schemas/PingA" }] },
    },
  },
};
const scalar = (schema: unknown): boolean => isScalarSchema(document, schema);

describe("isScalarSchema", () => {
  it.each([
    ["a scalar type", { type: "string" }],
    ["a list of scalar types", { type: ["integer", "null"] }],
    ["an enum of scalars", { enum: ["a", 1, null] }],
    ["a scalar const", { const: 3 }],
    ["a $ref to a scalar, through another $ref", { $ref: "#/components/schemas/IdRef" }],
    ["allOf with one scalar branch", { allOf: [{}, { type: "number" }] }],
    ["oneOf of scalars", { oneOf: [{ type: "integer" }, { type: "string" }] }],
    ["anyOf of scalars", { anyOf: [{ type: "boolean" }, { $ref: "#/components/schemas/Id" }] }],
    ["false (no value at all)", false],
  ])("proves %s scalar", (_what, schema) => {
    expect(scalar(schema)).toBe(true);
  });

  it.each([
    ["an array", { type: "array", items: { type: "string" } }],
    ["an object", { type: "object" }],
    ["a list of types with object", { type: ["string", "object"] }],
    ["no type at all", {}],
    ["true", true],
    ["a missing schema", undefined],
    ["an enum with an object", { enum: ["a", { b: 1 }] }],
    ["an array const", { const: [1] }],
    ["a $ref to an array", { $ref: "#/components/schemas/Tags" }],
    ["a dangling $ref", { $ref: "#/components/schemas/Missing" }],
    ["an external $ref", { $ref: "other.yaml#/Id" }],
    ["a $ref cycle", { $ref: "#/components/schemas/Loop" }],
    ["a cycle through anyOf", { $ref: "#/components/schemas/PingA" }],
    ["oneOf with an object branch", { oneOf: [{ type: "integer" }, { type: "object" }] }],
    ["an empty anyOf", { anyOf: [] }],
    ["allOf without a scalar branch", { allOf: [{}, { description: "x" }] }],
  ])("does not prove %s scalar", (_what, schema) => {
    expect(scalar(schema)).toBe(false);
  });

  it("decides a wide fan-out of shared references quickly (each named schema once)", () => {
    // Level n refers twice to level n+1: 2^40 paths if nothing were remembered.
    const schemas: Record<string, unknown> = { L40: { type: "string" } };
    for (let n = 0; n < 40; n++) {
      const next = { $ref: `#/components/schemas/L${n + 1}` };
      schemas[`L${n}`] = { anyOf: [next, next] };
    }
    const wide = { components: { schemas } };
    expect(isScalarSchema(wide, { $ref: "#/components/schemas/L0" })).toBe(true);
  });
});
