import { createHash } from "node:crypto";
import type { Problem } from "../articles/problems.ts";

/**
 * Article problems where authors review: on the line of a pull request (GitHub Actions' workflow commands) or of a
 * merge request (GitLab's Code Quality report). Both hosts show them beside the diff, so a journalist editing through
 * the web sees the fault on the article's line without opening a CI log.
 */
export type Severity = "error" | "warning";

/** The CI service a process runs on, from the variables each sets in every job. */
export function ciService(env: NodeJS.ProcessEnv = process.env): "github" | "gitlab" | undefined {
  if (env.GITHUB_ACTIONS === "true") return "github";
  if (env.GITLAB_CI === "true") return "gitlab";
  return undefined;
}

/** The message text of a workflow command: `%`, carriage returns and line feeds escaped, as the runner unescapes. */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A property's value: the message's escapes, and `:` and `,`, which would end it. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** What a problem says, with its field first and its fix last, in one text. */
function description(problem: Problem): string {
  const field = problem.field === undefined ? "" : `[${problem.field}] `;
  const fix = problem.fix === undefined ? "" : `\nfix: ${problem.fix}`;
  return `${field}${problem.message}${fix}`;
}

/**
 * One problem as a GitHub Actions workflow command (`::error file=…,line=…,title=…::message`): the pull request
 * shows it on the article's line.
 */
export function workflowCommand(severity: Severity, problem: Problem): string {
  const properties = [
    `file=${escapeProperty(problem.file)}`,
    ...(problem.line === undefined ? [] : [`line=${problem.line}`]),
    `title=${escapeProperty(`midad: ${problem.field ?? (severity === "error" ? "article problem" : "article warning")}`)}`,
  ];
  return `::${severity} ${properties.join(",")}::${escapeData(description(problem))}`;
}

/** An issue of GitLab's Code Quality report, the fields its merge request widget reads. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  location: { path: string; lines: { begin: number } };
}

/**
 * The problems and warnings as a GitLab Code Quality report. A fingerprint is a digest of the file, field and message
 * (and which of identical ones it is), not of the line: an issue keeps its fingerprint while lines above it change,
 * so GitLab does not show it as fixed and found again.
 */
export function codeQualityReport(problems: readonly Problem[], warnings: readonly Problem[]): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  const issue = (severity: Severity) => (problem: Problem) => {
    const identity = [problem.file, problem.field ?? "", problem.message].join("\0");
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    return {
      description: description(problem),
      check_name: `midad/${problem.field ?? "article"}`,
      fingerprint: createHash("sha256").update(`${identity}\0${occurrence}`).digest("hex"),
      severity: severity === "error" ? "major" : "minor",
      location: { path: problem.file, lines: { begin: problem.line ?? 1 } },
    } satisfies CodeQualityIssue;
  };
  return [...problems.map(issue("error")), ...warnings.map(issue("warning"))];
}

/** Each problem, then each warning, as a workflow command, one a line. */
export function workflowCommands(problems: readonly Problem[], warnings: readonly Problem[]): string[] {
  return [
    ...problems.map((problem) => workflowCommand("error", problem)),
    ...warnings.map((warning) => workflowCommand("warning", warning)),
  ];
}
