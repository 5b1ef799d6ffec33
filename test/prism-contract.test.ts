/**
 * Contract tests: requests built by the generated client, checked by Prism (an independent validator of
 * requests against spec/dashboard-api.yaml; see test/helpers/prism.ts for why and how).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, revokeSessionById } from "../generated/index.js";
import { projectRoot, startPrism, violationsIn, type PrismServer } from "./helpers/prism.js";

const specPath = join(projectRoot, "spec", "dashboard-api.yaml");
const spec = parse(readFileSync(specPath, "utf8")) as {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
const sessionFields = Object.keys(spec.components.schemas["Session"]?.properties ?? {}).sort();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("generated client against Prism (spec/dashboard-api.yaml)", () => {
  let prism: PrismServer;

  beforeAll(async () => {
    prism = await startPrism(specPath, { startupTimeoutMs: 90_000 });
    console.info(`Prism listening on ${prism.url} after ${prism.startupMs} ms (pid ${prism.pid})`);
  });

  afterAll(async () => {
    await prism?.stop();
  });

  it("revokeSessionById: Prism accepts the request (no Violation) and the client returns a Session", async () => {
    const sessionId = "95b11417-f18f-457f-8804-68e361f9164f";
    const violationHeaders: (string | null)[] = [];
    const client = createClient({
      baseUrl: prism.url,
      auth: { bearerAuth: "test-token" },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        violationHeaders.push(response.headers.get("sl-violations"));
        return response;
      },
    });

    const mark = prism.mark();
    const session = await revokeSessionById({ path: { sessionId } }, { client });

    expect(sessionFields).toEqual(["createdAt", "id", "ipAddress", "revokedAt", "userAgent"]);
    expect(session).toBeTypeOf("object");
    expect(Object.keys(session).sort()).toEqual(sessionFields);
    expect(session.id).toMatch(uuidPattern);

    const log = await prism.requestLog(mark, "PUT", `/sessions/${sessionId}/revoke`);
    expect(log[0]).toMatch(/Request received/);
    expect(
      violationsIn(log),
      `Prism's log for PUT /sessions/{sessionId}/revoke:\n${log.join("\n")}`,
    ).toEqual([]);
    expect(violationHeaders).toEqual([null]);
  });

  it("negative control: an invalid sessionId without auth produces Violation lines (the detector works)", async () => {
    const mark = prism.mark();
    const response = await fetch(`${prism.url}/sessions/not-a-uuid/revoke`, { method: "PUT" });
    await response.arrayBuffer();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("sl-violations")).not.toBeNull();

    const log = await prism.requestLog(mark, "PUT", "/sessions/not-a-uuid/revoke");
    const violations = violationsIn(log);
    expect(
      violations.length,
      `Prism's log for the invalid request:\n${log.join("\n")}`,
    ).toBeGreaterThan(0);
    expect(violations.some((line) => /request\.path\.sessionid/i.test(line))).toBe(true);
    expect(violations.some((line) => /security/i.test(line))).toBe(true);
    // The same violations are found by the whole-log scan.
    expect(await prism.violationsSince(mark)).toEqual(violations);
  });
});
