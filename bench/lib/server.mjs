// The local API for the per-call phase: node:http on 127.0.0.1 (an ephemeral port, printed as the first line),
// answering GET /repos/{owner}/{repo} with a small repository object. It serves loopback only and exits by
// itself after SERVER_MAX_MS even if the bench that started it died.
import { createServer } from "node:http";

const SERVER_MAX_MS = 20 * 60_000;

const server = createServer((request, response) => {
  const match = /^\/repos\/([^/?]+)\/([^/?]+)(?:\?|$)/.exec(request.url ?? "");
  if (request.method !== "GET" || match === null) {
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"message":"Not Found"}');
    return;
  }
  const owner = decodeURIComponent(match[1]);
  const repo = decodeURIComponent(match[2]);
  const body = JSON.stringify({
    id: 1296269,
    node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
    name: repo,
    full_name: `${owner}/${repo}`,
    private: false,
    owner: { login: owner, id: 1 },
    html_url: `https://github.com/${owner}/${repo}`,
    description: "This your first repo!",
    fork: false,
    default_branch: "main",
  });
  response.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(`${port}\n`);
});
setTimeout(() => process.exit(0), SERVER_MAX_MS).unref();
process.on("SIGTERM", () => server.close(() => process.exit(0)));
