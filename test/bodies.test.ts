/**
 * bodies/spec.yaml on the wire: each request media type is sent as its `Content-Type` says, and a caller picks
 * among several with `contentType` (JSON by default). A real node:http server records the bytes.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../generator/diagnostics.js";
import type { RecordingServer } from "./helpers/http-server.js";
import { FIXTURES } from "./helpers/paths.js";
import {
  startClientAgainstServer,
  stopClientAgainstServer,
  type ClientAgainstServer,
} from "./helpers/generated-client.js";

type Call = (args: unknown, options: unknown) => Promise<unknown>;
let api: Record<string, unknown> & {
  createClient: (o: unknown) => unknown;
  operations: Record<string, { requestBody?: unknown }>;
};
let diagnostics: Diagnostic[];
let server: RecordingServer;
let dir: string;
let client: unknown;

beforeAll(async () => {
  ({ api, server, client, dir, diagnostics } = await startClientAgainstServer<typeof api>(
    join(FIXTURES, "bodies/spec.yaml"),
  ));
});
afterAll(() => stopClientAgainstServer({ server, dir }));
beforeEach(() => server.reset());

const call = (name: string, args: unknown) => (api[name] as Call)(args, { client });

describe("createPet: application/json or application/xml", () => {
  it("sends JSON when no contentType is named", async () => {
    await call("createPet", { body: { name: "Rex" } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex"}');
  });

  it("sends the caller's XML as application/xml when contentType names it", async () => {
    await call("createPet", {
      body: "<pet><name>Rex</name></pet>",
      contentType: "application/xml",
    });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/xml");
    expect(server.requests[0]!.body).toBe("<pet><name>Rex</name></pet>");
  });
});

describe("replacePet: application/xml listed before application/json", () => {
  it("sends JSON when no contentType is named: JSON is the default, not the first listed", async () => {
    await call("replacePet", { path: { id: 7 }, body: { name: "Rex" } });
    expect(server.requests[0]!.method).toBe("PUT");
    expect(server.requests[0]!.url).toBe("/pets/7");
    expect(server.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex"}');
  });

  it("sends XML only when contentType names it", async () => {
    await call("replacePet", {
      path: { id: 7 },
      body: "<pet><name>Rex</name></pet>",
      contentType: "application/xml",
    });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/xml");
    expect(server.requests[0]!.body).toBe("<pet><name>Rex</name></pet>");
  });
});

describe("the other media types", () => {
  it("patchPets: application/merge-patch+json is JSON", async () => {
    await call("patchPets", { body: { name: "Rex", tag: null } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/merge-patch+json");
    expect(server.requests[0]!.body).toBe('{"name":"Rex","tag":null}');
  });

  it("login: application/x-www-form-urlencoded", async () => {
    await call("login", { body: { user: "a b&c", remember: true } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(server.requests[0]!.body).toBe("user=a+b%26c&remember=true");
  });

  it("uploadFile: multipart/form-data with a Blob part and a text part", async () => {
    const file = new Blob(["hello"], { type: "text/plain" });
    await call("uploadFile", { body: { file, note: "n1" } });
    const request = server.requests[0]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(
      String(request.headers["content-type"]),
    )?.[1];
    expect(boundary).toBeDefined();
    expect(request.body).toContain(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
    );
    expect(request.body).toContain(`Content-Disposition: form-data; name="note"\r\n\r\nn1\r\n`);
  });

  it("putRaw: application/octet-stream sends the bytes as they are", async () => {
    await call("putRaw", { body: new Uint8Array([104, 105]) });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/octet-stream");
    expect(server.requests[0]!.body).toBe("hi");
  });

  it("putNote: text/plain", async () => {
    await call("putNote", { body: "a note" });
    expect(server.requests[0]!.headers["content-type"]).toBe("text/plain");
    expect(server.requests[0]!.body).toBe("a note");
  });
});

describe("media type ranges, other multipart types, structured text (triage 2026-12-06)", () => {
  const sent = () => server.requests[0]!;

  it("putAny (*/*): a Blob goes with its own type, a string as text; never `Content-Type: */*`", async () => {
    await call("putAny", { body: new Blob(['{"a":1}'], { type: "application/json" }) });
    expect([sent().headers["content-type"], sent().body]).toEqual(["application/json", '{"a":1}']);
    server.reset();
    await call("putAny", { body: "plain" });
    expect([sent().headers["content-type"], sent().body]).toEqual([
      "text/plain;charset=UTF-8",
      "plain",
    ]);
  });

  it("putImage (image/*): the Blob's own image/png", async () => {
    await call("putImage", { body: new Blob(["P"], { type: "image/png" }) });
    expect(sent().headers["content-type"]).toBe("image/png");
  });

  it("putImage with a client-wide application/json header: image/* does not take it; the Blob's image/png goes", async () => {
    const json = api.createClient({
      baseUrl: server.origin,
      headers: { "Content-Type": "application/json" },
    });
    await (api.putImage as Call)(
      { body: new Blob(["P"], { type: "image/png" }) },
      { client: json },
    );
    expect(sent().headers["content-type"]).toBe("image/png");
  });

  it("putImage with the caller's own image/png header: sent as the caller wrote it, not the Blob's type", async () => {
    const png = api.createClient({
      baseUrl: server.origin,
      headers: { "Content-Type": "image/png" },
    });
    await (api.putImage as Call)(
      { body: new Blob(["P"], { type: "image/png; x=1" }) },
      { client: png },
    );
    expect(sent().headers["content-type"]).toBe("image/png");
  });

  it("postBatch (multipart/mixed): the caller's body as is, with the boundary its Blob's type carries", async () => {
    const type = "multipart/mixed; boundary=b1";
    const body = "--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--\r\n";
    await call("postBatch", { body: new Blob([body], { type }) });
    expect([sent().headers["content-type"], sent().body]).toEqual([type, body]);
  });

  it("putFeed (text/xml, object schema): the caller's XML text, not JSON", async () => {
    await call("putFeed", { body: "<Feed><name>n</name></Feed>" });
    expect([sent().headers["content-type"], sent().body]).toEqual([
      "text/xml",
      "<Feed><name>n</name></Feed>",
    ]);
  });

  it("postQuery: allowReserved alone styles the property (form, exploded); %XX triples pass, a lone % does not", async () => {
    await call("postQuery", { body: { ids: [1, 2], res: { r: "a/b", g: "2" }, raw: "x%2By:/%" } });
    expect(sent().body).toBe("ids=1,2&r=a/b&g=2&raw=x%2By:/%25");
  });

  it("postQuery: deepObject properties as Stripe reads them: a[0]=…, a[b][c]=…", async () => {
    await call("postQuery", {
      body: {
        expand: ["customer", "invoice"],
        price: { currency: "usd", recurring: { interval: "day" } },
      },
    });
    expect(sent().body).toBe(
      "expand%5B0%5D=customer&expand%5B1%5D=invoice&price%5Bcurrency%5D=usd&price%5Brecurring%5D%5Binterval%5D=day",
    );
  });

  it("postQuery: an empty array is left out (RFC 6570 §2.3), not `ids=`", async () => {
    await call("postQuery", { body: { ids: [], raw: "r" } });
    expect(sent().body).toBe("raw=r");
  });

  it("postQuery with a client-wide Content-Type that has a charset: the Encoding Object still applies", async () => {
    const withCharset = api.createClient({
      baseUrl: server.origin,
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
    });
    await (api.postQuery as Call)({ body: { ids: [1, 2] } }, { client: withCharset });
    expect([sent().headers["content-type"], sent().body]).toEqual([
      "application/x-www-form-urlencoded; charset=UTF-8",
      "ids=1,2",
    ]);
  });

  it("putAvatar: a Blob or File without a type takes the part's declared contentType; a typed one keeps its own", async () => {
    const partType = (body: string) => /name="png"[^\r]*\r\nContent-Type: ([^\r]+)/.exec(body)?.[1];
    await call("putAvatar", { body: { png: new Blob(["P"]) } });
    expect(partType(sent().body)).toBe("image/png");
    server.reset();
    await call("putAvatar", { body: { png: new File(["P"], "me.png") } });
    expect(sent().body).toContain('filename="me.png"\r\nContent-Type: image/png');
    server.reset();
    await call("putAvatar", { body: { png: new Blob(["P"], { type: "image/webp" }) } });
    expect(partType(sent().body)).toBe("image/webp");
  });
});

