/**
 * The folder-tree test behind confined input, shared by the bundler (`bundle.ts`), the incremental check
 * (`output/run.ts`) and the up-to-date fast path (`output/fast-path.js`). Plain JavaScript on node built-ins
 * (typed by `roots.d.ts`), so that the fast path can use it before tsx is registered.
 */
import { realpathSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";

/**
 * Whether a real path (symlinks resolved) lies in one of the real root folders.
 * @param {string} real
 * @param {readonly string[]} roots
 */
export function isInsideRoots(real, roots) {
  return roots.some(
    (root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep),
  );
}

/**
 * A path's real path (symlinks resolved), or `undefined` when it does not exist.
 * @param {string} path
 */
export function realPathOf(path) {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The first source a banner records (paths relative to the spec's folder) that now lies outside the spec's folder
 * and `extraRoots` (a root was removed since): such an output must be regenerated, which refuses the `$ref`,
 * rather than called up to date. Remote sources (re-fetched on every run) and missing files (reported as changed
 * by `checkFreshness`) are not this function's concern.
 * @param {{ specFile: string; extraRoots?: readonly string[]; sources: readonly { path: string }[] }} input
 */
export function sourceOutsideRoots({ specFile, extraRoots = [], sources }) {
  if (sources.length === 0) return undefined;
  const roots = [dirname(specFile), ...extraRoots].map((root) => realPathOf(root) ?? root);
  return sources.find((source) => {
    if (/^https?:\/\//.test(source.path)) return false;
    const real = realPathOf(resolve(dirname(specFile), source.path));
    return real !== undefined && !isInsideRoots(real, roots);
  });
}
