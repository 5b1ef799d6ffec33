/**
 * Type tests for the user's reference operation, checked by `tsc` under the strictest flags (see
 * typecheck.test.ts). A wrong type is a compile error here, so these assertions cannot pass vacuously.
 */
import { expectTypeOf } from "vitest";
import {
  ApiError,
  createClient,
  isApiErrorOf,
  operations,
  revokeSessionById,
  type CallOptions,
  type Client,
  type components,
  type RevokeSessionByIdError,
} from "../../generated/index.js";

type Session = {
  id?: string;
  createdAt?: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  revokedAt?: string | null;
};

// revokeSessionById(args: { path: { sessionId: string } }, options?: CallOptions): Promise<Session>
expectTypeOf(revokeSessionById).parameter(0).toEqualTypeOf<{ path: { sessionId: string } }>();
expectTypeOf(revokeSessionById).parameter(1).toEqualTypeOf<CallOptions | undefined>();
expectTypeOf(revokeSessionById).parameters.toEqualTypeOf<
  [args: { path: { sessionId: string } }, options?: CallOptions]
>();
expectTypeOf(revokeSessionById).returns.resolves.toEqualTypeOf<Session>();
expectTypeOf(revokeSessionById).returns.resolves.toEqualTypeOf<components["schemas"]["Session"]>();

// Errors: a union discriminated by status, each with the body its response declares.
expectTypeOf<RevokeSessionByIdError["status"]>().toEqualTypeOf<401 | 403 | 500>();
expectTypeOf<RevokeSessionByIdError["body"]>().toEqualTypeOf<{ error?: string }>();
expectTypeOf<RevokeSessionByIdError["operationId"]>().toEqualTypeOf<"revokeSessionById">();
expectTypeOf<RevokeSessionByIdError>().toExtend<ApiError>();

declare const caught: unknown;
if (isApiErrorOf(caught, "revokeSessionById")) {
  expectTypeOf(caught.status).toEqualTypeOf<401 | 403 | 500>();
  if (caught.status === 403) {
    expectTypeOf(caught.body).toEqualTypeOf<components["schemas"]["Forbidden"]>();
  }
  expectTypeOf(caught.headers).toEqualTypeOf<Headers>();
}

// CallOptions carries at least client, signal and headers.
expectTypeOf<CallOptions>().toHaveProperty("client").toEqualTypeOf<Client | undefined>();
expectTypeOf<CallOptions>().toHaveProperty("signal").toEqualTypeOf<AbortSignal | undefined>();
expectTypeOf<CallOptions>().toHaveProperty("headers");

// The metadata table is literal, not widened.
expectTypeOf(operations.revokeSessionById.method).toEqualTypeOf<"PUT">();
expectTypeOf(operations.revokeSessionById.path).toEqualTypeOf<"/sessions/{sessionId}/revoke">();

// What must not compile.
export function rejected(): void {
  // @ts-expect-error sessionId is required
  void revokeSessionById({ path: {} });
  // @ts-expect-error args are required: the path parameter is
  void revokeSessionById();
  // @ts-expect-error sessionId is a string
  void revokeSessionById({ path: { sessionId: 42 } });
  // @ts-expect-error this operation has no query parameters
  void revokeSessionById({ path: { sessionId: "x" }, query: { a: 1 } });
  // @ts-expect-error auth is keyed by the spec's security scheme names
  createClient({ auth: { bearAuth: "token" } });
  createClient({
    baseUrl: "http://localhost:3333/api/v0",
    auth: { bearerAuth: () => Promise.resolve("t") },
  });
}
