/**
 * `client.ts` laid out by prettier's own line-fitting printer (`prettier/doc`) from the ts-morph structures
 * `client.ts` (the emitter) builds, instead of printing them with ts-morph and having prettier parse the text back.
 * GitHub's client is 2.3 MB of a few statement shapes repeated 1,223 times: prettier's parse and generic printer
 * took 1.4 s of the main thread, the critical path of a run (issue 7), for a layout that depends on the few
 * rules below.
 *
 * Each builder mirrors one rule of prettier 3 (`src/language-js/print/*.js`), named in its comment. Type texts
 * (ts-morph structures hold a type as text) are read back by a parser of the small grammar `operation-types.ts`
 * writes. Anything outside it, and any statement shape not mirrored here, is `Unsure`: that statement alone is
 * printed by ts-morph and formatted by prettier (`printClientFormatted`). `test/layout.test.ts` checks the
 * bytes against the ts-morph + prettier path for every fixture and for any type of the grammar (a property
 * test), and `scripts/layout-check.ts` for the corpus.
 */
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import {
  align,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  jsDoc,
  line,
  lineSuffixBoundary,
  moduleNames,
  PRINT_WIDTH,
  printStatementsFormatted,
  softline,
  stringLiteral,
  Unsure,
  type Doc,
} from "./layout.js";
import { printString } from "./print.js";
import { printStatements } from "./source-file.js";

/**
 * `client.ts`'s text: each statement laid out here, or (when `Unsure`) printed by ts-morph and formatted by
 * `format` (prettier) on its own (`printStatementsFormatted`).
 */
export function printClientFormatted(
  statements: readonly StatementStructures[],
  format: (source: string) => Promise<string>,
): Promise<string> {
  return printStatementsFormatted(
    statements.map((structure, i) => {
      const next = statements[i + 1];
      // ts-morph separates a function or an interface from its neighbours by an empty line; prettier keeps it.
      const blank = next !== undefined && (standsApart(structure) || standsApart(next));
      return {
        doc: () => statementDoc(structure),
        source: () => printStatements("client.ts", [structure]),
        after: blank ? "\n" : "",
      };
    }),
    format,
  );
}

function standsApart(structure: StatementStructures): boolean {
  return structure.kind === StructureKind.Function || structure.kind === StructureKind.Interface;
}

function statementDoc(structure: StatementStructures): Doc {
  switch (structure.kind) {
    case StructureKind.ImportDeclaration:
      return importDoc(structure);
    case StructureKind.TypeAlias:
      return typeAliasDoc(structure);
    case StructureKind.Function:
      return functionDoc(structure);
    case StructureKind.Interface:
      return interfaceDoc(structure);
    default:
      throw new Unsure();
  }
}

// ---------------------------------------------------------------------------------------------- statements

/** `import { a, type B } from "x";` (`print/module.js`), with named imports only. */
function importDoc(s: ImportDeclarationStructure): Doc {
  if (s.defaultImport || s.namespaceImport || s.attributes || !Array.isArray(s.namedImports))
    throw new Unsure();
  const names = s.namedImports.map((n) => {
    if (typeof n !== "string") throw new Unsure();
    return n;
  });
  return moduleNames(
    s.isTypeOnly ? "import type" : "import",
    names,
    stringLiteral(printString(s.moduleSpecifier)),
  );
}

/**
 * `type A = T;` (`print/type-annotation.js` through `print/assignment.js`): a union that is not hugged breaks
 * after `=` (layout "break-after-operator"), anything else is "fluid".
 */
function typeAliasDoc(s: TypeAliasDeclarationStructure): Doc {
  if (
    s.typeParameters?.length ||
    s.hasDeclareKeyword ||
    s.isDefaultExport ||
    typeof s.type !== "string"
  )
    throw new Unsure();
  const type = parseType(s.type);
  const left = [s.isExported ? "export " : "", "type ", s.name];
  const assignment =
    type.k === "union" && !huggedUnion(type)
      ? group([group(left), " =", group(indent([line, unionDoc(type, "break-after-operator")]))])
      : fluid(left, typeDoc(type, "alias"));
  return [docsOf(s.docs), assignment, ";"];
}

