/** Types of `prebuilt.js` (plain JavaScript: it runs before anything is loaded). */
export declare const DIST: string;
/** Packages whose installed version the prebuilt generator depends on. */
export declare const BUILT_IN: readonly string[];
/** sha256 over every file under `root/generator/` and the `BUILT_IN` packages' `package.json` (default: this checkout). */
export declare function sourcesHash(root?: string): string;
/** `root/dist/launch.mjs`'s URL when `root/dist/sources.json` matches the sources, else `undefined`. */
export declare function prebuiltEntry(root?: string): string | undefined;
