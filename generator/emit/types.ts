/**
 * The TypeScript types `client.ts` prints, as small nodes: text (`typeText`, for source and checks) and
 * documents laid out as prettier lays them out (`typeDoc`, see `layout.ts`). Leaves are printed already:
 * names by `printIdentifier`, literals by `printString` (through `literal`).
 */
import { group, indent, join, line, softline, stringLiteral, Unsure, type Doc } from "./layout.js";
import { builders } from "prettier/doc";

const { align, ifBreak } = builders;

export type TypeNode =
  /** A keyword or a number (`string`, `never`, `404`). */
  | { kind: "text"; text: string }
  /** A string literal type, as `printString` printed it. */
  | { kind: "literal"; text: string }
  | { kind: "ref"; name: string; args: readonly TypeNode[] }
  | { kind: "index"; object: TypeNode; index: TypeNode }
  | { kind: "union"; types: readonly TypeNode[] }
  | { kind: "intersection"; types: readonly TypeNode[] }
  | { kind: "object"; members: readonly Member[] }
  | { kind: "array"; element: TypeNode; readonly: boolean };

export interface Member {
  name: string;
  optional: boolean;
  type: TypeNode;
}

export const text = (value: string): TypeNode => ({ kind: "text", text: value });
export const literal = (printed: string): TypeNode => ({ kind: "literal", text: printed });
export const ref = (name: string, args: readonly TypeNode[] = []): TypeNode => ({
  kind: "ref",
  name,
  args,
});
export const indexed = (object: TypeNode, index: TypeNode): TypeNode => ({
  kind: "index",
  object,
  index,
});
export const member = (name: string, optional: boolean, type: TypeNode): Member => ({
  name,
  optional,
  type,
});
export const objectType = (members: readonly Member[]): TypeNode => ({ kind: "object", members });
export const arrayType = (element: TypeNode, readonly: boolean): TypeNode => ({
  kind: "array",
  element,
  readonly,
});
export const intersection = (types: readonly TypeNode[]): TypeNode => ({
  kind: "intersection",
  types,
});

/** `a | b`; a union of one type is that type, and a union inside a union is flattened (as TypeScript reads it). */
export function union(types: readonly TypeNode[]): TypeNode {
  const flat = types.flatMap((t) => (t.kind === "union" ? t.types : [t]));
  return flat.length === 1 ? flat[0]! : { kind: "union", types: flat };
}

/** The type as source text on one line. */
export function typeText(node: TypeNode): string {
  switch (node.kind) {
    case "text":
    case "literal":
      return node.text;
    case "ref":
      return node.args.length === 0
        ? node.name
        : `${node.name}<${node.args.map(typeText).join(", ")}>`;
    case "index":
      return `${typeText(node.object)}[${typeText(node.index)}]`;
    case "union":
      return node.types
        .map((t) => (t.kind === "intersection" ? `(${typeText(t)})` : typeText(t)))
        .join(" | ");
    case "intersection":
      return node.types
        .map((t) => (t.kind === "union" ? `(${typeText(t)})` : typeText(t)))
        .join(" & ");
    case "object":
      return `{ ${node.members.map((m) => `${m.name}${m.optional ? "?" : ""}: ${typeText(m.type)};`).join(" ")} }`;
    case "array":
      return `${node.readonly ? "readonly " : ""}${typeText(node.element)}[]`;
  }
}

/** Every type reference's name in the type (what a file must import). */
export function namesIn(node: TypeNode, names = new Set<string>()): Set<string> {
  switch (node.kind) {
    case "ref":
      names.add(node.name);
      for (const arg of node.args) namesIn(arg, names);
      break;
    case "index":
      namesIn(node.object, names);
      namesIn(node.index, names);
      break;
    case "union":
    case "intersection":
      for (const t of node.types) namesIn(t, names);
      break;
    case "object":
      for (const m of node.members) namesIn(m.type, names);
      break;
    case "array":
      namesIn(node.element, names);
      break;
  }
  return names;
}

// ---------------------------------------------------------------------------------------------- layout

/**
 * prettier's `shouldHugType`, for the types built here: a keyword, a literal, a reference without arguments
 * or an object type is printed inside `<…>` without a line break around it. (A union of one object or
 * reference with `null` or `void` would hug too: never built here.)
 */