/** The "fluid" assignment layout: the right side breaks inside itself before it moves to the next line. */
function fluid(left: Doc, right: Doc): Doc {
  const id = Symbol("assignment");
  return group([
    group(left),
    " =",
    group(indent(line), { id }),
    lineSuffixBoundary,
    indentIfBreak(right, { groupId: id }),
  ]);
}

/**
 * `export function f(a: A = {}, b?: B): R { return call(...); }` (`print/function.js`,
 * `print/function-parameters.js`): the parameters break one per line (with a trailing comma) when the
 * signature does not fit. The body is one statement, laid out only when it fits on its line.
 */
function functionDoc(s: FunctionDeclarationStructure): Doc {
  const statements = s.statements;
  if (
    !s.name ||
    s.typeParameters?.length ||
    s.isAsync ||
    s.isGenerator ||
    s.isDefaultExport ||
    s.hasDeclareKeyword ||
    s.overloads?.length ||
    typeof s.returnType !== "string" ||
    !Array.isArray(statements) ||
    statements.length !== 1 ||
    typeof statements[0] !== "string" ||
    !/^return [\w$]+\([\w$]+(, [\w$]+)*\);$/.test(statements[0]) ||
    (s.parameters ?? []).length < 2 // one parameter may hug its type (`shouldHugTheOnlyFunctionParameter`)
  )
    throw new Unsure();
  const body = statements[0];
  if (2 + body.length > PRINT_WIDTH) throw new Unsure(); // a call's arguments break by their own rules
  const parameters = (s.parameters ?? []).map((p) => {
    if (
      !IDENTIFIER.test(p.name) ||
      p.isRestParameter ||
      p.scope ||
      p.isReadonly ||
      p.decorators?.length ||
      typeof p.type !== "string" ||
      (p.initializer !== undefined && p.initializer !== "{}")
    )
      throw new Unsure();
    return [
      p.name,
      p.hasQuestionToken ? "?" : "",
      ": ",
      typeDoc(parseType(p.type), "annotation"),
      p.initializer ? ` = ${p.initializer}` : "",
    ];
  });
  const parametersDoc = [
    "(",
    indent([softline, join([",", line], parameters)]),
    ifBreak(","),
    softline,
    ")",
  ];
  return [
    docsOf(s.docs),
    s.isExported ? "export " : "",
    "function ",
    s.name,
    group([parametersDoc, ": ", typeDoc(parseType(s.returnType), "annotation")]),
    " {",
    indent([hardline, body]),
    hardline,
    "}",
  ];
}

/** `interface I { a: A; }` (`print/type-annotation.js`, `printObject` of a `TSInterfaceBody`): one member a line. */
function interfaceDoc(s: InterfaceDeclarationStructure): Doc {
  if (
    s.typeParameters?.length ||
    s.extends?.length ||
    s.hasDeclareKeyword ||
    s.isDefaultExport ||
    s.methods?.length ||
    s.callSignatures?.length ||
    s.constructSignatures?.length ||
    s.indexSignatures?.length ||
    s.getAccessors?.length ||
    s.setAccessors?.length
  )
    throw new Unsure();
  const members = (s.properties ?? []).map((p) => {
    if (p.docs?.length || typeof p.type !== "string" || !IDENTIFIER.test(p.name))
      throw new Unsure();
    return [
      p.isReadonly ? "readonly " : "",
      p.name,
      p.hasQuestionToken ? "?" : "",
      ": ",
      typeDoc(parseType(p.type), "annotation"),
      ";",
    ];
  });
  const body =
    members.length === 0 ? "{}" : ["{", indent([hardline, join(hardline, members)]), hardline, "}"];
  return [docsOf(s.docs), s.isExported ? "export " : "", "interface ", s.name, " ", body];
}

/**
 * The statement's doc comment as ts-morph writes it and prettier reprints it (`layout.ts` `jsDoc`). Only a
 * comment given as text: the generator writes no ts-morph tags (see `operationDoc` in `client.ts`).
 */
function docsOf(docs: readonly (OptionalKind<JSDocStructure> | string)[] | undefined): Doc {
  if (!docs || docs.length === 0) return "";
  const doc = docs[0]!;
  if (docs.length > 1 || typeof doc !== "string") throw new Unsure();
  return [jsDoc(doc), hardline];
}

