/**
 * The API a generated client exposes, read back from its own files: the `operations` metadata table in
 * `operations.ts` (names, methods, paths, parameters, bodies, statuses) and openapi-typescript's types in
 * `schema.ts` (what each parameter, body and response holds). Both the previous output on disk and the new
 * output in memory are read the same way, so the comparison is symmetric and needs nothing stored beside the
 * client: any output of this generator carries its own API description.
 *
 * Parsed with the TypeScript parser (syntax only, no type checker: fast and independent of the files' imports).
 */
import ts from "typescript";

export type Shape =
  | { kind: "unknown" }
  | { kind: "never" }
  | { kind: "primitive"; name: string }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "array"; items: Shape }
  | { kind: "tuple"; items: Shape[] }
  | { kind: "object"; properties: Map<string, Property>; index: Shape | undefined }
  | { kind: "union"; members: Shape[] }
  | { kind: "ref"; name: string; resolve: () => Shape }
  | { kind: "opaque"; text: string };

/** A Shape of kind `object`. */
type ObjectShape = Extract<Shape, { kind: "object" }>;

export interface Property {
  shape: Shape;
  optional: boolean;
  /**
   * `read`: the schema marks it `readOnly` (openapi-typescript's `$Read<T>`), so requests leave it out (the client
   * sends `Writable<…>`); `write`: `writeOnly` (`$Write<T>`), left out of responses (`Readable<…>`).
   */
  only?: "read" | "write";
}

export interface ParameterMeta {
  name: string;
  in: string;
  required: boolean;
}

export interface OperationSurface {
  functionName: string;
  operationId: string | null;
  method: string;
  path: string;
  parameters: ParameterMeta[];
  requestBody: { required: boolean; contentTypes: string[] } | null;
  statuses: string[];
  /** The parameter of each `in` + name, e.g. `query limit`. */
  parameterType(location: string, name: string): Shape | undefined;
  requestBodyType(mediaType: string): Shape | undefined;
  responseType(status: string, mediaType: string): Shape | undefined;
  responseContentTypes(status: string): string[];
}

export interface ApiSurface {
  operations: Map<string, OperationSurface>;
}

/** Reads the API from a generated file set; `undefined` when it lacks `operations.ts` or `schema.ts`. */
export function readApiSurface(files: ReadonlyMap<string, string>): ApiSurface | undefined {
  const table = files.get("operations.ts");
  const schema = files.get("schema.ts");
  if (table === undefined || schema === undefined) return undefined;
  const types = new SchemaTypes(parse("schema.ts", schema));
  const metadata = operationsTable(parse("operations.ts", table));
  if (metadata === undefined) return undefined;
  const operations = new Map<string, OperationSurface>();
  for (const [functionName, meta] of Object.entries(metadata)) {
    operations.set(functionName, operationSurface({ functionName, meta: meta as Meta, types }));
  }
  return { operations };
}

/** A property type `$Read<T>` or `$Write<T>` (openapi-typescript's `readOnly` / `writeOnly` marks): `T` and which. */
function readWriteMark(
  type: ts.TypeNode,
): { type: ts.TypeNode; only: "read" | "write" } | undefined {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const name = type.typeName.text;
  const only = name === "$Read" ? "read" : name === "$Write" ? "write" : undefined;
  const inner = type.typeArguments?.length === 1 ? type.typeArguments[0] : undefined;
  return only && inner ? { type: inner, only } : undefined;
}

/** Merged objects an intersection of unions may stand for before it is compared as text. */
const MAX_MERGES = 16;

/** `allOf` of objects: every property, optional only where each part that has it says so. */
function mergeObjects(parts: readonly ObjectShape[]): Shape {
  const properties = new Map<string, Property>();
  let index: Shape | undefined;
  for (const part of parts) {
    for (const [name, property] of part.properties) {
      const existing = properties.get(name);
      properties.set(name, {
        ...property,
        optional: property.optional && (existing?.optional ?? true),
      });
    }
    if (part.index && part.index.kind !== "never") index = part.index;
  }
  return { kind: "object", properties, index };
}

function parse(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
}

// ---------------------------------------------------------------------------------------------------------------
// operations.ts: the `operations` table is a literal; read it as JSON.

interface Meta {
  operationId: string | null;
  method: string;
  path: string;
  parameters: ParameterMeta[];
  requestBody?: { required: boolean; contentTypes: string[] } | null;
  /** `{ "200": [media types] }`; outputs written before that shape: `[{ status, contentTypes }]`. */
  responses: Record<string, string[]> | { status: string; contentTypes: string[] }[];
}

