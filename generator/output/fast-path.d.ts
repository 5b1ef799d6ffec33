/** Types of `fast-path.js` (plain JavaScript: it runs before tsx is registered). */
export declare const GENERATION_OPTIONS: Readonly<Record<string, unknown>>;

export declare function upToDateRun(
  argv: readonly string[],
  io?: { cwd?: string; stdout?: (text: string) => void },
): Promise<number | undefined>;
