/**
 * security/spec.yaml, generated and imported, on the wire against a real node:http server: which credentials an
 * operation's `security` sends (OpenAPI 3.1 §4.8.27, §4.8.30), and how each kind of scheme looks on arrival.
 *
 * The rule (README, "Authentication"): the alternatives are tried in the spec's order and the first one the
 * client has every credential for is sent, alone; an empty alternative `{}` (authentication optional) is taken
 * only when no other one is complete; an alternative (AND) missing a credential sends none of its credentials.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "./helpers/http-server.js";
import { importGeneratedClient } from "./helpers/generated-client.js";
import { FIXTURES } from "./helpers/paths.js";

type Operation =
  "getMe" | "getPublic" | "getEither" | "getBoth" | "getOptional" | "getFallback" | "getOidc";
type Api = Record<Operation, (args?: unknown, options?: unknown) => Promise<unknown>> & {
  createClient: (options: unknown) => unknown;
};

let api: Api;
let dir: string;
let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer();
  ({ api, dir } = await importGeneratedClient<Api>(join(FIXTURES, "security/spec.yaml")));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls `operation` through a client with `auth` on the recording server; returns what arrived. */
async function arrived(operation: Operation, auth: Record<string, unknown>) {
  server.reset();
  server.respondWith({ status: 204 });
  const client = api.createClient({ baseUrl: server.origin, auth, retry: false });
  await api[operation]({}, { client });
  expect(server.requests).toHaveLength(1);
  const { url, headers } = server.requests[0]!;
  return {
    url,
    authorization: headers.authorization,
    apiKey: headers["x-api-key"],
    cookie: headers.cookie,
  };
}

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

/** Every credential the fixture's schemes take. */
const ALL = {
  bearerAuth: "jwt",
  basicAuth: { username: "u", password: "p" },
  apiKeyHeader: "hk",
  apiKeyQuery: "qk",
  apiKeyCookie: "ck",
  oauth: "oa",
  oidc: "oi",
};

describe("global and per-operation requirements", () => {
  it("getMe (the document's `security`) sends the bearer token; getPublic (`security: []`) sends nothing", async () => {
    expect(await arrived("getMe", ALL)).toEqual({
      url: "/me",
      authorization: "Bearer jwt",
      apiKey: undefined,
      cookie: undefined,
    });
    expect(await arrived("getPublic", ALL)).toEqual({
      url: "/public",
      authorization: undefined,
      apiKey: undefined,
      cookie: undefined,
    });
  });
});

describe("alternatives (OR): the first complete one in the spec's order, alone", () => {
  it("getEither [apiKeyHeader] | [basicAuth] with both configured sends only the apiKey", async () => {
    expect(await arrived("getEither", ALL)).toEqual({
      url: "/either",
      authorization: undefined,
      apiKey: "hk",
      cookie: undefined,
    });
  });

  it("getEither with only basic configured falls through to basic", async () => {
    const { authorization, apiKey } = await arrived("getEither", { basicAuth: ALL.basicAuth });
    expect([authorization, apiKey]).toEqual([basic("u", "p"), undefined]);
  });

  it("getFallback [apiKeyQuery + apiKeyCookie] | [bearerAuth]: an incomplete first alternative is skipped, none of its credentials sent", async () => {
    expect(await arrived("getFallback", { apiKeyQuery: "qk", bearerAuth: "jwt" })).toEqual({
      url: "/fallback",
      authorization: "Bearer jwt",
      apiKey: undefined,
      cookie: undefined,
    });
    // Both of the first alternative's credentials: it is complete, so it wins over the bearer token.
    expect(await arrived("getFallback", ALL)).toEqual({
      url: "/fallback?api_key=qk",
      authorization: undefined,
      apiKey: undefined,
      cookie: "session=ck",
    });
  });

  it("a credential given as a function is called only for the alternative that is sent", async () => {
    const calls: string[] = [];
    const spy = (name: string, value: string) => () => (calls.push(name), value);
    await arrived("getEither", {
      apiKeyHeader: spy("apiKeyHeader", "hk"),
      basicAuth: ALL.basicAuth,
    });
    await arrived("getFallback", {
      apiKeyQuery: spy("apiKeyQuery", "qk"),
      bearerAuth: spy("bearerAuth", "jwt"),
    });
    expect(calls).toEqual(["apiKeyHeader", "bearerAuth"]);
  });
});

describe("combinations (AND): all or nothing", () => {
  it("getBoth [apiKeyQuery + apiKeyCookie] with one credential missing sends neither", async () => {
    const expected = {
      url: "/both",
      authorization: undefined,
      apiKey: undefined,
      cookie: undefined,
    };
    expect(await arrived("getBoth", { apiKeyQuery: "qk" })).toEqual(expected);
    expect(await arrived("getBoth", { apiKeyCookie: "ck" })).toEqual(expected);
  });

  it("with both, the query key and the cookie arrive exactly, percent-encoded (only RFC 3986 unreserved characters kept, `!'()*` encoded too)", async () => {
    const { url, cookie } = await arrived("getBoth", {
      apiKeyQuery: "a b&c=d+e/f?~-._!'()*",
      apiKeyCookie: 'x;y,z é="(!)',
    });
    expect(url).toBe("/both?api_key=a%20b%26c%3Dd%2Be%2Ff%3F~-._%21%27%28%29%2A");
    // A key with characters a cookie cannot carry (`;`, `,`, space, `"`, non-ASCII) is percent-encoded whole.
    expect(cookie).toBe("session=x%3By%2Cz%20%C3%A9%3D%22%28%21%29");
  });

  it("a cookie key made of cookie-octets (a base64 token with + / =) arrives as it was set, not percent-encoded", async () => {
    const { cookie } = await arrived("getBoth", {
      apiKeyQuery: "q",
      apiKeyCookie: "ab+c/d==!#$&'()*-.:<>?@[]^_`{|}~",
    });
    expect(cookie).toBe("session=ab+c/d==!#$&'()*-.:<>?@[]^_`{|}~");
  });
});

describe("optional authentication (`{}`)", () => {
  it("getOptional [{}] | [oauth] without the credential sends nothing", async () => {
    expect(await arrived("getOptional", { bearerAuth: "jwt" })).toEqual({
      url: "/optional",
      authorization: undefined,
      apiKey: undefined,
      cookie: undefined,
    });
  });

  it("with it, `{}` listed first does not win: the oauth2 token is sent as `Authorization: Bearer`", async () => {
    expect((await arrived("getOptional", { oauth: "t" })).authorization).toBe("Bearer t");
  });
});

describe("oauth2 and openIdConnect are bearer token sources", () => {
  it("getOptional (oauth2) and getOidc (openIdConnect) send `Authorization: Bearer <token>`", async () => {
    expect((await arrived("getOptional", ALL)).authorization).toBe("Bearer oa");
    expect(await arrived("getOidc", ALL)).toEqual({
      url: "/oidc",
      authorization: "Bearer oi",
      apiKey: undefined,
      cookie: undefined,
    });
  });

  it("getOidc without its credential sends no Authorization, whatever else is configured", async () => {
    const { oidc: _omit, ...others } = ALL;
    expect((await arrived("getOidc", others)).authorization).toBeUndefined();
  });
});
