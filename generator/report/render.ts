/**
 * The change report as terminal text, Markdown (for a pull request description) and JSON (for tools).
 * Deterministic: no timestamps or absolute paths, changes in the order `compare.ts` sorted them.
 */
import type { Bump, Change, ChangeReport } from "./compare.js";

export interface ClientReport {
  /** The spec as shown in banners (relative). */
  spec: string;
  /** The output folder as given. */
  out: string;
  /** `first`: there was no previous output to compare with. `unchanged`: the output did not change. */
  status: "changed" | "unchanged" | "first";
  report: ChangeReport | undefined;
}

const BUMP_ORDER: readonly Bump[] = ["patch", "minor", "major"];

/** The largest bump any client needs. */
export function overallBump(clients: readonly ClientReport[]): Bump {
  let bump: Bump = "patch";
  for (const client of clients) {
    const own = client.report?.bump ?? "patch";
    if (BUMP_ORDER.indexOf(own) > BUMP_ORDER.indexOf(bump)) bump = own;
  }
  return bump;
}

export function countBreaking(clients: readonly ClientReport[]): number {
  return clients.reduce((sum, c) => sum + (c.report?.breaking ?? 0), 0);
}

/** One line per change under a summary line, for the terminal. `paint` adds colour when it is on. */
export function renderText(
  client: ClientReport,
  paint: (colour: "red" | "green" | "yellow" | "bold" | "dim", text: string) => string = (_, t) =>
    t,
): string {
  const report = client.report;
  if (!report) return "";
  if (report.changes.length === 0)
    return `API of ${client.out}: no changes to operations or types (suggested bump: patch)\n`;
  const lines = [
    `API changes in ${client.out}: ${counts(report)} → suggested bump: ${paint("bold", report.bump)}`,
  ];
  for (const change of report.changes) {
    const tag = change.breaking ? paint("red", "breaking") : paint("green", "ok      ");
    lines.push(`  ${tag}  ${plain(subjectOf(change))}: ${plain(change.message)}`);
  }
  return lines.join("\n") + "\n";
}

/** The report file, `.md`: for a pull request description. */
export function renderMarkdown(clients: readonly ClientReport[]): string {
  const lines = ["# API changes", ""];
  const several = clients.length > 1;
  if (several) {
    const breaking = countBreaking(clients);
    lines.push(
      `Suggested version bump: **${overallBump(clients)}** (${breaking} breaking change${breaking === 1 ? "" : "s"} in ${clients.length} clients).`,
      "",
    );
  }
  for (const client of clients) {
    if (several) lines.push(`## \`${client.out}\``, "");
    const from = `\`${client.spec}\` → \`${client.out}\``;
    const report = client.report;
    if (client.status === "first") {
      lines.push(`${from}: first generation, no previous output to compare with.`, "");
      continue;
    }
    if (!report || report.changes.length === 0) {
      lines.push(
        `${from}: no changes to operations or types. Suggested version bump: **patch**.`,
        "",
      );
      continue;
    }
    lines.push(`${from}: ${counts(report)}. Suggested version bump: **${report.bump}**.`, "");
    for (const [title, breakingGroup] of [
      ["Breaking", true],
      ["Not breaking", false],
    ] as const) {
      const group = report.changes.filter((c) => c.breaking === breakingGroup);
      if (group.length === 0) continue;
      lines.push(`${several ? "###" : "##"} ${title}`, "");
      for (const change of group) lines.push(`- ${markdownLine(change)}`);
      lines.push("");
    }
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}

/** The report file, `.json`: `{ bump, breaking, clients: [{ spec, out, status, bump, breaking, nonBreaking, changes }] }`. */
export function renderJson(clients: readonly ClientReport[]): string {
  const value = {
    bump: overallBump(clients),
    breaking: countBreaking(clients),
    clients: clients.map((client) => ({
      spec: client.spec,
      out: client.out,
      status: client.status,
      bump: client.report?.bump ?? "patch",
      breaking: client.report?.breaking ?? 0,
      nonBreaking: client.report?.nonBreaking ?? 0,
      changes: client.report?.changes ?? [],
    })),
  };
  return JSON.stringify(value, null, 2) + "\n";
}

function markdownLine(change: Change): string {
  if (change.endpoint !== undefined)
    return `\`${change.operations[0]}\` (\`${change.endpoint}\`): ${change.message}`;
  const used = change.operations.map((o) => `\`${o}\``).join(", ");
  if (change.subject !== undefined && !change.subject.startsWith(change.operations[0] + " "))
    return `${change.message} — in ${used}`;
  return `\`${change.operations[0]}\`, ${change.message}`;
}

function subjectOf(change: Change): string {
  if (change.endpoint !== undefined) return `${change.operations[0]} (${change.endpoint})`;
  if (change.subject !== undefined && change.subject.startsWith(change.operations[0] + " "))
    return change.operations[0]!;
  return change.operations.join(", ");
}

function counts(report: ChangeReport): string {
  return `${report.breaking} breaking, ${report.nonBreaking} not breaking`;
}

/** Markdown code spans read fine in a terminal without their backticks. */
function plain(text: string): string {
  return text.replace(/`/g, "");
}