describe("swagger2/spec.yaml searchPets: formData arrays keep their collectionFormat through conversion", () => {
  let swagger: ClientAgainstServer<typeof api>;
  beforeAll(async () => {
    swagger = await startClientAgainstServer<typeof api>(join(FIXTURES, "swagger2/spec.yaml"));
  });
  afterAll(() => stopClientAgainstServer({ server: swagger.server, dir: swagger.dir }));

  it("csv (the default, also through #/parameters), ssv, pipes not exploded; multi exploded", async () => {
    const body = {
      ids: [1, 2],
      words: ["a", "b"],
      kinds: ["x", "y"],
      tags: ["t", "u"],
      colors: ["r", "g"],
    };
    await (swagger.api.searchPets as Call)({ body }, { client: swagger.client });
    expect(swagger.server.requests[0]!.body).toBe(
      "ids=1,2&words=a%20b&kinds=x%7Cy&tags=t&tags=u&colors=r,g",
    );
  });

  it("operations the converter gives one shared body keep each its own format (csv, csv, multi, pipes)", async () => {
    const expected = {
      tagPets: "names=a,b",
      untagPets: "names=a,b",
      renamePets: "names=a&names=b",
      groupPets: "names=a%7Cb",
    };
    for (const [name, body] of Object.entries(expected)) {
      swagger.server.reset();
      await (swagger.api[name] as Call)(
        { body: { names: ["a", "b"] } },
        { client: swagger.client },
      );
      expect(swagger.server.requests[0]!.body, name).toBe(body);
    }
  });

  it("a tsv query parameter, which OpenAPI 3 cannot express, is a warning at that parameter in the file", () => {
    expect(
      swagger.diagnostics
        .filter((d) => d.code === "unsupported-collection-format")
        .map((d) => [d.severity, d.line, d.pointer, d.message]),
    ).toEqual([
      [
        "warning",
        40,
        "/paths/~1pets~1search/post/parameters/5",
        'Swagger 2.0 parameter "cells" (in: query): collectionFormat "tsv" has no OpenAPI 3 style there; its arrays are sent in the location\'s default style',
      ],
    ]);
  });
});

describe("a request body on GET or HEAD (OpenAPI 3.0: SHALL be ignored; fetch refuses one)", () => {
  it("the operation takes none: no body in the table, the call goes without one", async () => {
    expect(api.operations.getAccount!.requestBody ?? null).toBeNull();
    await call("getAccount", undefined);
    expect([server.requests[0]!.method, server.requests[0]!.body]).toEqual(["GET", ""]);
  });

  it("a required one is a located ignored-request-body warning; an optional one is dropped silently", () => {
    expect(
      diagnostics
        .filter((d) => d.code === "ignored-request-body")
        .map((d) => [d.severity, d.pointer]),
    ).toEqual([["warning", "/paths/~1account/head/requestBody"]]);
  });
});
