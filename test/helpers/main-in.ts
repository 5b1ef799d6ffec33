/** The CLI's `main()` run in this process (no child process, so fast), in a given folder, output captured. */
import { main } from "../../generator/cli.js";
import type { RunResult } from "./run.js";

export async function mainIn(cwd: string, argv: string[]): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    env: {},
  };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(argv, io), stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}
