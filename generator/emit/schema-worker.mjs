// Entry of the schema thread (`schema-thread.ts`). Plain JavaScript: a worker does not inherit the tsx loader the
// main thread registered, so it registers its own before loading the TypeScript tasks.
import { register } from "tsx/esm/api";

register();
await import("./schema-worker.ts");