// ---------------------------------------------------------------------------------------------- types

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The types `operation-types.ts` writes, read back. Parentheses are dropped: prettier prints its own. */
type TypeNode =
  | { k: "ref"; name: string; args: TypeNode[] | undefined }
  | { k: "literal"; text: string }
  | { k: "index"; object: TypeNode; index: TypeNode }
  | { k: "union"; types: TypeNode[] }
  | { k: "intersection"; types: TypeNode[] }
  | { k: "object"; members: Member[] };

interface Member {
  readonly: boolean;
  key: string;
  optional: boolean;
  type: TypeNode;
}

/** Where a type is printed: what prettier's printers ask of its parent. */
type Context =
  "alias" | "annotation" | "type-arguments" | "union" | "intersection" | "index-object" | "index";

const TOKEN = /\s*(?:([A-Za-z_$][\w$]*)|("(?:[^"\\]|\\.)*")|(\d+)|([<>[\](){}|&,;:?]))/y;

/** Parses a type text of `operation-types.ts`'s grammar; anything else is `Unsure`. */
export function parseType(text: string): TypeNode {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match || match.index !== start) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new Unsure();
    }
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]!);
  }
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Unsure();
    return token;
  };
  const union = (): TypeNode => {
    const types = [intersection()];
    while (peek() === "|") {
      take();
      types.push(intersection());
    }
    if (types.length === 1) return types[0]!;
    if (types.some((t) => t.k === "union" || t.k === "intersection")) throw new Unsure();
    return { k: "union", types };
  };
  const intersection = (): TypeNode => {
    const types = [postfix()];
    while (peek() === "&") {
      take();
      types.push(postfix());
    }
    if (types.length === 1) return types[0]!;
    if (types.some((t) => t.k === "intersection")) throw new Unsure();
    return { k: "intersection", types };
  };
  const postfix = (): TypeNode => {
    let type = primary();
    while (peek() === "[") {
      take();
      if (peek() === "]") throw new Unsure(); // an array type
      const index = union();
      take("]");
      if (type.k === "union" || type.k === "intersection") throw new Unsure();
      type = { k: "index", object: type, index };
    }
    return type;
  };
  const primary = (): TypeNode => {
    const token = take();
    if (token === "(") {
      const inner = union();
      take(")");
      return inner;
    }
    if (token === "{") return objectType();
    if (token.startsWith('"') || /^\d/.test(token)) return { k: "literal", text: token };
    if (!IDENTIFIER.test(token) || token === "readonly" || token === "typeof" || token === "keyof")
      throw new Unsure();
    if (peek() !== "<") return { k: "ref", name: token, args: undefined };
    take("<");
    const args = [union()];
    while (peek() === ",") {
      take();
      args.push(union());
    }
    take(">");
    return { k: "ref", name: token, args };
  };
  const objectType = (): TypeNode => {
    const members: Member[] = [];
    while (peek() !== "}") {
      let key = take();
      const readonly = key === "readonly" && peek() !== ":" && peek() !== "?";
      if (readonly) key = take();
      if (!IDENTIFIER.test(key)) throw new Unsure(); // a quoted key: prettier may unquote it
      const optional = peek() === "?";
      if (optional) take();
      take(":");
      members.push({ readonly, key, optional, type: union() });
      if (peek() === ";" || peek() === ",") take();
      else if (peek() !== "}") throw new Unsure();
    }
    take("}");
    return { k: "object", members };
  };
  const type = union();
  if (at !== tokens.length) throw new Unsure();
  return type;
}

/** `isSimpleType` (`utils/index.js`): a keyword, a literal, or a reference without type arguments. */
function isSimple(type: TypeNode): boolean {
  return type.k === "literal" || (type.k === "ref" && type.args === undefined);
}

const NULLISH = new Set(["null", "void"]);

/** TypeScript's keyword types: parsed as references here, but not `TSTypeReference`s to prettier. */
const KEYWORDS = new Set([
  ...["any", "unknown", "never", "undefined", "null", "void", "string", "number", "boolean"],
  ...["bigint", "symbol", "object", "this"],
]);

/**
 * `shouldHugType` of a union (`print/union-type.js`): one object type or reference (not a keyword), the rest
 * `null` or `void`, printed `A | null` without breaking.
 */
