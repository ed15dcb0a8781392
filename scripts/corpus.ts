/**
 * A deterministic corpus of Arabic news articles in the article format, for the benchmarks and the
 * scale tests. Text is drawn from the project's own sample articles (`articles/`) and photos from the
 * photos beside them, so a clone needs nothing else; the same options always give the same files.
 *
 *   npm run corpus -- --count 4000 --out /tmp/corpus [--images 0.3] [--seed 1]
 *
 * Writes OUT/YYYY/MM/article-NNNNNN.md (and a lead photo beside some), dated over 2021 to 2024, with
 * categories, authors, tags, stories, a quote, a section heading and sometimes a `::: timeline`.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { readOptions, stop } from "./command-line.ts";

export interface CorpusOptions {
  /** Articles to write. */
  count: number;
  /** Folder to write them into; created when missing. */
  out: string;
  /** Share of articles, 0 to 1, with a lead photo. Default 0: text only. */
  images?: number;
  /** Seed of the generator: another seed gives another corpus of the same shape. Default 1. */
  seed?: number;
  /** Folder of sample articles the text and photos come from. Default: the project's `articles/`. */
  samples?: string;
}

const subjects = [
  "منظمة معاهدة الأمن الجماعي",
  "قوات حفظ السلام",
  "الحكومة الأرمنية",
  "وزارة الخارجية",
  "مجلس الأمن الجماعي",
  "البرلمان",
  "الرئيس قاسم جومارت توكايف",
  "رئيس الوزراء نيكول باشينيان",
  "خبير عسكري",
  "وزارة الداخلية",
  "CSTO",
  "الأمم المتحدة",
];
const verbs = ["يناقش", "يعلن", "يتطرق إلى", "يرحب بـ", "يحذر من", "يبحث", "ينتقد", "يدعم"];
const objects = [
  "الوضع في كازاخستان",
  "إرسال 100 جندي",
  "أسعار الغاز المسال",
  "حالة الطوارئ",
  "المكانة الدولية للمنظمة",
  "الاحتجاجات في ألما آتا",
  "التعاون الإقليمي",
  "اتفاقية 15 أيار مايو 1992",
];
const categorySets = [
  ["Top", "تحليلات", "سياسة"],
  ["سياسة"],
  ["تحليلات"],
  ["politics"],
  ["analysis", "politics"],
  ["top", "politics"],
  ["Top"],
  ["سياسة", "تحليلات"],
];
const authors = ["أرمنبريس", "قسم التحليلات", "مراسل يريفان", "هيئة التحرير"];
const tagsPool = ["كازاخستان", "أرمينيا", "روسيا", "منظمة معاهدة الأمن الجماعي", "حفظ السلام", "الأمن الإقليمي"];
const stories = ["kazakhstan-unrest-2022", "csto-presidency", "regional-security"];

/** Paragraphs long enough to read as prose, and the photos, of the sample articles. */
async function samplesOf(folder: string): Promise<{ paragraphs: string[]; photos: string[] }> {
  const names = (await readdir(folder, { recursive: true })).map(String).sort();
  const paragraphs: string[] = [];
  for (const name of names.filter((file) => file.endsWith(".md"))) {
    const body = (await readFile(path.join(folder, name), "utf8")).split(/^---$/m).slice(2).join("---");
    paragraphs.push(
      ...body
        .split(/\n+/)
        .map((line) => line.trim())
        .filter((line) => line.length > 120 && !/^[#>:|-]/.test(line) && !line.includes("](")),
    );
  }
  if (paragraphs.length === 0) throw new Error(`no paragraphs of prose in the sample articles of ${folder}`);
  return {
    paragraphs,
    photos: names.filter((file) => /\.(png|jpe?g)$/i.test(file)).map((file) => path.join(folder, file)),
  };
}

/** A small deterministic generator of numbers in [0, 1): the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");
// JSON strings are valid YAML scalars, whatever the text holds.
const yaml = (text: string) => JSON.stringify(text);

/** Writes the corpus and returns the paths of its articles. */
export async function generateCorpus(options: CorpusOptions): Promise<string[]> {
  const { paragraphs, photos } = await samplesOf(options.samples ?? path.resolve(import.meta.dirname, "../articles"));
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const written: string[] = [];
  const folders = new Set<string>();
  for (let index = 0; index < options.count; index++) {
    const when = new Date(Date.UTC(2021, 0, 1) + Math.floor(random() * 4 * 365 * 86_400_000));
    const [year, month, day] = [when.getUTCFullYear(), pad(when.getUTCMonth() + 1), pad(when.getUTCDate())];
    const slug = `article-${String(index).padStart(6, "0")}`;
    const dir = path.join(options.out, String(year), month);
    if (!folders.has(dir)) await mkdir(dir, { recursive: true });
    folders.add(dir);

    const title = `${pick(subjects)} ${pick(verbs)} ${pick(objects)}`;
    const body: string[] = [];
    const paragraphCount = 4 + Math.floor(random() * 9);
    for (let p = 0; p < paragraphCount; p++) {
      if (p === 2) body.push(`## ${pick(objects)}`);
      if (p === 3 && random() < 0.5) body.push(`> ${pick(paragraphs).slice(0, 160)}`);
      body.push(pick(paragraphs));
    }
    if (random() < 0.3) {
      const events: string[] = [];
      let time = when.getTime() - 10 * 86_400_000;
      for (let e = 0; e < 3 + Math.floor(random() * 4); e++) {
        time += Math.floor(random() * 2 * 86_400_000);
        const at = new Date(time);
        const stamp =
          `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}` +
          (random() < 0.4 ? `T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}` : "");
        events.push(`- ${stamp}: ${pick(paragraphs).slice(0, 140)}`);
      }
      body.splice(Math.min(body.length, 3), 0, ["::: timeline أبرز المحطات", ...events, ":::"].join("\n"));
    }

    const fields = [
      `title: ${yaml(title)}`,
      `date: ${year}-${month}-${day}T${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())}:00+04:00`,
      `categories: [${pick(categorySets).map(yaml).join(", ")}]`,
      `author: ${yaml(pick(authors))}`,
      `summary: ${yaml(pick(paragraphs).slice(0, 180))}`,
      `tags: [${[...new Set([pick(tagsPool), pick(tagsPool)])].map(yaml).join(", ")}]`,
    ];
    if (random() < 0.25) fields.push(`story: ${pick(stories)}`);
    if (photos.length > 0 && random() < (options.images ?? 0)) {
      const photo = pick(photos);
      const file = `${slug}${path.extname(photo)}`;
      await copyFile(photo, path.join(dir, file));
      fields.push(
        "image:",
        `  src: ./${file}`,
        `  alt: ${yaml(`صورة توضيحية: ${title}`)}`,
        `  caption: ${yaml(pick(objects))}`,
        `  credit: ${yaml(pick(authors))}`,
      );
    }
    const file = path.join(dir, `${slug}.md`);
    await writeFile(file, `---\n${fields.join("\n")}\n---\n\n${body.join("\n\n")}\n`);
    written.push(file);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const values = readOptions("corpus", {
    count: { type: "string", default: "1000" },
    out: { type: "string", default: "corpus" },
    images: { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  });
  const count = Number(values.count);
  const images = Number(values.images);
  if (!Number.isInteger(count) || count < 1) stop(`--count must be a positive integer, got "${values.count}"`);
  if (!(images >= 0 && images <= 1)) stop(`--images must be a share from 0 to 1, got "${values.images}"`);
  await generateCorpus({ count, out: values.out, images, seed: Number(values.seed) });
  console.log(`wrote ${count} articles to ${values.out}`);
}