/** A meta's responses by status, whichever shape it was written in (statuses as the runtime keys them). */
function responsesOf(meta: Meta): Map<string, string[]> {
  const { responses = {} } = meta;
  const entries = Array.isArray(responses)
    ? responses.map((r) => [r.status, r.contentTypes] as const)
    : Object.entries(responses);
  const key = (status: string) => (/^default$/i.test(status) ? "default" : status.toUpperCase());
  return new Map(entries.map(([status, types]) => [key(status), [...types]]));
}

function operationsTable(file: ts.SourceFile): Record<string, unknown> | undefined {
  // The table refers to one constant per operation (`revokeSessionById: RevokeSessionByIdMeta`): resolve them.
  const constants = new Map<string, ts.Expression>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.initializer)
        constants.set(declaration.name.text, declaration.initializer);
    }
  }
  const table = constants.get("operations");
  return table && (literalValue(table, constants) as Record<string, unknown>);
}

function literalValue(
  node: ts.Expression | undefined,
  constants: ReadonlyMap<string, ts.Expression> = new Map(),
): unknown {
  if (node === undefined) return undefined;
  if (ts.isIdentifier(node)) return literalValue(constants.get(node.text), constants);
  if (
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isParenthesizedExpression(node)
  )
    return literalValue(node.expression, constants);
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(node))
    return node.elements.map((e) => literalValue(e, constants));
  if (ts.isObjectLiteralExpression(node)) {
    const value: Record<string, unknown> = {};
    for (const property of node.properties)
      if (ts.isPropertyAssignment(property))
        value[propertyName(property.name)] = literalValue(property.initializer, constants);
    return value;
  }
  return undefined;
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name))
    return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression))
    return name.expression.text;
  return name.getText();
}

// ---------------------------------------------------------------------------------------------------------------
// schema.ts: openapi-typescript's `paths`, `operations` and `components` as shapes.

