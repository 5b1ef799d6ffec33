/**
 * Remote (`http:`/`https:`) `$ref`s: off unless the user allows the host (`--allow-ref-host`, `allowRefHosts`).
 *
 * Matching rule: an allowlist entry is a host as a URL writes it, `hostname` or `hostname:port`, compared with
 * the URL's hostname exactly (case-insensitively; IDNs in punycode) and with its port: an entry without a port
 * matches only the scheme's default port, an entry with one matches that port (so `api.example.com:443` is
 * `https://api.example.com/…` as well as `http://api.example.com:443/…`). No wildcards, no schemes, no paths:
 * `api.example.com` allows `https://api.example.com/…` and `http://api.example.com/…`, but not
 * `https://api.example.com:8443/…` nor `https://cdn.api.example.com/…`.
 *
 * A fetch follows no redirect (a 3xx is an error naming its `Location`), gives up after `fetchTimeoutMs`, and
 * reads at most `maxDocumentBytes`. Node built-ins only: the config stage imports this file.
 */
import { LIMITS, formatLimit } from "./limits.js";

/** An allowlist entry in its canonical form (lower-case, punycode), or why it is not a host. */
export function normalizeHost(entry: string): { host: string } | { error: string } {
  const invalid = (why: string) => ({
    error: `${JSON.stringify(entry)} is not a host (${why}): write it like api.example.com or 127.0.0.1:8080`,
  });
  if (/[/\\@*?#\s]/.test(entry) || entry.includes("://"))
    return invalid("no scheme, path, credentials or wildcard");
  let url: URL;
  try {
    url = new URL(`http://${entry}`);
  } catch {
    return invalid("it does not parse");
  }
  if (url.hostname === "") return invalid("it is empty");
  // `new URL` drops `:80`, the http default: keep the port as written so that the entry means what it says.
  const port = /:(\d+)$/.exec(entry)?.[1];
  return { host: port === undefined ? url.hostname : `${url.hostname}:${Number(port)}` };
}

/** Why a remote reference may not be fetched, or `undefined` when its host is allowed. */
export function remoteRefusal({
  url,
  hosts,
}: {
  url: string;
  hosts: readonly string[];
}): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "remote references are not allowed (the URL does not parse)";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return `remote references are not allowed (only http: and https: can be, not ${parsed.protocol})`;
  if (hosts.some((entry) => hostMatches(entry, parsed))) return undefined;
  return `remote references are not allowed: host ${parsed.host} is not allowed (allow it with --allow-ref-host ${parsed.host}, or "allowRefHosts": ["${parsed.host}"] in the config file)`;
}

function hostMatches(entry: string, url: URL): boolean {
  const port = /:(\d+)$/.exec(entry)?.[1];
  const hostname = port === undefined ? entry : entry.slice(0, -port.length - 1);
  if (hostname !== url.hostname) return false;
  if (port === undefined) return url.port === "";
  return port === (url.port || (url.protocol === "https:" ? "443" : "80"));
}

/**
 * The `fetch` given to the bundler's resolver (`http.customFetch` of `@redocly/openapi-core`): no redirect, a
 * timeout, a size cap. Returns a `Response` whose body is already fully (and boundedly) read.
 */
export async function confinedFetch(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: "manual",
      signal: AbortSignal.timeout(LIMITS.fetchTimeoutMs),
    });
  } catch (error) {
    throw new Error(`cannot fetch ${url}: ${fetchFailure(error)}`);
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`cannot fetch ${url}: ${statusFailure(url, response)}`);
  }
  const bytes = await readBounded(url, response);
  return new Response(bytes, { status: response.status, headers: response.headers });
}

/** A non-2xx answer; a redirect names its target (as a parsed URL: no raw header text reaches a terminal). */
function statusFailure(url: string, response: Response): string {
  if (response.status < 300 || response.status > 399) return `it answered ${response.status}`;
  let target = "";
  try {
    target = ` to ${new URL(response.headers.get("location") ?? "", url).href}`;
  } catch {
    // no usable Location: the redirect is named without it
  }
  return `it answered ${response.status} (a redirect${target}); specfetch follows no redirects: reference the final URL, and allow its host`;
}

class TooLarge extends Error {}

/** The body, at most `maxDocumentBytes`: a declared or streamed larger one is cut off with an error. */
async function readBounded(url: string, response: Response): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () =>
    new TooLarge(
      `${url} is larger than the limit maxDocumentBytes (${formatLimit("maxDocumentBytes")})`,
    );
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > LIMITS.maxDocumentBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      total += read.value.byteLength;
      if (total > LIMITS.maxDocumentBytes) {
        await reader!.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof TooLarge) throw error;
    throw new Error(`cannot fetch ${url}: ${fetchFailure(error)}`);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** OpenSSL's and Node's codes for a certificate that could not be verified (chain, expiry, name). */
const CERTIFICATE_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)/;

function fetchFailure(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError")
    return `no complete answer within the limit fetchTimeoutMs (${formatLimit("fetchTimeoutMs")})`;
  const code = e?.cause?.code;
  // Certificates are always verified (there is no option to turn that off): say what failed and what to do. Node's
  // text for a wrong name lists the certificate's names (the server's text): that one is not shown.
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return `its TLS certificate was not accepted (${code}: the certificate is not issued for this host name)`;
  if (code !== undefined && CERTIFICATE_FAILURE.test(code))
    return `its TLS certificate was not accepted (${code}: ${e.cause?.message}); specfetch verifies certificates against Node's CA store: to trust a private CA, set NODE_EXTRA_CA_CERTS=<ca.pem>`;
  return code ?? e?.cause?.message ?? e?.message ?? String(error);
}
