import { DOMParser, type Document as XmlDocument, type Element as XmlElement } from "@xmldom/xmldom";
import sharp from "sharp";
import { defaults } from "../../src/site/config.ts";
import { article, buildOutputs, writeArticles } from "./build.ts";

/** The moment the publishing fixture is built for: 10 January 2022, 12:00 in Yerevan. */
export const buildTime = new Date("2022-01-10T08:00:00Z");

/** Site settings of the publishing tests: small feeds, and a fourth category with no articles yet. */
export const newsroomSite = {
  feedSize: 3,
  categories: [...defaults.categories, { key: "economy", label: "اقتصاد", slug: "economy" }],
};

/**
 * A newsroom around `buildTime`: a lead story with a photo, an update and a link; yesterday's
 * analysis without a summary; four older political stories; one dated after the build (scheduled);
 * a headline full of markup and a control character; and a draft.
 */
export async function newsroomArticles(): Promise<Record<string, string | Buffer>> {
  const files: Record<string, string | Buffer> = {
    "2022/01/photo.jpg": await sharp({ create: { width: 1600, height: 1000, channels: 3, background: "#345678" } })
      .jpeg()
      .toBuffer(),
    "2022/01/lead-story.md": article(
      {
        title: '"قوات حفظ السلام تغادر ألما آتا"',
        date: "2022-01-10T09:00",
        updated: "2022-01-10T11:30",
        categories: "[Top, سياسة]",
        summary: '"ملخص الخبر الرئيسي"',
        author: '"سارة خليل"',
        tags: "[كازاخستان, CSTO]",
        image: '\n  src: ./photo.jpg\n  alt: "جنود على مدرج المطار"',
      },
      "فقرة فيها [رابط إلى القسم](/politics/) وآخر [إلى الأعلى](#top).",
    ),
    "2022/01/yesterday.md": article({ title: '"تحليل الأمس"', date: "2022-01-09T10:00", categories: "[تحليلات]" }),
    "2022/01/scheduled.md": article({
      title: '"خبر مجدول"',
      date: "2022-01-11T10:00",
      categories: "[سياسة]",
      summary: '"لم يحن موعده"',
    }),
    "2022/01/tricky.md": article({
      title: '"عنوان </script><!-- & \\a جرس"',
      date: "2022-01-08T10:00",
      categories: "[سياسة]",
      summary: '"نص <b>غامق</b>"',
    }),
    "2022/01/draft.md": article({ title: '"مسودة"', date: "2022-01-10T10:00", draft: "true" }),
  };
  for (let day = 1; day <= 4; day++) {
    files[`2022/01/old-${day}.md`] = article({
      title: `"خبر قديم ${day}"`,
      date: `2022-01-0${day}T10:00`,
      categories: "[سياسة]",
      summary: `"ملخص ${day}"`,
    });
  }
  return files;
}

/** Parses XML strictly: any well-formedness error (or warning) fails the test with the parser's message. */
/**
 * The newsroom articles, written to a folder of their own and built in memory with the newsroom's settings and build
 * time.
 */
export async function buildNewsroom(): Promise<{ dir: string; outputs: Map<string, string> }> {
  const dir = await writeArticles(await newsroomArticles());
  return { dir, outputs: await buildOutputs(dir, { site: newsroomSite, buildTime }) };
}

export function parseXml(text: string): XmlDocument {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(text, "text/xml");
}

/** The child elements of `parent` with this namespace and local name. */
export function childrenNamed(parent: XmlElement | XmlDocument, namespace: string, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const element = node as XmlElement;
    if (node.nodeType === 1 && element.namespaceURI === namespace && element.localName === name) found.push(element);
  }
  return found;
}

/** The text of the one child element so named; fails when there is not exactly one. */
export function childText(parent: XmlElement, namespace: string, name: string): string {
  const found = childrenNamed(parent, namespace, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${parent.localName}>, found ${found.length}`);
  return found[0]!.textContent ?? "";
}