class SchemaTypes {
  private readonly roots = new Map<string, ts.TypeNode | ts.InterfaceDeclaration>();
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly file: ts.SourceFile) {
    for (const statement of file.statements) {
      if (ts.isInterfaceDeclaration(statement)) this.roots.set(statement.name.text, statement);
      else if (ts.isTypeAliasDeclaration(statement))
        this.roots.set(statement.name.text, statement.type);
    }
  }

  /** The type at `root[key0][key1]...`, following indexed-access references on the way. */
  lookup(root: string, keys: readonly string[]): ts.TypeNode | ts.InterfaceDeclaration | undefined {
    let node = this.roots.get(root);
    for (const key of keys) {
      if (node === undefined) return undefined;
      node = memberType(this.dereference(node), key);
    }
    return node;
  }

  /** Follows `components["responses"]["X"]`-style references (and parentheses) to a type literal. */
  dereference(node: ts.TypeNode | ts.InterfaceDeclaration): ts.TypeNode | ts.InterfaceDeclaration {
    for (let depth = 0; depth < 32; depth++) {
      if (ts.isInterfaceDeclaration(node)) return node;
      if (ts.isParenthesizedTypeNode(node)) node = node.type;
      else {
        const chain = indexChain(node);
        const target = chain && this.lookup(chain.root, chain.keys);
        if (!target) return node;
        node = target;
      }
    }
    return node;
  }

  shapeAt(root: string, keys: readonly string[]): Shape | undefined {
    const node = this.lookup(root, keys);
    return node === undefined ? undefined : this.shapeOf(node);
  }

  shapeOf(node: ts.TypeNode | ts.InterfaceDeclaration): Shape {
    if (ts.isInterfaceDeclaration(node)) return this.objectShape(node.members);
    if (ts.isParenthesizedTypeNode(node)) return this.shapeOf(node.type);
    const chain = indexChain(node);
    if (chain) return this.refShape(chain.root, chain.keys);
    switch (node.kind) {
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.AnyKeyword:
        return { kind: "unknown" };
      case ts.SyntaxKind.NeverKeyword:
        return { kind: "never" };
      case ts.SyntaxKind.StringKeyword:
      case ts.SyntaxKind.NumberKeyword:
      case ts.SyntaxKind.BooleanKeyword:
      case ts.SyntaxKind.BigIntKeyword:
      case ts.SyntaxKind.UndefinedKeyword:
      case ts.SyntaxKind.ObjectKeyword:
        return { kind: "primitive", name: ts.tokenToString(node.kind) ?? node.getText(this.file) };
    }
    if (ts.isLiteralTypeNode(node)) return literalShape(node) ?? this.opaque(node);
    if (ts.isArrayTypeNode(node)) return { kind: "array", items: this.shapeOf(node.elementType) };
    if (ts.isTupleTypeNode(node))
      return {
        kind: "tuple",
        items: node.elements.map((e) => this.shapeOf(ts.isNamedTupleMember(e) ? e.type : e)),
      };
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword)
      return this.shapeOf(node.type);
    if (ts.isUnionTypeNode(node))
      return { kind: "union", members: flattenUnion(node.types.map((t) => this.shapeOf(t))) };
    if (ts.isTypeLiteralNode(node)) return this.objectShape(node.members);
    if (ts.isIntersectionTypeNode(node)) return this.intersection(node);
    if (ts.isTypeReferenceNode(node)) return this.typeReference(node);
    return this.opaque(node);
  }

  private refShape(root: string, keys: readonly string[]): Shape {
    const name = `${root}${keys.map((k) => `[${JSON.stringify(k)}]`).join("")}`;
    return {
      kind: "ref",
      name,
      resolve: () => {
        let shape = this.shapes.get(name);
        if (shape === undefined) {
          this.shapes.set(name, { kind: "unknown" }); // a self-reference while resolving sees `unknown`
          const node = this.lookup(root, keys);
          shape = node === undefined ? { kind: "opaque", text: name } : this.shapeOf(node);
          this.shapes.set(name, shape);
        }
        return shape;
      },
    };
  }

  private objectShape(members: ts.NodeArray<ts.TypeElement>): Shape {
    const properties = new Map<string, Property>();
    let index: Shape | undefined;
    for (const member of members) {
      if (ts.isPropertySignature(member) && member.type) {
        const marked = readWriteMark(member.type);
        properties.set(propertyName(member.name), {
          shape: this.shapeOf(marked?.type ?? member.type),
          optional: member.questionToken !== undefined,
          ...(marked ? { only: marked.only } : {}),
        });
      } else if (ts.isIndexSignatureDeclaration(member)) {
        index = this.shapeOf(member.type);
      }
    }
    return { kind: "object", properties, index };
  }

  /**
   * `A & B`: the merged object when every part is an object (openapi-typescript's `allOf`); when some parts are
   * unions of objects (an `allOf` including a `oneOf`), the union of the merged objects, one per choice of
   * members (at most `MAX_MERGES`); else opaque.
   */
  private intersection(node: ts.IntersectionTypeNode): Shape {
    let choices: ObjectShape[][] = [[]];
    for (const part of node.types) {
      const shape = resolveShape(this.shapeOf(part));
      const members = (shape.kind === "union" ? shape.members : [shape]).map(resolveShape);
      if (!members.every((m) => m.kind === "object")) return this.opaque(node);
      choices = choices.flatMap((chosen) => members.map((m) => [...chosen, m as ObjectShape]));
      if (choices.length > MAX_MERGES) return this.opaque(node);
    }
    const merged = choices.map(mergeObjects);
    return merged.length === 1 ? merged[0]! : { kind: "union", members: merged };
  }

  /** `Record<string, never>` (an empty object), `Record<K, V>`, `WithRequired<T, K>`, `Omit<T, K>`, `Array<T>`. */
  private typeReference(node: ts.TypeReferenceNode): Shape {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : "";
    const args = node.typeArguments ?? ([] as unknown as ts.NodeArray<ts.TypeNode>);
    if (name === "Record" && args.length === 2) {
      const value = this.shapeOf(args[1]!);
      return {
        kind: "object",
        properties: new Map(),
        index: value.kind === "never" ? undefined : value,
      };
    }
    if ((name === "Array" || name === "ReadonlyArray") && args.length === 1)
      return { kind: "array", items: this.shapeOf(args[0]!) };
    if ((name === "WithRequired" || name === "Omit") && args.length === 2) {
      const base = resolveShape(this.shapeOf(args[0]!));
      const keys = literalKeys(args[1]!);
      if (base.kind !== "object" || keys === undefined) return this.opaque(node);
      const properties = new Map(base.properties);
      for (const key of keys) {
        const property = properties.get(key);
        if (name === "Omit") properties.delete(key);
        else if (property) properties.set(key, { ...property, optional: false });
      }
      return { kind: "object", properties, index: base.index };
    }
    return this.opaque(node);
  }

  private opaque(node: ts.Node): Shape {
    return { kind: "opaque", text: node.getText(this.file).replace(/\s+/g, " ") };
  }
}

