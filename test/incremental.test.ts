import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import { suite } from "uvu";
import { midad } from "../.eleventy.ts";
import { generateCorpus, seededRandom } from "../scripts/corpus.ts";
import { createStaging, publish, recycledPath } from "../src/build/staging.ts";
import type { SiteConfig } from "../src/site/config.ts";
import { searchIndexFolder } from "../src/site/urls.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { assertSameTree, removeDir, repoRoot, snapshot, testImageCache } from "./helpers/build.ts";

/** One build's inputs besides the articles: what a newsroom changes between builds. */
interface Inputs {
  site: DeepPartial<SiteConfig>;
  buildTime: Date;
}

/**
 * Builds `articles` as `npm run build` does, into a staging folder published over `output` (so
 * starting from the folders of the site it replaces), with the caches of `project` (`.cache/` under
 * it) and its own copy of the stylesheet. A build of a project whose caches are empty, with no
 * output or recycled folders yet, is a clean build.
 */
async function build(project: string, articles: string, output: string, inputs: Inputs): Promise<void> {
  const { dir: staging, kept } = await createStaging(output);
  let pageFiles: string[] = [];
  const eleventy = new Eleventy("templates", staging, {
    quietMode: true,
    config: midad({
      articlesDir: articles,
      root: project,
      site: inputs.site,
      images: { cacheDir: testImageCache },
      buildTime: () => inputs.buildTime,
      pages: {
        stylesheet: path.join(project, "site.css"),
        logo: path.join(repoRoot, "templates/assets/logo.png"),
        workers: 2,
        kept,
        onPagesWritten: ({ files }) => {
          pageFiles = files;
        },
      },
      report: () => undefined,
    }),
  });
  await eleventy.write();
  await publish(staging, output, { pageFiles, keptFolders: [searchIndexFolder] });
}

const Exact = suite<{ work: string }>("incremental builds are exact: the same bytes as a clean build");

Exact.before.each(async (context) => {
  context.work = await mkdtemp(path.join(tmpdir(), "midad-incremental-"));
});
Exact.after.each(async ({ work }) => removeDir(work));

Exact(
  "after random edits, additions, deletions, renames, a stylesheet, a config and a build-time change, every file equals a clean build's",
  async ({ work }) => {
    const seed = Number(process.env.MIDAD_TEST_SEED ?? Date.now() % 1_000_000);
    const next = seededRandom(seed);
    const articles = path.join(work, "articles");
    const files = await generateCorpus({ count: 40, out: articles, seed });
    const pick = () => files[Math.floor(next() * files.length)]!;
    const project = path.join(work, "incremental");
    mkdirSync(project);
    copyFileSync(path.join(repoRoot, "templates/styles/site.css"), path.join(project, "site.css"));
    const inputs: Inputs = { site: { pageSize: 4 }, buildTime: new Date("2024-06-01T00:00:00Z") };
    let added = 0;
    const changes: Record<string, () => string> = {
      edit: () => {
        const file = pick();
        writeFileSync(
          file,
          readFileSync(file, "utf8")
            .replace(/^title: "/m, 'title: "معدل: ')
            .replace(/\n\n([^\n]+)\n/, "\n\nفقرة جديدة في المتن.\n\n$1\n"),
        );
        return `edited ${path.basename(file)}`;
      },
      add: () => {
        const source = pick();
        const file = path.join(path.dirname(source), `added-${++added}.md`);
        writeFileSync(
          file,
          readFileSync(source, "utf8").replace(/^date: \d{4}-\d{2}-\d{2}T/m, (date) =>
            date.replace(/-\d{2}T$/, "-28T"),
          ),
        );
        files.push(file);
        return `added ${path.basename(file)}`;
      },
      delete: () => {
        const file = pick();
        rmSync(file);
        files.splice(files.indexOf(file), 1);
        return `deleted ${path.basename(file)}`;
      },
      rename: () => {
        const file = pick();
        const renamed = file.replace(/\.md$/, "-renamed.md");
        renameSync(file, renamed);
        files[files.indexOf(file)] = renamed;
        return `renamed ${path.basename(file)}`;
      },
      stylesheet: () => {
        writeFileSync(
          path.join(project, "site.css"),
          `${readFileSync(path.join(project, "site.css"), "utf8")}\n.note-${added} { color: #333; }\n`,
        );
        return "changed the stylesheet";
      },
      config: () => {
        inputs.site = {
          pageSize: inputs.site.pageSize === 4 ? 5 : 4,
          name: inputs.site.pageSize === 4 ? "مداد اليوم" : "مداد",
        };
        return `set pageSize ${inputs.site.pageSize}`;
      },
      time: () => {
        inputs.buildTime = new Date(inputs.buildTime.getTime() + 120 * 86_400_000);
        return `moved the build time to ${inputs.buildTime.toISOString()}`;
      },
    };
    const done: string[] = [];
    await build(project, articles, path.join(work, "site"), inputs);
    // Every kind of change once, in a random order, with random edits between them.
    const order = Object.keys(changes)
      .sort(() => next() - 0.5)
      .flatMap((kind) => [kind, ...(next() < 0.5 ? ["edit"] : [])]);
    for (const kind of order) {
      done.push(changes[kind]!());
      await build(project, articles, path.join(work, "site"), inputs);
      const clean = path.join(work, `clean-${done.length}`);
      mkdirSync(clean);
      copyFileSync(path.join(project, "site.css"), path.join(clean, "site.css"));
      rmSync(path.join(work, "clean-site"), { recursive: true, force: true });
      rmSync(recycledPath(path.join(work, "clean-site")), { recursive: true, force: true });
      await build(clean, articles, path.join(work, "clean-site"), inputs);
      assertSameTree(
        snapshot(path.join(work, "site")),
        snapshot(path.join(work, "clean-site")),
        `seed ${seed} (MIDAD_TEST_SEED=${seed} replays it), after: ${done.join(", ")}`,
      );
      rmSync(clean, { recursive: true, force: true });
    }
  },
);

Exact.run();
