import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, totalmem } from "node:os";
import path from "node:path";
import type Image from "@11ty/eleventy-img";
import pLimit from "p-limit";
import type sharp from "sharp";
import { type DamagedEntry, warnDamagedEntry } from "../util/damaged-entry.ts";
import { type EncoderSettings, pictureOptions, sharpInputOptions } from "./encode.ts";
import { createEncoderPool } from "./encoder-pool.ts";

export { pictureMarkup } from "./picture-markup.ts";

export interface ImageOptions extends EncoderSettings {
  /** The `sizes` attribute of article pictures: the width of the text column at each breakpoint. */
  sizes: string;
  /** Photos encoded at once, each in an encoder process of its own holding one decoded photo. */
  concurrency: number;
  /** Encodes one encoder process runs before a fresh one replaces it, which keeps memory bounded. */
  encodesPerProcess: number;
}

export const defaultImageOptions: Omit<ImageOptions, "cacheDir"> = {
  widths: [320, 480, 640, 960, 1280, 1600],
  urlPath: "/img/",
  sizes: "(min-width: 60rem) 48rem, (min-width: 44rem) 42rem, calc(100vw - 2rem)",
  maxPixels: 60_000_000,
  avif: { quality: 50, effort: 4 },
  webp: { quality: 72, effort: 4 },
  jpeg: { quality: 74 },
  socialCard: { width: 1200, height: 630, quality: 78 },
  concurrency: encoderConcurrency(
    availableParallelism(),
    Math.min(totalmem(), process.constrainedMemory?.() || Infinity),
  ),
  encodesPerProcess: 8,
};

/**
 * One encoder process per core, as long as half the memory (`memoryBytes`: the machine's, or the
 * container's limit) holds them: each peaks at about 300 to 350 MiB (README, "Images"), so a
 * many-core build box with little memory encodes fewer photos at once instead of running out.
 */
export function encoderConcurrency(cores: number, memoryBytes: number): number {
  const perEncoder = 512 * 2 ** 20;
  return Math.max(1, Math.min(cores, Math.floor(memoryBytes / 2 / perEncoder)));
}

/** One output file: where the cache holds it and the URL it is published at. */
export interface ImageFile {
  cachePath: string;
  url: string;
}

interface Output {
  url: string;
  width: number;
  height: number;
  outputPath: string;
  sourceType: string;
  srcset: string;
  format: string;
}

/** A photo ready for markup: eleventy-img's metadata plus what the page shows before it loads. */
export interface ProcessedImage {
  /** eleventy-img results by format, for `generateHTML`. */
  formats: Record<string, Output[]>;
  width: number;
  height: number;
  /** Dominant colour, painted behind the image until it arrives. */
  placeholder: string;
  /** The photo's own size as shown, orientation applied. */
  original: { width: number; height: number };
  files: ImageFile[];
}

export interface SocialCard extends ImageFile {
  width: number;
  height: number;
}

export interface ImagePipeline {
  /** The `sizes` attribute pictures get from this pipeline's options. */
  sizes: string;
  process(sourcePath: string): Promise<ProcessedImage>;
  socialCard(sourcePath: string): Promise<SocialCard>;
  /** Encoder runs this build, for tests and reports: 0 when every photo came from the cache. */
  encoded(): number;
  /** The peak resident memory of each encoder process this build, in start order, in KiB, for reports. */
  encoderPeaksKiB(): number[];
}

interface SourceFacts {
  transparent: boolean;
  placeholder: string;
  original: { width: number; height: number };
}

/**
 * Every photo goes through one sharp pipeline (eleventy-img): AVIF, WebP and a JPEG fallback (PNG
 * when the photo has real transparency), orientation applied, no metadata kept, sRGB out.
 * Outputs are named by a hash of the photo and the options, so the cache survives builds; a
 * cached file that is empty or unreadable is re-encoded, never published.
 */