/** `components["schemas"]["User"]` → root `components`, keys `schemas`, `User`. */
function indexChain(node: ts.TypeNode): { root: string; keys: string[] } | undefined {
  const keys: string[] = [];
  let current: ts.TypeNode = node;
  while (ts.isIndexedAccessTypeNode(current)) {
    const index = current.indexType;
    if (!ts.isLiteralTypeNode(index)) return undefined;
    const literal = index.literal;
    if (!ts.isStringLiteral(literal) && !ts.isNumericLiteral(literal)) return undefined;
    keys.unshift(literal.text);
    current = current.objectType;
  }
  if (keys.length === 0 || !ts.isTypeReferenceNode(current) || !ts.isIdentifier(current.typeName))
    return undefined;
  return { root: current.typeName.text, keys };
}

function memberType(
  node: ts.TypeNode | ts.InterfaceDeclaration,
  key: string,
): ts.TypeNode | undefined {
  const members = ts.isInterfaceDeclaration(node)
    ? node.members
    : ts.isTypeLiteralNode(node)
      ? node.members
      : undefined;
  for (const member of members ?? []) {
    if (ts.isPropertySignature(member) && member.type && propertyName(member.name) === key)
      return member.type;
  }
  return undefined;
}

function literalShape(node: ts.LiteralTypeNode): Shape | undefined {
  const literal = node.literal;
  if (ts.isStringLiteral(literal)) return { kind: "literal", value: literal.text };
  if (ts.isNumericLiteral(literal)) return { kind: "literal", value: Number(literal.text) };
  if (
    ts.isPrefixUnaryExpression(literal) &&
    literal.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(literal.operand)
  )
    return { kind: "literal", value: -Number(literal.operand.text) };
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return { kind: "literal", value: true };
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return { kind: "literal", value: false };
  if (literal.kind === ts.SyntaxKind.NullKeyword) return { kind: "primitive", name: "null" };
  return undefined;
}

function literalKeys(node: ts.TypeNode): string[] | undefined {
  const parts = ts.isUnionTypeNode(node) ? [...node.types] : [node];
  const keys: string[] = [];
  for (const part of parts) {
    if (!ts.isLiteralTypeNode(part) || !ts.isStringLiteral(part.literal)) return undefined;
    keys.push(part.literal.text);
  }
  return keys;
}

function flattenUnion(members: Shape[]): Shape[] {
  return members.flatMap((m) => (m.kind === "union" ? flattenUnion(m.members) : [m]));
}

/** Follows references until a structural shape. */
export function resolveShape(shape: Shape): Shape {
  for (let depth = 0; shape.kind === "ref" && depth < 64; depth++) shape = shape.resolve();
  return shape;
}

// ---------------------------------------------------------------------------------------------------------------
// One operation's view into schema.ts, by the metadata table's path and method.

function operationSurface({
  functionName,
  meta,
  types,
}: {
  functionName: string;
  meta: Meta;
  types: SchemaTypes;
}): OperationSurface {
  const base = ["paths", [meta.path, meta.method.toLowerCase()]] as const;
  const at = (...keys: string[]) => types.shapeAt(base[0], [...base[1], ...keys]);
  const statusKey = (status: string) => status;
  const responses = responsesOf(meta);
  return {
    functionName,
    operationId: meta.operationId ?? null,
    method: meta.method,
    path: meta.path,
    parameters: (meta.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
    })),
    requestBody: meta.requestBody
      ? { required: meta.requestBody.required, contentTypes: [...meta.requestBody.contentTypes] }
      : null,
    statuses: [...responses.keys()],
    parameterType: (location, name) => {
      const group = at("parameters", location);
      const resolved = group && resolveShape(group);
      return resolved?.kind === "object" ? resolved.properties.get(name)?.shape : undefined;
    },
    requestBodyType: (mediaType) => at("requestBody", "content", mediaType),
    responseType: (status, mediaType) => at("responses", statusKey(status), "content", mediaType),
    responseContentTypes: (status) => responses.get(status) ?? [],
  };
}