function huggedUnion(type: TypeNode & { k: "union" }): boolean {
  const hugged = type.types.find(
    (t) => t.k === "object" || (t.k === "ref" && !KEYWORDS.has(t.name)),
  );
  return (
    hugged !== undefined &&
    type.types.every(
      (t) => t === hugged || (t.k === "ref" && t.args === undefined && NULLISH.has(t.name)),
    )
  );
}

function typeDoc(type: TypeNode, context: Context): Doc {
  switch (type.k) {
    case "literal":
      return type.text.startsWith('"') ? stringLiteral(type.text) : type.text;
    case "ref":
      return type.args ? [type.name, typeArgumentsDoc(type.args)] : type.name;
    case "index":
      // `[object, "[", index, "]"]` (`print/type-annotation.js`): never breaks.
      return [typeDoc(type.object, "index-object"), "[", typeDoc(type.index, "index"), "]"];
    case "union":
      return unionDoc(type, context);
    case "intersection":
      return intersectionDoc(type);
    case "object":
      return objectTypeDoc(type.members);
  }
}

/**
 * `<A, B>` (`print/type-parameters.js`): a single simple or object type argument never breaks; otherwise one
 * per line when they do not fit, without a trailing comma (type arguments take none).
 */
function typeArgumentsDoc(args: readonly TypeNode[]): Doc {
  const only = args.length === 1 ? args[0]! : undefined;
  if (only && (isSimple(only) || only.k === "object" || (only.k === "union" && huggedUnion(only))))
    return ["<", typeDoc(only, "type-arguments"), ">"];
  return group([
    "<",
    indent([
      softline,
      join(
        [",", line],
        args.map((a) => typeDoc(a, "type-arguments")),
      ),
    ]),
    softline,
    ">",
  ]);
}

/**
 * `A | B` (`print/union-type.js`): hugged, or `| A` per line when it breaks, each member aligned under its
 * `| `. In parentheses (a member of an intersection, or indexed) it is indented inside them; in type
 * arguments, or right of an alias's `=` ("break-after-operator"), it is printed bare; elsewhere indented.
 */
function unionDoc(type: TypeNode & { k: "union" }, context: Context | "break-after-operator"): Doc {
  const parenthesized = context === "intersection" || context === "index-object";
  if (huggedUnion(type)) {
    const hugged = join(
      " | ",
      type.types.map((t) => typeDoc(t, "union")),
    );
    return parenthesized ? ["(", hugged, ")"] : hugged;
  }
  const members = group(
    type.types.map((t, i) => [
      i === 0 ? ifBreak("| ") : [line, "| "],
      align(2, typeDoc(t, "union")),
    ]),
  );
  if (parenthesized) return ["(", group([indent([softline, members]), softline]), ")"];
  if (context === "type-arguments" || context === "break-after-operator") return members;
  return group(indent([softline, members]));
}

/**
 * `A & B` (`print/intersection-type.js`): two object types side by side; an object type next to anything
 * else inline (indented after the second); two other types break before `&`'s operand.
 */
function intersectionDoc(type: TypeNode & { k: "intersection" }): Doc {
  let wasIndented = false;
  const parts = type.types.map((t, i): Doc => {
    const printed = typeDoc(t, "intersection");
    if (i === 0) return printed;
    const previousObject = type.types[i - 1]!.k === "object";
    const object = t.k === "object";
    if (previousObject && object) return [" & ", wasIndented ? indent(printed) : printed];
    if (!previousObject && !object) return indent([" &", line, printed]);
    if (i > 1) wasIndented = true;
    return [" & ", i > 1 ? indent(printed) : printed];
  });
  return group(parts);
}

/**
 * `{ a: A; b?: B }` (`print/object.js` for a `TSTypeLiteral`): on one line when it fits, else one member a
 * line, each ending in `;`.
 */
function objectTypeDoc(members: readonly Member[]): Doc {
  if (members.length === 0) return "{}";
  const printed = members.map((m, i) => [
    m.readonly ? "readonly " : "",
    m.key,
    m.optional ? "?" : "",
    ": ",
    typeDoc(m.type, "annotation"),
    i === members.length - 1 ? ifBreak(";") : ";",
  ]);
  return group(["{", indent([line, join(line, printed)]), line, "}"]);
}