/** `warn` is told of a cached record that cannot be read, which is then made again. */
export function createImagePipeline(options: ImageOptions, warn: DamagedEntry = warnDamagedEntry): ImagePipeline {
  const sharpOptions = sharpInputOptions(options);
  const libraries = imageLibraries();
  // At most a few photos at once, so memory stays bounded by a few decoded photos.
  const queue = pLimit(options.concurrency);
  // Hashing reads whole photos: each once per build, a few at a time, however many the build asks for at once.
  const hashing = pLimit(options.concurrency);
  const digests = new Map<string, Promise<Buffer>>();
  const hashOf = async (sourcePath: string, salt: string) => {
    const digest = await remember(digests, sourcePath, () => hashing(() => fileDigest(sourcePath)));
    return createHash("sha256").update(digest).update(salt).digest("base64url").slice(0, 16);
  };
  const encoder = createEncoderPool({
    processes: options.concurrency,
    jobsPerProcess: options.encodesPerProcess,
    idleMs: 1000,
  });
  // Keyed by content: a photo copied next to many articles is processed once per build.
  const processed = new Map<string, Promise<ProcessedImage>>();
  // And by path, so asking again about a photo (as the warnings do) costs nothing.
  const processedPaths = new Map<string, Promise<ProcessedImage>>();
  const cards = new Map<string, Promise<SocialCard>>();
  let encodes = 0;

  async function facts(sourcePath: string, hash: string): Promise<SourceFacts> {
    const infoPath = path.join(options.cacheDir, "facts", `${hash}.json`);
    const cached = await readJson<SourceFacts>(infoPath, warn);
    if (cached) return cached;
    const { sharp } = await libraries();
    // The header alone, without sharp's own pixel limit, so the message can name the size; nothing is decoded.
    const header = await sharp(sourcePath, { ...sharpOptions, limitInputPixels: false }).metadata();
    const { width = 0, height = 0 } = header;
    if (width * height > options.maxPixels) {
      throw new Error(
        `${width}x${height} is ${((width * height) / 1e6).toFixed(1)} megapixels, over the limit of ${(options.maxPixels / 1e6).toFixed(1)}`,
      );
    }
    const stats = await sharp(sourcePath, sharpOptions).resize(64, 64, { fit: "inside" }).stats();
    const { r, g, b } = stats.dominant;
    // EXIF orientations 5 to 8 turn the photo a quarter: its displayed width is the stored height.
    const turned = (header.orientation ?? 1) >= 5;
    const found: SourceFacts = {
      original: turned ? { width: height, height: width } : { width, height },
      transparent: header.hasAlpha === true && !stats.isOpaque,
      placeholder: `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`,
    };
    await writeJson(infoPath, found);
    return found;
  }

  /**
   * Reuses cached outputs only when they are intact: sizes recorded after an encode are checked on every build
   * (cheap); a size that differs from its record is encoded again, and an output with no record gets a full decode,
   * and is encoded again if it fails it.
   */
  async function ensure(outputs: CachedOutput[], manifestName: string, encodeAll: () => Promise<void>): Promise<void> {
    const manifestPath = path.join(options.cacheDir, "verified", `${manifestName}.json`);
    const recorded = (await readJson<Record<string, number>>(manifestPath, warn)) ?? {};
    const sizes = await Promise.all(
      outputs.map((output) =>
        stat(output.outputPath).then(
          (info) => info.size,
          () => 0,
        ),
      ),
    );
    const known = outputs.every(
      (output, index) => sizes[index]! > 0 && recorded[path.basename(output.outputPath)] === sizes[index],
    );
    // An output whose size is not the one recorded was changed since it was encoded (published images are links of
    // these files, so an image edited in `_site` is edited here): encoded again, however well it decodes.
    const changed = outputs.filter((output, index) => {
      const size = recorded[path.basename(output.outputPath)];
      return size !== undefined && sizes[index]! > 0 && size !== sizes[index];
    });
    for (const output of changed) warn(output.outputPath, "is not what was encoded: encoded again");
    if (!known && (changed.length > 0 || !(await allUsable(outputs)))) {
      encodes++;
      // Encoded into new files, never over old ones: published images are hard links to these.
      await Promise.all(outputs.map((output) => rm(output.outputPath, { force: true })));
      await encodeAll();
    }
    const verified = await Promise.all(
      outputs.map(async (output) => [path.basename(output.outputPath), (await stat(output.outputPath)).size] as const),
    );
    if (!known) await writeJson(manifestPath, Object.fromEntries(verified));
  }

  async function allUsable(outputs: CachedOutput[]): Promise<boolean> {
    const { sharp } = await libraries();
    return (await Promise.all(outputs.map((output) => isUsable(output, sharp)))).every(Boolean);
  }

  /** A photo's picture set, planned by eleventy-img and encoded only when the cache lacks it. */
  async function pictures(sourcePath: string, hash: string): Promise<ProcessedImage> {
    const { transparent, placeholder, original } = await facts(sourcePath, hash);
    // Plan the outputs without encoding (a path, not bytes: eleventy-img plans only for paths);
    // encode only when one is missing or damaged.
    const { Image } = await libraries();
    const formats = (await Image(sourcePath, { ...pictureOptions(options, transparent), statsOnly: true })) as Record<
      string,
      Output[]
    >;
    const outputs = Object.values(formats).flat();
    await ensure(outputs, path.basename(outputs[0]!.outputPath).replace(/-\d+\.\w+$/, ""), () =>
      encoder.run({ kind: "pictures", sourcePath, transparent, settings: encoderSettings(options) }),
    );
    const fallback = (formats.jpeg ?? formats.png)!;
    const largest = fallback[fallback.length - 1]!;
    return { formats, placeholder, original, width: largest.width, height: largest.height, files: filesOf(formats) };
  }

  return {
    sizes: options.sizes,
    encoded: () => encodes,
    encoderPeaksKiB: () => encoder.processPeaksKiB(),
    // Hashed from a stream: a build waiting on many photos holds none of their bytes.
    process: (sourcePath) =>
      remember(processedPaths, sourcePath, async () =>
        remember(processed, await hashOf(sourcePath, "facts-v2"), (hash) => queue(() => pictures(sourcePath, hash))),
      ),
    socialCard: async (sourcePath) => {
      const { width, height } = options.socialCard;
      return remember(cards, await hashOf(sourcePath, JSON.stringify(options.socialCard)), (hash) =>
        queue(async () => {
          const name = `${hash}-${width}x${height}.jpeg`;
          const card = { url: options.urlPath + name, cachePath: path.join(options.cacheDir, name), width, height };
          await ensure([{ outputPath: card.cachePath, width, format: "jpeg" }], name, () =>
            encoder.run({ kind: "card", sourcePath, outputPath: card.cachePath, settings: encoderSettings(options) }),
          );
          return card;
        }),
      );
    },
  };
}

