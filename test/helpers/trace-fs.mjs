// `node --import ./trace-fs.mjs …`: appends every path the process opens or reads through `node:fs` (sync,
// callback and promise APIs, streams, the ES module named exports too) to the file named by TRACE_FS_LOG, one
// JSON string a line, before the call runs. Lets a test see which files a run opened without trusting the
// program's own account of it (tests run as root: permissions prove nothing).
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const log = process.env.TRACE_FS_LOG;
const { appendFileSync } = fs; // the original: the log's own writes are not traced

/** A path argument as an absolute path; file descriptors (numbers) and FileHandles are not paths. */
function pathOf(target) {
  if (typeof target === "string") return resolve(target);
  if (Buffer.isBuffer(target)) return resolve(target.toString());
  if (target instanceof URL) return target.protocol === "file:" ? fileURLToPath(target) : undefined;
  return undefined;
}

function wrap(owner, name, how) {
  const original = owner[name];
  if (typeof original !== "function") return;
  owner[name] = function traced(target, ...rest) {
    const path = pathOf(target);
    if (log && path !== undefined) appendFileSync(log, `${JSON.stringify(`${how} ${path}`)}\n`);
    return original.call(this, target, ...rest);
  };
}

if (log) {
  for (const name of [
    "openSync",
    "open",
    "readFileSync",
    "readFile",
    "createReadStream",
    "openAsBlob",
  ])
    wrap(fs, name, name);
  for (const name of ["open", "readFile"]) wrap(fs.promises, name, `promises.${name}`);
  syncBuiltinESMExports(); // `import { readFileSync } from "node:fs"` now sees the wrappers
}