function hugs(node: TypeNode): boolean {
  return (
    node.kind === "text" ||
    node.kind === "literal" ||
    node.kind === "object" ||
    (node.kind === "ref" && node.args.length === 0)
  );
}

/** `A | B` as prettier prints a union that is not the whole of a type alias (`print/union-type.js`). */
function unionDoc(node: Extract<TypeNode, { kind: "union" }>): Doc {
  if (node.types.some((t) => t.kind === "text" && (t.text === "null" || t.text === "void")))
    throw new Unsure(); // may hug
  return group([
    ifBreak("| "),
    join(
      [line, "| "],
      node.types.map((t) => align(2, typeDoc(t))),
    ),
  ]);
}

/** A type as prettier prints it where it stands alone (a type argument, an indexed object, an element). */
export function typeDoc(node: TypeNode): Doc {
  switch (node.kind) {
    case "text":
      return node.text;
    case "literal":
      return stringLiteral(node.text);
    case "ref":
      if (node.args.length === 0) return node.name;
      if (node.args.length === 1 && hugs(node.args[0]!))
        return [node.name, "<", typeDoc(node.args[0]!), ">"];
      return [
        node.name,
        group(["<", indent([softline, join([",", line], node.args.map(typeDoc))]), softline, ">"]),
      ];
    case "index":
      return [typeDoc(node.object), "[", typeDoc(node.index), "]"];
    case "union":
      return unionDoc(node);
    case "intersection":
      return intersectionDoc(node);
    case "object":
      return objectTypeDoc(node);
    case "array":
      if (node.element.kind !== "text" && node.element.kind !== "ref") throw new Unsure();
      return [node.readonly ? "readonly " : "", typeDoc(node.element), "[]"];
  }
}

/** `{ a: A; b?: B }` (`print/object.js` with `;`): on one line when it fits, else one member per line. */
function objectTypeDoc(node: Extract<TypeNode, { kind: "object" }>): Doc {
  if (node.members.length === 0) return "{}";
  const members = node.members.map((m) => {
    const type =
      m.type.kind === "union" ? group(indent([softline, unionDoc(m.type)])) : typeDoc(m.type);
    return group([m.name, m.optional ? "?" : "", ":", " ", type]);
  });
  return group(["{", indent([line, join([";", line], members)]), ifBreak(";"), line, "}"]);
}

/**
 * `A & B` (`print/intersection-type.js`): objects side by side stay on the line; between an object and another
 * type, the other type follows after ` & `. A union is parenthesised.
 */
function intersectionDoc(node: Extract<TypeNode, { kind: "intersection" }>): Doc {
  const isObject = (t: TypeNode) => t.kind === "object";
  const parts: Doc[] = [];
  let wasIndented = false;
  node.types.forEach((t, i) => {
    const printed =
      t.kind === "union"
        ? ["(", group([indent([softline, unionDoc(t)]), softline]), ")"]
        : t.kind === "intersection"
          ? (() => {
              throw new Unsure();
            })()
          : typeDoc(t);
    if (i === 0) parts.push(printed);
    else if (!isObject(node.types[i - 1]!) && !isObject(t))
      parts.push(indent([" &", line, printed]));
    else if (isObject(node.types[i - 1]!) && isObject(t))
      parts.push([" & ", wasIndented ? indent(printed) : printed]);
    else {
      if (i > 1) wasIndented = true;
      parts.push(" & ", i > 1 ? indent(printed) : printed);
    }
  });
  return group(parts);
}

/**
 * `type Name = Type;` (`print/assignment.js`): a union that does not hug breaks after `=` and puts each member
 * on its own line after `| `; any other type breaks inside itself before it moves after `=` ("fluid").
 */
export function typeAliasDoc({
  name,
  type,
  exported,
}: {
  name: string;
  type: TypeNode;
  exported: boolean;
}): Doc {
  const left = group(["type ", name]);
  const body =
    type.kind === "union"
      ? group([left, " =", group(indent([line, unionDoc(type)]))])
      : fluidAssignment(left, typeDoc(type));
  return [exported ? "export " : "", body, ";"];
}

function fluidAssignment(left: Doc, right: Doc): Doc {
  const id = Symbol("assignment");
  return group([
    left,
    " =",
    group(indent(line), { id }),
    builders.lineSuffixBoundary,
    builders.indentIfBreak(right, { groupId: id }),
  ]);
}