type CachedOutput = Pick<Output, "outputPath" | "width" | "format">;

function remember<T>(jobs: Map<string, Promise<T>>, key: string, start: (key: string) => Promise<T>): Promise<T> {
  const known = jobs.get(key);
  if (known) return known;
  const job = start(key);
  jobs.set(key, job);
  return job;
}

/** The record in `file`; none when there is none, or when it cannot be read (`warn` is told: it is made again). */
async function readJson<T>(file: string, warn: DamagedEntry): Promise<T | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record: unknown = JSON.parse(text);
    if (typeof record === "object" && record !== null) return record as T;
    warn(file, "cannot be read (not a record): made again");
  } catch (error) {
    warn(file, `cannot be read (${(error as Error).message}): made again`);
  }
  return undefined;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value));
}

async function fileDigest(file: string): Promise<Buffer> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/** Only what decides the output bytes goes to an encoder process. */
function encoderSettings({
  widths,
  cacheDir,
  urlPath,
  maxPixels,
  avif,
  webp,
  jpeg,
  socialCard,
}: ImageOptions): EncoderSettings {
  return { widths, cacheDir, urlPath, maxPixels, avif, webp, jpeg, socialCard };
}

function filesOf(formats: Record<string, Output[]>): ImageFile[] {
  return Object.values(formats)
    .flat()
    .map((output) => ({ cachePath: output.outputPath, url: output.url }));
}

interface ImageLibraries {
  sharp: typeof sharp;
  Image: typeof Image;
}

/**
 * sharp and eleventy-img, loaded at a pipeline's first photo (about 0.2 s): a rebuild whose articles did not change
 * takes their photos' outputs from the article index and needs neither.
 */
function imageLibraries(): () => Promise<ImageLibraries> {
  let loaded: Promise<ImageLibraries> | undefined;
  return () =>
    (loaded ??= Promise.all([import("sharp"), import("@11ty/eleventy-img")]).then(([sharpModule, imageModule]) => {
      // This process only reads headers, small previews and cached outputs: one libvips thread each and
      // no cache of decoded pixels keep its memory small.
      sharpModule.default.concurrency(1);
      sharpModule.default.cache(false);
      return { sharp: sharpModule.default, Image: imageModule.default };
    }));
}

/** A cached output is usable when it is non-empty and decodes completely as the format it claims. */
async function isUsable(output: CachedOutput, sharp: ImageLibraries["sharp"]): Promise<boolean> {
  try {
    const { size } = await stat(output.outputPath);
    if (size === 0) return false;
    const { format, width } = await sharp(output.outputPath, { failOn: "truncated" }).metadata();
    if (width !== output.width || (format !== output.format && !(format === "heif" && output.format === "avif")))
      return false;
    await sharp(output.outputPath, { failOn: "truncated" }).resize(8).toBuffer();
    return true;
  } catch {
    return false;
  }
}
