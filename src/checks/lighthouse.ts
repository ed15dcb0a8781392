import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { chromiumFlags, chromiumPath, requireChromium } from "./chromium.ts";

/** The figures of one Lighthouse run that the README records. */
export interface LighthouseSummary {
  url: string;
  lighthouseVersion: string;
  /** Category scores, 0 to 100. */
  performance: number;
  accessibility: number;
  /** Largest Contentful Paint under the simulated mobile network and CPU, in ms. */
  lcpMs: number;
  cls: number;
  /** Every byte the page transferred. */
  totalBytes: number;
  /** Titles of the audits that did not pass in full, to say what to fix. */
  shortfalls: string[];
}

interface Audit {
  id: string;
  title: string;
  score: number | null;
  numericValue?: number;
}

interface Report {
  lighthouseVersion: string;
  finalDisplayedUrl: string;
  runtimeError?: { code: string; message: string };
  categories: Record<
    "performance" | "accessibility",
    { score: number | null; auditRefs: { id: string; weight: number }[] }
  >;
  audits: Record<string, Audit>;
}

/** Reads the figures from a Lighthouse JSON report. */
export function summariseReport(report: Report): LighthouseSummary {
  if (report.runtimeError)
    throw new Error(
      `Lighthouse could not measure the page: ${report.runtimeError.code} ${report.runtimeError.message}`,
    );
  const numeric = (id: string) => report.audits[id]?.numericValue ?? Number.NaN;
  const shortfalls = Object.values(report.categories)
    .flatMap((category) => category.auditRefs)
    .filter((ref) => ref.weight > 0)
    .map((ref) => report.audits[ref.id])
    .filter((audit): audit is Audit => audit !== undefined && audit.score !== null && audit.score < 1)
    .map((audit) => `${audit.title} (${audit.id}, score ${audit.score})`);
  return {
    url: report.finalDisplayedUrl,
    lighthouseVersion: report.lighthouseVersion,
    performance: Math.round((report.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((report.categories.accessibility.score ?? 0) * 100),
    lcpMs: numeric("largest-contentful-paint"),
    cls: numeric("cumulative-layout-shift"),
    totalBytes: numeric("total-byte-weight"),
    shortfalls,
  };
}

/**
 * Runs the pinned Lighthouse command line (12.2.3: 13 needs Node 22) on one URL with its defaults
 * for mobile: a Moto G Power sized screen, simulated slow 4G and a 4x slower CPU. Lighthouse starts
 * Debian's Chromium itself (through chrome-launcher, in a fresh temporary profile it removes after).
 */
export async function runLighthouse(url: string): Promise<LighthouseSummary> {
  requireChromium();
  const cli = createRequire(import.meta.url).resolve("lighthouse/cli/index.js");
  const args = [
    cli,
    url,
    "--only-categories=performance,accessibility",
    "--output=json",
    "--output-path=stdout",
    "--quiet",
    "--no-enable-error-reporting",
    `--chrome-flags=--headless=new ${chromiumFlags.join(" ")}`,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, CHROME_PATH: chromiumPath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`lighthouse exited with code ${code}:\n${stderr.trim()}`);
  return summariseReport(JSON.parse(stdout) as Report);
}
