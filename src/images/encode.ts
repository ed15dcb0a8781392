import { mkdir, rename } from "node:fs/promises";
import path from "node:path";
import type { Sharp } from "sharp";

/** What decides an encoded image's bytes: plain data, so a job can cross to an encoder process. */
export interface EncoderSettings {
  /** Widths published for every photo, never wider than the original. */
  widths: number[];
  /** Persistent folder of encoded images, kept between builds (and by CI or a host's build cache). */
  cacheDir: string;
  /** Site path the published images are served from. */
  urlPath: string;
  /** Photos over this many pixels fail before they are decoded: decompression bombs stay cheap. */
  maxPixels: number;
  /** Encoder settings; measured in the README. */
  avif: { quality: number; effort: number };
  webp: { quality: number; effort: number };
  jpeg: { quality: number };
  /** Size of the social card (`og:image`), a JPEG cropped to fill. */
  socialCard: { width: number; height: number; quality: number };
}

/** One encoder run: a photo's whole picture set, or its social card. */
export type EncodeJob =
  | { kind: "pictures"; sourcePath: string; transparent: boolean; settings: EncoderSettings }
  | { kind: "card"; sourcePath: string; outputPath: string; settings: EncoderSettings };

/** `failOn` stays at "warning": a truncated or corrupt photo fails instead of publishing grey pixels. */
export function sharpInputOptions(settings: Pick<EncoderSettings, "maxPixels">) {
  return { limitInputPixels: settings.maxPixels, failOn: "warning" as const, animated: false };
}

/** eleventy-img's options for a photo's picture set: AVIF, WebP and a JPEG fallback (PNG when transparent). */
export function pictureOptions(settings: EncoderSettings, transparent: boolean): Record<string, unknown> {
  return {
    outputDir: settings.cacheDir,
    urlPath: settings.urlPath,
    sharpOptions: sharpInputOptions(settings),
    fixOrientation: true,
    formatFiltering: [],
    widths: settings.widths,
    formats: ["avif", "webp", transparent ? "png" : "jpeg"],
    sharpAvifOptions: { ...settings.avif },
    sharpWebpOptions: { ...settings.webp },
    sharpJpegOptions: { ...settings.jpeg, mozjpeg: true, progressive: true },
    sharpPngOptions: { compressionLevel: 9, palette: false },
    transform: (image: Sharp) => image.withIccProfile("srgb"),
  };
}

/**
 * Encodes one job, writing its files into the cache folder. Its libraries are loaded here, in the encoder processes,
 * so the build's own process, which takes only the options above, does not load them for nothing.
 */
export async function runEncodeJob(job: EncodeJob): Promise<void> {
  if (job.kind === "pictures") {
    const { default: Image } = await import("@11ty/eleventy-img");
    await Image(job.sourcePath, { ...pictureOptions(job.settings, job.transparent), useCache: false });
    return;
  }
  const { default: sharp } = await import("sharp");
  const { width, height, quality } = job.settings.socialCard;
  // Cropped to fill, even from a smaller photo: social networks show exactly this size.
  const image = sharp(job.sourcePath, sharpInputOptions(job.settings))
    .rotate()
    .resize(width, height, { fit: "cover", position: "attention" });
  const partial = `${job.outputPath}.${process.pid}.partial`;
  await mkdir(path.dirname(job.outputPath), { recursive: true });
  await image.withIccProfile("srgb").jpeg({ quality, mozjpeg: true }).toFile(partial);
  await rename(partial, job.outputPath);
}
