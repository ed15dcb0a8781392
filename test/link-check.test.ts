import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import site from "../site.config.ts";
import { checkLinks, formatLinkProblems } from "../src/checks/link-check.ts";
import { removeDir, repoRoot, writeSite } from "./helpers/build.ts";

const origin = "https://example.org";

const Links = suite<{ output: string }>("no broken internal links");

Links.before(async (context) => {
  context.output = await mkdtemp(path.join(tmpdir(), "midad-links-"));
  await writeSite(path.join(repoRoot, "articles"), context.output, { site });
});
Links.after(async ({ output }) => removeDir(output));

Links("every href, src and srcset of the sample site leads to a file of the build", async ({ output }) => {
  const result = await checkLinks({ dir: output, pathPrefix: "/", origin });
  assert.equal(result.problems, [], formatLinkProblems(result.problems, output));
  assert.ok(result.pages >= 25, `${result.pages} pages`);
  assert.ok(result.links >= 500, `${result.links} links`);
});

Links(
  "planted broken links are each found: missing page, missing srcset image, folder without slash, own absolute URL, fragment; other sites are not followed",
  async ({ output }) => {
    mkdirSync(path.join(output, "planted"));
    writeFileSync(
      path.join(output, "planted/index.html"),
      `<!doctype html><html><body id="body">
<a href="/no-such-page/">missing</a>
<img src="/index.html" srcset="/img/missing-320.jpeg 320w, /index.html 640w" alt="">
<a href="/politics">folder</a>
<a href="${origin}/gone/">absolute</a>
<a href="#nowhere">fragment</a> <a href="/#main">fine fragment</a> <a href="#body">own fragment</a>
<a href="https://other.example/x/">elsewhere</a> <a href="mailto:desk@example.org">mail</a>
</body></html>`,
    );
    try {
      const { problems } = await checkLinks({ dir: output, pathPrefix: "/", origin });
      assert.equal(
        problems.map((p) => [p.page, p.attribute, p.url]),
        [
          ["planted/index.html", "<a href>", "/no-such-page/"],
          ["planted/index.html", "<img srcset>", "/img/missing-320.jpeg"],
          ["planted/index.html", "<a href>", "/politics"],
          ["planted/index.html", "<a href>", `${origin}/gone/`],
          ["planted/index.html", "<a href>", "#nowhere"],
        ],
      );
      assert.match(problems[0]!.reason, "no file no-such-page/index.html in the build");
      assert.match(problems[2]!.reason, "without its trailing slash");
      assert.match(problems[4]!.reason, 'no element with id "nowhere"');

      const script = (dir: string) =>
        spawnSync(process.execPath, ["--import", "tsx", "scripts/check-links.ts", "--dir", dir], {
          cwd: repoRoot,
          encoding: "utf8",
          timeout: 60_000,
        });
      const failing = script(output);
      assert.is(failing.status, 1, "npm run check:links fails on a broken link");
      assert.match(failing.stderr, "5 broken internal link(s)");
      assert.match(failing.stderr, `${path.join(output, "planted/index.html")}: <a href> "/no-such-page/"`);
      rmSync(path.join(output, "planted"), { recursive: true });
      const passing = script(output);
      assert.is(passing.status, 0, passing.stderr);
      assert.match(passing.stdout, /\d+ internal links in \d+ pages all resolve/);
    } finally {
      rmSync(path.join(output, "planted"), { recursive: true, force: true });
    }
  },
);

Links("a link outside the path prefix is reported", async ({ output }) => {
  const { problems } = await checkLinks({ dir: output, pathPrefix: "/news/", origin });
  assert.ok(problems.length > 100, "built without the prefix, every internal link is outside it");
  assert.ok(problems.every((p) => p.reason.includes("outside the path prefix /news/")));
});

Links.run();

const Corpus = suite("no broken internal links in a generated corpus");

Corpus("200 generated articles build into a site whose every internal link resolves", async () => {
  const work = await mkdtemp(path.join(tmpdir(), "midad-corpus-"));
  try {
    await generateCorpus({ count: 200, out: path.join(work, "corpus") });
    await writeSite(path.join(work, "corpus"), path.join(work, "site"), { site });
    const result = await checkLinks({ dir: path.join(work, "site"), pathPrefix: "/", origin });
    assert.equal(result.problems, [], formatLinkProblems(result.problems, "site"));
    assert.ok(result.pages > 200, `${result.pages} pages`);
  } finally {
    await removeDir(work);
  }
});

Corpus.run();
