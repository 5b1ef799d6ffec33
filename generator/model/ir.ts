/**
 * The intermediate representation: plain, JSON-serialisable data describing what the client must do.
 * Built from the spec by `build-operations.ts`; read by the emitters, which never look at the raw spec.
 * Imports nothing from yaml, ts-morph or openapi-typescript.
 */

/** Lower-case, as the key appears in a Path Item Object (OpenAPI 3.1 §4.8.9). */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** Every `HttpMethod`, in the order the spec lists them (OpenAPI 3.1 §4.8.9). */
export const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
];

export type ParameterLocation = "path" | "query" | "header" | "cookie";

/** Parameter serialization styles (OpenAPI 3.1 §4.8.12.4). */
export type ParameterStyle =
  "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";

/** How a request body is put on the wire, derived from its media type. */
export type BodyEncoding = "json" | "form" | "multipart" | "text" | "binary";

/**
 * How a response body is read, derived from its media type. The stream kinds are read item by item:
 * `sse` (`text/event-stream`), `jsonl` (`application/x-ndjson`, `application/jsonl`), `json-seq` (RFC 7464).
 */
export type ResponseParse = "json" | "text" | "blob" | "void" | "sse" | "jsonl" | "json-seq";

export interface SourceLocation {
  pointer: string;
  line: number;
  col: number;
}

export interface ApiModel {
  title: string;
  version: string;
  /** In spec order: the first one is the default base URL. */
  servers: ServerModel[];
  /** Sorted by name. */
  securitySchemes: SecuritySchemeModel[];
  /** Sorted by function name. */
  operations: OperationModel[];
}

/** A Server Object (OpenAPI 3.1 §4.8.5); `url` may hold `{variable}` templates. */
export interface ServerModel {
  url: string;
  description: string | null;
  /** In spec order. */
  variables: ServerVariableModel[];
}

export interface ServerVariableModel {
  name: string;
  default: string;
  /** `null` when any value is allowed. */
  enum: string[] | null;
}

export type SecuritySchemeModel =
  | { name: string; type: "http"; scheme: string; bearerFormat: string | null }
  | { name: string; type: "apiKey"; in: "header" | "query" | "cookie"; parameterName: string }
  | { name: string; type: "oauth2" | "openIdConnect" | "mutualTLS" };

export interface OperationModel {
  /** As written in the spec; `null` when absent (the function name is then derived from method and path). */
  operationId: string | null;
  /** The exported function's name: a safe, unique TypeScript identifier. Public API. */
  functionName: string;
  /** PascalCase stem for the operation's exported types (`RevokeSessionById` → `RevokeSessionByIdArgs`). */
  typeName: string;
  method: HttpMethod;
  /** The path key exactly as in the spec (it indexes openapi-typescript's `paths`). */
  path: string;
  /** Path-item and operation parameters merged (operation wins), in spec order. */
  parameters: ParameterModel[];
  /**
   * Header parameters named Accept, Content-Type or Authorization, which OpenAPI says are ignored (§4.8.12.1): not
   * in `parameters`, and left out of the arguments' type (openapi-typescript still types them). Absent when none.
   */
  ignoredHeaders?: string[];
  requestBody: RequestBodyModel | null;
  /** Sorted: numeric statuses, then ranges (`4XX`), then `default`. */
  responses: ResponseModel[];
  /** Alternatives (OR) of requirements (AND of scheme names); `[]` means no authentication. */
  security: string[][];
  /** Servers declared on the operation or its path item (operation wins), `null` when it uses the document's. */
  servers: ServerModel[] | null;
  summary: string | null;
  description: string | null;
  deprecated: boolean;
  tags: string[];
  source: SourceLocation;
}

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: ParameterStyle;
  explode: boolean;
  allowReserved: boolean;
  /**
   * Whether a value may be an array or an object: false only when the schema proves every value a scalar
   * (`type`, `enum` or `const`, through `$ref`, `allOf`, `anyOf`, `oneOf`). A path parameter in style simple that
   * is structured is expanded by the runtime's `pathParameter` piece; a scalar one is percent-encoded in place.
   */
  structured: boolean;
  /**
   * The media type of a parameter described by `content` instead of `schema` (OpenAPI 3.1 §4.8.12.3): its value
   * is serialized in that type (JSON text for JSON), then percent-encoded for its location. `null` for `schema`.
   */
  contentType: string | null;
  deprecated: boolean;
  description: string | null;
  source: SourceLocation;
}

export interface RequestBodyModel {
  required: boolean;
  /** In spec order. */
  contents: MediaModel<BodyEncoding>[];
  /** The media type the generated function sends by default (JSON when there is one). */
  preferred: string;
}

export interface ResponseModel {
  /** `"200"`, `"4XX"` or `"default"`, as in the spec. */
  status: string;
  description: string | null;
  /** In spec order; empty for a response without a body. */
  contents: MediaModel<ResponseParse>[];
  /** The media type whose type the generated function declares (JSON when there is one). */
  preferred: string | null;
}

export interface MediaModel<K> {
  mediaType: string;
  kind: K;
  /**
   * A stream's item type (`jsonl`, `json-seq`): `element` when the schema is an array (or an OpenAPI 3.2
   * `itemSchema` is given) and an item is one element, `whole` when the schema describes one item, `unknown`
   * without a schema.
   */
  items?: "element" | "whole" | "unknown";
  /** Request bodies: the Encoding Objects of a form or multipart body, by property name (spec order). */
  encoding?: Record<string, EncodingModel>;
  /**
   * Set when the schema reaches a property marked `readOnly` or `writeOnly` (OpenAPI 3.1 §4.8.24): a request
   * body leaves out the first and a response the second, and the marks wrap the other's type in `schema.ts`, so
   * the body is typed through `Writable` or `Readable`. Absent otherwise.
   */
  hidesProperties?: true;
}

/** An Encoding Object (OpenAPI 3.1 §4.8.15): how one property of a form or multipart body is written. */
export interface EncodingModel {
  /** The part's media type (multipart), or the value's serialization (JSON text for JSON). */
  contentType: string | null;
  /** `application/x-www-form-urlencoded` only, as for a query parameter. */
  style: ParameterStyle | null;
  explode: boolean | null;
  allowReserved: boolean;
}

export function createParameter(
  input: Pick<ParameterModel, "name" | "in" | "source"> & Partial<ParameterModel>,
): ParameterModel {
  const style = input.style ?? defaultStyle(input.in);
  return {
    required: input.in === "path",
    explode: style === "form",
    allowReserved: false,
    structured: true,
    contentType: null,
    deprecated: false,
    description: null,
    ...input,
    style,
  };
}

/** Default `style` by location (OpenAPI 3.1 §4.8.12.4: form for query and cookie, simple for path and header). */
export function defaultStyle(location: ParameterLocation): ParameterStyle {
  return location === "query" || location === "cookie" ? "form" : "simple";
}

/** The URL with every variable at its default: what a client uses when nobody chose. */
export function defaultServerUrl(server: ServerModel): string {
  return server.url.replace(
    /\{([^}]+)\}/g,
    (match, name: string) => server.variables.find((v) => v.name === name)?.default ?? match,
  );
}
