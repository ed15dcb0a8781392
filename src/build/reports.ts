import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatProblem, type Problem, problemsHeading } from "../articles/problems.ts";
import type { Site } from "../site/site.ts";

/** A list that grows with the archive: scheduled articles, warnings, articles left out for their problems. */
export interface LongList {
  /** Names its file in the reports folder: `scheduled` is `scheduled.txt`. */
  name: string;
  /** The first line: `2,233 scheduled articles wait for a build after their date`. */
  heading: string;
  /** One entry each, possibly of several lines. */
  entries: string[];
}

/** Where whole lists go, relative to the project root, and how many entries the terminal shows. */
export const listDefaults = { reportsDir: ".cache/reports", shown: 10 };

export interface ListOptions {
  /** Where whole lists are written, absolute. */
  dir: string;
  /** Against which the file is named in the message. */
  root: string;
  /** How many entries the terminal shows. */
  shown: number;
}

/**
 * The terminal's text for a list: the heading and every entry or, past `shown`, the first ones, how
 * many more, and the file that holds the whole list (written now; removed when a build's list is
 * short again, so the file a message names is always this build's).
 */
export function reportList(list: LongList, options: ListOptions): string {
  const file = path.join(options.dir, `${list.name}.txt`);
  const indented = list.entries.map((entry) => `  ${entry}`);
  if (list.entries.length <= options.shown) {
    rmSync(file, { force: true });
    return [`${list.heading}:`, ...indented].join("\n");
  }
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(file, `${[`${list.heading}:`, ...indented].join("\n")}\n`);
  const more = list.entries.length - options.shown;
  return [
    `${list.heading}:`,
    ...indented.slice(0, options.shown),
    `  … and ${more.toLocaleString("en")} more, all listed in ${path.relative(options.root, file)}`,
  ].join("\n");
}

/** The lists a build reports once its articles are read, each possibly long. */
export function siteLists(site: Pick<Site, "problems" | "warnings" | "scheduled">): LongList[] {
  const { problems, warnings, scheduled } = site;
  return [
    problemList("left-out", problems, "problem", "these articles are left out until fixed"),
    warningList(warnings),
    {
      name: "scheduled",
      heading:
        scheduled.length === 1
          ? "1 scheduled article waits for a build after its date"
          : `${scheduled.length.toLocaleString("en")} scheduled articles wait for a build after their date`,
      entries: scheduled.map((article) => `${article.file}: ${article.date.iso}`),
    },
  ];
}

export function warningList(warnings: readonly Problem[]): LongList {
  return problemList("warnings", warnings, "warning", "published anyway");
}

function problemList(
  name: string,
  problems: readonly Problem[],
  kind: "problem" | "warning",
  outcome: string,
): LongList {
  return { name, heading: problemsHeading(problems.length, kind, outcome), entries: problems.map(formatProblem) };
}
