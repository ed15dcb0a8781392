import { FixableError } from "../build/failure.ts";

/** One thing wrong with one article, located as precisely as we can. */
export interface Problem {
  /** Path of the article, relative to the project root. */
  file: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** Front matter field (`date`, `image.alt`) or syntax element (`timeline`). */
  field?: string;
  /** What is wrong, naming the bad value and what is accepted. */
  message: string;
  /** How to fix it. */
  fix?: string;
}

/** What every validator returns: the value when it is valid, and every problem found (none when valid). */
export interface Checked<T> {
  value?: T;
  problems: Problem[];
}

export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const field = problem.field === undefined ? "" : ` [${problem.field}]`;
  const fix = problem.fix === undefined ? "" : `\n    fix: ${problem.fix}`;
  return `${where}${field}: ${problem.message}${fix}`;
}

/** `2 problems in articles; nothing was published`, with thousands separated as the rest of the terminal's figures. */
export function problemsHeading(count: number, kind: "problem" | "warning", outcome: string): string {
  return `${count.toLocaleString("en")} ${kind}${count === 1 ? "" : "s"} in articles; ${outcome}`;
}

/** A complete list for the terminal: the heading, then one located problem (or warning) an entry. */
export function formatProblems(problems: readonly Problem[], kind: "problem" | "warning", outcome: string): string {
  return `${problemsHeading(problems.length, kind, outcome)}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`;
}

/** Thrown when articles are invalid: carries every problem of the build, not just the first. */
export class ArticleProblemsError extends FixableError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems, "problem", "nothing was published"));
    this.name = "ArticleProblemsError";
    this.problems = problems;
  }
}
