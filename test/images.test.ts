import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ArticleProblemsError, type Problem } from "../src/articles/problems.ts";
import { createImagePipeline, defaultImageOptions, type ImageOptions } from "../src/images/pipeline.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { loadSite } from "../src/site/site.ts";
import { article, buildPages, page, removeDir, testImageCache, writeArticles, writeSite } from "./helpers/build.ts";

const config = resolveSiteConfig();
const gps = {
  IFD0: { Make: "NewsCam", Copyright: "Photographer" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "40/1 10/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "44/1 30/1 0/1" },
};
const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } });

async function photos() {
  const frame = (red: number) =>
    sharp({ create: { width: 60, height: 40, channels: 3, background: { r: red, g: 0, b: 0 } } })
      .png()
      .toBuffer();
  return {
    lead: await solid(2400, 1600, "#336699").withExif(gps).jpeg().toBuffer(),
    // Stored landscape, shown portrait: EXIF orientation 6 means "rotate 90°".
    turned: await solid(2000, 1000, "#996633").withExif(gps).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    transparent: await sharp({
      create: { width: 400, height: 300, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer(),
    animated: await sharp([await frame(255), await frame(0)], { join: { animated: true } })
      .gif()
      .toBuffer(),
    cmyk: await solid(400, 300, "#3366aa").toColourspace("cmyk").jpeg().toBuffer(),
  };
}

/** The cached file behind a published `/img/…` URL. */
const cached = (url: string) => path.join(testImageCache, path.basename(url));
const urlsIn = (element: Element | null | undefined) =>
  [
    element?.getAttribute("src"),
    ...(element?.getAttribute("srcset") ?? "").split(",").map((candidate) => candidate.trim().split(" ")[0]),
  ].filter((url): url is string => Boolean(url));
const widthsOf = (srcset: string | null | undefined) =>
  (srcset ?? "").split(", ").map((candidate) => Number(candidate.split(" ")[1]?.replace("w", "")));

const Markup = suite<{ dir: string; doc: Document }>("image markup and outputs");

Markup.before(async (context) => {
  const p = await photos();
  context.dir = await writeArticles({
    "a/lead.jpg": p.lead,
    "a/turned.jpg": p.turned,
    "a/clear.png": p.transparent,
    "a/moving.gif": p.animated,
    "a/print.jpg": p.cmyk,
    "a/story.md": article(
      { image: '\n  src: ./lead.jpg\n  alt: "لوحة زرقاء"\n  credit: "Reuters"' },
      [
        "![صورة مقلوبة](./turned.jpg)",
        "",
        "![شعار شفاف](./clear.png)",
        "",
        "![صورة متحركة](./moving.gif)",
        "",
        "![صورة للطباعة](./print.jpg)",
      ].join("\n"),
    ),
  });
  context.doc = page(await buildPages(context.dir), "/2022/01/story/");
});
Markup.after(async ({ dir }) => removeDir(dir));

Markup(
  "the lead image: AVIF and WebP sources, a JPEG fallback, every configured width, sizes, size, eager",
  ({ doc }) => {
    const picture = doc.querySelector(".lead-figure picture")!;
    const sources = [...picture.querySelectorAll("source")];
    assert.equal(
      sources.map((s) => s.getAttribute("type")),
      ["image/avif", "image/webp"],
    );
    const img = picture.querySelector("img")!;
    for (const element of [...sources, img]) {
      assert.equal(widthsOf(element.getAttribute("srcset")), defaultImageOptions.widths);
      assert.is(element.getAttribute("sizes"), defaultImageOptions.sizes);
    }
    assert.match(img.getAttribute("src") ?? "", /\.jpeg$/);
    assert.is(img.getAttribute("width"), "1600");
    assert.is(img.getAttribute("height"), "1066");
    assert.is(img.getAttribute("alt"), "لوحة زرقاء");
    assert.is(img.getAttribute("fetchpriority"), "high");
    assert.is(img.getAttribute("loading"), null);
    assert.is(img.getAttribute("decoding"), "async");
    assert.match(img.getAttribute("style") ?? "", /^background-color:#[0-9a-f]{6}$/);
    assert.is(doc.querySelector(".lead-figure .credit bdi")?.textContent, "Reuters");
  },
);

Markup(
  "body images are lazy; a turned photo is stored upright; transparency keeps PNG; GIFs keep their first frame",
  async ({ doc }) => {
    const images = [...doc.querySelectorAll(".article-body picture img")];
    assert.equal(
      images.map((img) => img.getAttribute("alt")),
      ["صورة مقلوبة", "شعار شفاف", "صورة متحركة", "صورة للطباعة"],
    );
    for (const img of images) {
      assert.is(img.getAttribute("loading"), "lazy");
      assert.is(img.getAttribute("fetchpriority"), null);
    }
    const [turned, clear, moving] = images;
    assert.is(turned!.getAttribute("width"), "960");
    assert.is(turned!.getAttribute("height"), "1920");
    const upright = await sharp(cached(turned!.getAttribute("src")!)).metadata();
    assert.ok(upright.height > upright.width, "pixels were rotated, not just tagged");
    assert.match(clear!.getAttribute("src") ?? "", /\.png$/);
    assert.equal(
      [...clear!.parentElement!.querySelectorAll("source")].map((s) => s.getAttribute("type")),
      ["image/avif", "image/webp"],
    );
    for (const url of urlsIn(moving)) {
      const frames = await sharp(cached(url), { animated: true }).metadata();
      assert.is(frames.pages ?? 1, 1, `${url} is a still image`);
    }
  },
);

Markup("no published image carries EXIF, GPS, XMP or IPTC; every one is sRGB", async ({ doc }) => {
  const urls = [...doc.querySelectorAll("picture source, picture img")].flatMap(urlsIn);
  assert.ok(urls.length >= 30, `expected every output, got ${urls.length}`);
  for (const url of new Set(urls)) {
    const meta = await sharp(cached(url)).metadata();
    assert.is(meta.exif, undefined, `${url} has EXIF`);
    assert.is(meta.xmp, undefined, `${url} has XMP`);
    assert.is(meta.iptc, undefined, `${url} has IPTC`);
    assert.ok(meta.orientation === undefined || meta.orientation === 1, `${url} keeps an orientation tag`);
    assert.ok(meta.space === "srgb" || meta.format === "heif", `${url} is ${meta.space}`);
  }
});

Markup.run();

const Problems = suite("bad images fail the build with article, photo and reason");

async function problemsFor(
  files: Record<string, string | Buffer>,
  images: Partial<ImageOptions> = {},
): Promise<Problem[]> {
  const dir = await writeArticles(files);
  const cacheDir = await mkdtemp(path.join(tmpdir(), "midad-image-cache-"));
  try {
    await loadSite({
      root: dir,
      articlesDir: dir,
      config,
      includeDrafts: false,
      images: createImagePipeline({ ...defaultImageOptions, cacheDir, ...images }),
    });
    return [];
  } catch (error) {
    if (error instanceof ArticleProblemsError) return [...error.problems];
    throw error;
  } finally {
    await removeDir(dir);
    await removeDir(cacheDir);
  }
}

const withLead = (src: string, alt = '"صورة"') => article({ image: `\n  src: ${src}\n  alt: ${alt}` });

async function expectProblem(files: Record<string, string | Buffer>, field: string, ...fragments: (string | RegExp)[]) {
  const problems = await problemsFor(files);
  assert.is(problems.length, 1, JSON.stringify(problems));
  const [problem] = problems;
  assert.is(problem!.file, "a.md");
  assert.is(problem!.field, field);
  for (const fragment of fragments) assert.match(problem!.message, fragment);
}

Problems("a truncated JPEG", async () => {
  const whole = await solid(800, 600, "#abcdef").jpeg().toBuffer();
  await expectProblem(
    { "a.md": withLead("./cut.jpg"), "cut.jpg": whole.subarray(0, whole.length / 2) },
    "image.src",
    "photo cut.jpg cannot be used",
  );
});

Problems("a file that is not an image", async () => {
  await expectProblem(
    { "a.md": withLead("./notes.jpg"), "notes.jpg": "just some text" },
    "image.src",
    "photo notes.jpg cannot be used",
  );
});

Problems("a missing file, a remote URL, a path out of the folder, a missing alt", async () => {
  await expectProblem({ "a.md": withLead("./gone.jpg") }, "image.src", "does not exist");
  await expectProblem({ "a.md": withLead("https://example.com/a.jpg") }, "image.src", "remote");
  await expectProblem({ "a.md": withLead("../outside.jpg") }, "image.src", "outside the article's folder");
  await expectProblem(
    { "a.md": article({ image: "\n  src: ./p.jpg" }), "p.jpg": await solid(10, 10, "#000").jpeg().toBuffer() },
    "image.alt",
    "required",
  );
});

Problems("a decompression bomb fails from its header, before any pixel is decoded", async () => {
  const started = performance.now();
  await expectProblem(
    { "a.md": withLead("./bomb.png"), "bomb.png": pngHeaderOnly(30_000, 30_000) },
    "image.src",
    "30000x30000 is 900.0 megapixels, over the limit of 60.0",
  );
  assert.ok(performance.now() - started < 5_000, "refused without decoding 900 megapixels");
  const small = await problemsFor(
    { "a.md": withLead("./p.jpg"), "p.jpg": await solid(2000, 1000, "#000").jpeg().toBuffer() },
    { maxPixels: 1_000_000 },
  );
  assert.match(small[0]?.message ?? "", "2000x1000 is 2.0 megapixels, over the limit of 1.0");
});

Problems("a decorative image may have an empty alt", async () => {
  assert.equal(
    await problemsFor({ "a.md": withLead("./p.jpg", '""'), "p.jpg": await solid(10, 10, "#000").jpeg().toBuffer() }),
    [],
  );
});

Problems.run();

const Cache = suite("the image cache");

Cache("a second build encodes nothing; an empty or corrupt cached file is re-encoded", async () => {
  const dir = await writeArticles({
    "a.md": withLead("./p.jpg"),
    "p.jpg": await solid(1000, 700, "#884422").withExif(gps).jpeg().toBuffer(),
  });
  const cacheDir = await mkdtemp(path.join(tmpdir(), "midad-image-cache-"));
  const build = async () => {
    const images = createImagePipeline({ ...defaultImageOptions, cacheDir });
    const site = await loadSite({ root: dir, articlesDir: dir, config, includeDrafts: false, images });
    return { encoded: images.encoded(), files: site.articles[0]!.files };
  };
  try {
    const first = await build();
    assert.is(first.encoded, 2, "the picture set and the social card");
    const second = await build();
    assert.is(second.encoded, 0);
    assert.equal(second.files, first.files);

    const [emptied, garbled] = first.files
      .filter((file) => file.url.endsWith(".webp") || file.url.endsWith(".avif"))
      .map((file) => file.cachePath);
    truncateSync(emptied!, 0);
    writeFileSync(garbled!, "not an image at all");
    const third = await build();
    assert.is(third.encoded, 1, "only the damaged photo's set is encoded again");
    for (const file of [emptied!, garbled!]) {
      assert.ok(statSync(file).size > 0);
      assert.ok((await sharp(file).metadata()).width! > 0, `${file} decodes again`);
    }
  } finally {
    await removeDir(dir);
    await removeDir(cacheDir);
  }
});

/** Articles a.md and b.md, each with its own lead photo (a.jpg, b.jpg). */
async function twoArticlesWithPhotos(): Promise<string> {
  return writeArticles({
    "a.md": withLead("./a.jpg"),
    "a.jpg": await solid(900, 600, "#112233").jpeg().toBuffer(),
    "b.md": article({ title: '"ب"', image: '\n  src: ./b.jpg\n  alt: "ب"' }),
    "b.jpg": await solid(900, 600, "#332211").jpeg().toBuffer(),
  });
}

Cache(
  "a changed photo re-encodes only itself, in encoder processes replaced after their share of encodes",
  async () => {
    const dir = await twoArticlesWithPhotos();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "midad-image-cache-"));
    const build = async () => {
      const images = createImagePipeline({ ...defaultImageOptions, cacheDir, encodesPerProcess: 1 });
      const site = await loadSite({ root: dir, articlesDir: dir, config, includeDrafts: false, images });
      const filesOf = (name: string) => site.articles.find((a) => a.file.endsWith(name))!.files.map((file) => file.url);
      return {
        encoded: images.encoded(),
        processes: images.encoderPeaksKiB().length,
        a: filesOf("a.md"),
        b: filesOf("b.md"),
      };
    };
    try {
      const first = await build();
      assert.is(first.encoded, 4, "two picture sets and two social cards");
      assert.is(first.processes, 4, "one encode per process, as configured");
      writeFileSync(path.join(dir, "b.jpg"), await solid(900, 600, "#aa2211").jpeg().toBuffer());
      const second = await build();
      assert.is(second.encoded, 2, "the changed photo's picture set and social card");
      assert.equal(second.a, first.a, "the unchanged photo keeps its files");
      assert.ok(
        second.b.every((url) => !first.b.includes(url)),
        "the changed photo gets new names",
      );
    } finally {
      await removeDir(dir);
      await removeDir(cacheDir);
    }
  },
);

Cache("only images of current articles are published: a deleted photo's outputs disappear", async () => {
  const dir = await twoArticlesWithPhotos();
  const output = await mkdtemp(path.join(tmpdir(), "midad-output-"));
  try {
    await writeSite(dir, output);
    const before = await readdir(path.join(output, "img"));
    assert.ok(before.length >= 8, `published ${before.length} images`);
    for (const name of before) {
      const cachedFile = path.join(testImageCache, name);
      assert.is(
        statSync(path.join(output, "img", name)).ino,
        statSync(cachedFile).ino,
        `${name} is linked from the cache, not copied`,
      );
    }
    assert.not.ok(
      readdirSync(output, { recursive: true }).some((file) => /\/(a|b)\.jpg$/.test(String(file))),
      "originals with their metadata are never published",
    );
    await rm(path.join(dir, "b.md"));
    await writeSite(dir, output);
    const after = await readdir(path.join(output, "img"));
    assert.ok(
      after.length > 0 && after.length < before.length,
      `${before.length} images before, ${after.length} after`,
    );
    const html = readdirSync(output, { recursive: true }).filter((file) => String(file).endsWith(".html")).length;
    assert.ok(html > 0);
    for (const name of after) assert.ok(existsSync(path.join(output, "img", name)));
  } finally {
    await removeDir(dir);
    await removeDir(output);
  }
});

Cache.run();

/** A PNG whose header claims `width`x`height` pixels but that holds only its first row. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const firstRow = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", firstRow),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
