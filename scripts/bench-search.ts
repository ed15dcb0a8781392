import { statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { defaults as precompressDefaults } from "../plugins/precompress.ts";
import { defaults as searchDefaults } from "../plugins/search.ts";
import { launchChromium } from "../src/checks/chromium.ts";
import { treeRssKiB } from "../src/checks/memory.ts";
import { searchBudget, searchCost } from "../src/checks/search-cost.ts";
import { serveSite } from "../src/checks/static-server.ts";
import { writeSearchIndex } from "../src/publish/search-index.ts";
import { filesUnder } from "../src/util/walk.ts";
import { BenchError, readBenchOptions, runBench, table, workFolder } from "./bench-kit.ts";

const usage =
  'usage: npm run bench:search -- --site DIR [--queries "أرمينيا,قمة"]   (DIR: a site `npm run build` made, such as _site)';

/**
 * What search costs on a built site: Pagefind's indexing of its article pages, timed on its own
 * (into an empty cache, so it really runs), with the peak memory of the build and Pagefind's process;
 * the index's size; and, in Chromium, the bytes a first and a second query download, against
 * `searchBudget`.
 */
runBench("bench:search", async () => {
  const values = readBenchOptions({ site: { type: "string" }, queries: { type: "string" } }, usage);
  if (!values.site) throw new BenchError(usage);
  const site = path.resolve(values.site);
  const queries = (values.queries ?? "أرمينيا,قمة").split(",") as [string, string];
  if (queries.length !== 2) throw new BenchError(`--queries takes two queries, comma-separated\n${usage}`);
  // Newest first, as the build gives them, by the year and month of their URLs.
  const pages = filesUnder(site, (name) => name === "index.html")
    .filter((file) => /^\d{4}\/\d{2}\/[^/]+\/index\.html$/.test(file))
    .reverse()
    .map((file) => ({
      file,
      source: path.join(site, file),
      key: String(statSync(path.join(site, file)).ino),
      year: Number(file.slice(0, 4)),
    }));
  const work = await workFolder("midad-bench-search-");
  try {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssKiB())), 50);
    const started = performance.now();
    const { shards } = await writeSearchIndex(site, pages, {
      folder: "pagefind",
      language: searchDefaults.language,
      shardSize: searchDefaults.shardSize,
      cacheDir: path.join(work.dir, "search"),
      precompress: { ...precompressDefaults, cacheDir: path.join(work.dir, "precompress") },
      background: false,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const indexFiles = filesUnder(path.join(site, "pagefind")).filter((file) => !/\.(br|gz)$/.test(file));
    const indexBytes = indexFiles.reduce((sum, file) => sum + statSync(path.join(site, "pagefind", file)).size, 0);

    const server = await serveSite(site);
    const browser = await launchChromium();
    try {
      const cost = await searchCost(await browser.newPage(), server.origin, queries);
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      console.log(
        table([
          ["measure", "value"],
          ["article pages indexed", `${pages.length}, in ${shards} shards`],
          ["indexing (Pagefind, from the built pages)", `${seconds.toFixed(2)} s`],
          ["peak memory, all processes", `${Math.round(peak / 1024)} MiB`],
          ["index files / bytes", `${indexFiles.length} / ${kib(indexBytes)}`],
          [
            `first query "${queries[0]}" (page, scripts, index)`,
            `${kib(cost.first)} of ${kib(searchBudget.firstQuery)}`,
          ],
          [`second query "${queries[1]}"`, `${kib(cost.second)} of ${kib(searchBudget.nextQuery)}`],
          ["results", `${cost.results[0].length}, ${cost.results[1].length}`],
        ]),
      );
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    work.cleanUp();
  }
});
