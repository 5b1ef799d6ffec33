// `node --import ./trace-imports.mjs …`: appends the URL of every module the process resolves (through `import`,
// static or dynamic) to the file named by TRACE_IMPORTS_LOG, one a line. Lets a test see which packages a run
// loaded without trusting the program's own account of it.
import { register } from "node:module";

register(new URL("./trace-imports-hooks.mjs", import.meta.url), {
  data: { log: process.env.TRACE_IMPORTS_LOG },
});
