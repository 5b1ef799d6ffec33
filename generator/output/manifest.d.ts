/** Types of `manifest.js` (plain JavaScript so that `bin/specfetch.js` can run it without tsx). */
export declare const BANNER_PREFIX: string;
export declare const MANIFEST_PREFIX: string;
export declare const SHORT_HASH: number;

export declare function bannerSpecPath(specFile: string, outDir: string): string;
export declare function sha256(data: string | Uint8Array): string;
export declare function shortHash(sha256Hex: string): string;
export declare function bodyHash(body: string): string;
export declare function optionsHash(options: Readonly<Record<string, unknown>>): string;

export interface Banner {
  version: string;
  specPath: string;
  specSha256: string;
  optionsHash: string;
  /** Other input files (multi-file specs), as recorded: path relative to the spec's folder, short hash. */
  sources: { path: string; hash: string }[];
  /** Every file of the output set → the short hash of its body. */
  files: Map<string, string>;
  /** The banner's exact text (two lines and the empty line that follows). */
  text: string;
}

export declare function parseBanner(content: string): Banner | undefined;
export declare function bodyOf(content: string, banner: Banner): string;

export interface OutputFolder {
  exists: boolean;
  /** Regular files whose first line is a specfetch banner, by name (any banner version). */
  files: Map<string, string>;
  /** Entries specfetch did not write (sorted). */
  foreign: string[];
  /** Files whose body no longer matches the hash their own banner records: edited by hand (sorted). */
  edited: string[];
  /** The banner the files share, when they all carry the same current-format banner. */
  banner: Banner | undefined;
}

export declare function readOutputFolder(
  out: string,
  options?: { contents?: true },
): Promise<OutputFolder>;
/** Without the files' text: `files` maps each generated file's name to `undefined`. */
export declare function readOutputFolder(
  out: string,
  options: { contents: false },
): Promise<Omit<OutputFolder, "files"> & { files: Map<string, undefined> }>;

export interface Freshness {
  upToDate: boolean;
  /** Why not (or "unchanged"), for `--verbose` and the summary line. */
  reason: string;
}

export declare function checkFreshness(input: {
  folder: OutputFolder;
  version: string;
  /** The spec on disk. */
  specFile: string;
  /** The spec as it appears in banners. */
  specPath: string;
  options: Readonly<Record<string, unknown>>;
}): Promise<Freshness>;

export declare function hasExternalRefs(spec: Uint8Array): boolean;
