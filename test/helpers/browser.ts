import axe from "axe-core";
import type { Page } from "playwright-core";

/**
 * axe-core's violations on the page, one line each. It is evaluated through the DevTools protocol,
 * which the page's Content-Security-Policy (no scripts at all) does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}; ${violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`).join(" | ")}`,
  );
}

/**
 * What went wrong while a page loaded: failed requests, error statuses other than the one expected, console errors,
 * font downloads.
 */
export function watchLoad(page: Page, expectedErrorUrl?: string): string[] {
  const problems: string[] = [];
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400 && response.url() !== expectedErrorUrl)
      problems.push(`status ${response.status()}: ${response.url()}`);
  });
  page.on("request", (request) => {
    if (request.resourceType() === "font") problems.push(`font downloaded: ${request.url()}`);
  });
  page.on("console", (message) => {
    // Chromium reports the 404 page's own status as a console error; anything else (a refused stylesheet, say) is a
    // problem.
    if (message.type() === "error" && message.location().url !== expectedErrorUrl)
      problems.push(`console: ${message.text()}`);
  });
  return problems;
}
