import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import slugify from "@sindresorhus/slugify";
import { DateTime } from "luxon";
import { stringify } from "yaml";
import site from "../site.config.ts";
import { describeCategories, findCategory, resolveSiteConfig, slugPattern } from "../src/site/config.ts";
import { readOptions } from "./command-line.ts";

/**
 * `npm run new -- --title "..." --category politics [--story KEY] [--articles DIR]`: creates a
 * correctly named article with valid front matter, dated now in the newsroom's time zone, and
 * prints its path.
 */
const values = readOptions("new", {
  title: { type: "string" },
  category: { type: "string" },
  story: { type: "string" },
  articles: { type: "string", default: "articles" },
});
const config = resolveSiteConfig(site);
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const title =
  values.title?.normalize("NFC").trim() ||
  fail('give the headline: npm run new -- --title "العنوان" --category politics');
const category =
  findCategory(config, values.category ?? "") ??
  fail(`unknown or missing --category "${values.category ?? ""}"; use one of: ${describeCategories(config)}`);
if (values.story !== undefined && !slugPattern.test(values.story)) {
  fail(`--story "${values.story}" must be lowercase Latin letters, digits and hyphens, e.g. kazakhstan-unrest-2022`);
}

const now = DateTime.now().setZone(config.timeZone);
// Transliteration drops invisible characters; a title with no letters at all still gets a readable name.
const slug = slugify(title).slice(0, 80).replace(/-+$/, "") || `article-${now.toFormat("yyyyMMdd-HHmm")}`;
const folder = path.resolve(values.articles, now.toFormat("yyyy"), now.toFormat("MM"));
let file = path.join(folder, `${slug}.md`);
for (let n = 2; existsSync(file); n++) file = path.join(folder, `${slug}-${n}.md`);

const frontMatter = stringify(
  {
    title,
    date: now.toFormat("yyyy-MM-dd'T'HH:mm"),
    categories: [category.label],
    summary: "",
    author: "",
    ...(values.story && { story: values.story }),
    draft: true,
  },
  { lineWidth: 0 },
);
await mkdir(folder, { recursive: true });
await writeFile(file, `---\n${frontMatter}---\n\nاكتب نص المقال هنا.\n`, { flag: "wx" });
console.log(path.relative(process.cwd(), file));
