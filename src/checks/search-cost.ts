import type { Page } from "playwright-core";

/**
 * What a search may download, compressed, on a slow link: the first query of a visit (the search
 * page, its script, Pagefind's script and WebAssembly, the index chunks and the results'
 * fragments), and each query after it (chunks and fragments it did not have). Measured in
 * docs/performance.md on the sample site and on a generated 4,000-article one.
 */
export const searchBudget = { firstQuery: 200 * 1024, nextQuery: 80 * 1024 };

export interface SearchCost {
  /** Bytes the search page and the first query downloaded, as sent (compressed). */
  first: number;
  /** Bytes the second query added. */
  second: number;
  /** The URLs each query listed first. */
  results: [string[], string[]];
}

/** Waits until the search page has listed the results of the query it was given (or said there are none). */
export async function searchSettled(page: Page): Promise<string[]> {
  await page.waitForFunction(() => {
    const status = document.querySelector(".search-status")?.textContent ?? "";
    return status !== "" && !document.querySelector(".search-results")?.hasAttribute("aria-busy");
  });
  return page.locator(".search-result a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
}

/**
 * Opens the search page at `origin` with one query, then types another, counting the bytes every
 * response carried as sent over the wire.
 */
export async function searchCost(page: Page, origin: string, queries: [string, string]): Promise<SearchCost> {
  const sizes: Promise<number>[] = [];
  page.on("requestfinished", (request) =>
    sizes.push(request.sizes().then((size) => size.responseBodySize + size.responseHeadersSize)),
  );
  const total = async () => (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
  await page.goto(`${origin}/search/?q=${encodeURIComponent(queries[0])}`);
  const firstResults = await searchSettled(page);
  await page.waitForLoadState("networkidle");
  const first = await total();
  await page.fill("#search-query", queries[1]);
  // The form's submit handler marks the results busy before the key press returns.
  await page.press("#search-query", "Enter");
  const secondResults = await searchSettled(page);
  await page.waitForLoadState("networkidle");
  return { first, second: (await total()) - first, results: [firstResults, secondResults] };
}
