/** Types of `roots.js` (plain JavaScript so that the fast path can run it without tsx). */
export function isInsideRoots(real: string, roots: readonly string[]): boolean;
export function realPathOf(path: string): string | undefined;
export function sourceOutsideRoots<S extends { path: string }>(input: {
  specFile: string;
  extraRoots?: readonly string[];
  sources: readonly S[];
}): S | undefined;
