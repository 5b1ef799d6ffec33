/**
 * The folder-tree test behind confined input, shared by the bundler (`bundle.ts`) and the incremental check
 * (`output/run.ts`). Node built-ins only: the incremental path stays light.
 */
import { realpathSync } from "node:fs";
import { sep } from "node:path";

/** Whether a real path (symlinks resolved) lies in one of the real root folders. */
export function isInsideRoots(real: string, roots: readonly string[]): boolean {
  return roots.some(
    (root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep),
  );
}

/** Each path as its real path (symlinks resolved), or `undefined` when it does not exist. */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
