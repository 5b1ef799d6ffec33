// Entry of the schema thread (`schema-thread.ts`). Plain JavaScript: a worker does not inherit the tsx loader the
// main thread registered, so it registers its own before loading the TypeScript tasks. openapi-typescript and
// TypeScript (most of the thread's modules) are loaded first, before the loader: each module the loader sees
// costs a round trip to its thread.
await import("openapi-typescript/dist/transform/index.mjs");
const { register } = await import("tsx/esm/api");

register();
await import("./schema-worker.ts");
