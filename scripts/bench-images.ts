/**
 * Image pipeline benchmark: the real pipeline of src/images/pipeline.ts over large, camera-like photos.
 *
 *   npm run bench:images -- [--count 24]
 *
 * 1. Generates `count` photos in a temporary folder from the sample articles' photos (articles/): each scaled up to
 *    4000x3000 (cover), varied by index (source, mirror, brightness, saturation, hue, crop, grain
 *    seed) so every file is distinct, with light sensor-like grain (an upscaled 640 px photo is far
 *    smoother than a camera's, which would make both inputs and encodes unrealistically cheap), and
 *    written as a JPEG of quality 92 with EXIF (camera, exposure and a GPS position), XMP (a city)
 *    and, on every third photo, the orientation tag 6 (shown rotated, portrait).
 * 2. First run: `process` and `socialCard` for every photo with `defaultImageOptions` and an empty
 *    cache, in a child process of its own, so its peak memory is its own. Prints time, photos per
 *    second, bytes in and out per format and peak memory (the build process, its largest encoder
 *    process and the sum of all, beside a run over only the first 8 photos, to show that memory
 *    does not grow with the number of photos); then reads every output back with sharp
 *    and checks that none carries EXIF, XMP or IPTC and that the orientation was applied.
 * 3. Second run: a new pipeline (and process) over the same cache; it must encode nothing.
 * 4. Encoder settings, measured with sharp directly on one generated photo (resized once, then
 *    only the encode is timed, median of 3 at 480 px, once at 1600 px), with the PSNR of each output
 *    against its resized source and the pipeline's libvips thread count; and the sample lead photo
 *    run through the pipeline with the default settings (into a cache of its own), its 480 px
 *    outputs in each format.
 *
 * Exits non-zero when the pipeline throws, when the second run encodes anything, or when an output
 * carries metadata. Sizes are decimal (1 kB = 1000 bytes); memory is MiB.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, stat, symlink } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp, { type Sharp } from "sharp";
import { peakRssKiB, treeRssKiB } from "../src/checks/memory.ts";
import { createImagePipeline, defaultImageOptions } from "../src/images/pipeline.ts";
import {
  BenchError,
  median,
  numberOption,
  readBenchOptions,
  runBench,
  runNode,
  table,
  workFolder,
} from "./bench-kit.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
/** The sample articles' photos: freely licensed, and part of every clone. */
const mediaDir = path.join(repoRoot, "articles");
const leadPhoto = path.join(repoRoot, "articles/2022/01/csto-launch-illustration.jpg");
const thisScript = import.meta.filename;
const photoSize = { width: 4000, height: 3000 };
/** "A few tens of KB at most" for the sample lead photo at 480 px, in each format. */
const leadLimitBytes = 50_000;

// ---------------------------------------------------------------------------------------------
// Arguments

const usage = "usage: npm run bench:images -- [--count N (default 24)]";

interface Arguments {
  count: number;
  phase?: "first" | "cached";
  photos?: string;
  cache?: string;
}

function readArguments(): Arguments {
  // --phase, --photos and --cache are how the script runs one measured phase in a child process.
  const values = readBenchOptions(
    { count: { type: "string" }, phase: { type: "string" }, photos: { type: "string" }, cache: { type: "string" } },
    usage,
  );
  const count = numberOption("count", values.count, 24, usage);
  if (values.phase !== undefined && values.phase !== "first" && values.phase !== "cached")
    throw new BenchError(`unknown --phase "${values.phase}"`);
  return { count, phase: values.phase, photos: values.photos, cache: values.cache };
}

// ---------------------------------------------------------------------------------------------
// Step 1: photos

interface Photo {
  path: string;
  source: string;
  bytes: number;
  /** EXIF orientation written into the file (1 = as stored). */
  orientation: number;
}

/** A small, fast, seeded generator: the same index always gives the same photo. */
function xorshift(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Adds grain of about `sigma` levels (the same on the three channels, as luminance noise) in place. */
function addGrain(pixels: Buffer, channels: number, sigma: number, seed: number): void {
  const random = xorshift(seed);
  const table = new Int16Array(65536);
  // A sum of four uniforms is close enough to a normal distribution for grain.
  for (let i = 0; i < table.length; i++)
    table[i] = Math.round((random() + random() + random() + random() - 2) * Math.sqrt(3) * sigma);
  for (let p = 0; p < pixels.length; p += channels) {
    const n = table[(random() * 65536) | 0]!;
    for (let c = 0; c < 3; c++) {
      const value = pixels[p + c]! + n;
      pixels[p + c] = Math.min(255, Math.max(0, value));
    }
  }
}

function xmpPacket(city: string): string {
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="${city}" photoshop:Country="Armenia"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

async function sourcePhotos(): Promise<string[]> {
  if (!existsSync(mediaDir)) throw new BenchError(`the sample photos are missing: expected the folder ${mediaDir}`);
  const names = (await readdir(mediaDir, { recursive: true }))
    .filter((name) => /\.(jpe?g|png|webp)$/i.test(name))
    .sort();
  if (names.length === 0) throw new BenchError(`no photos (.jpg, .png, .webp) in ${mediaDir}`);
  return names.map((name) => path.join(mediaDir, name));
}

async function generatePhotos(dir: string, count: number): Promise<Photo[]> {
  const sources = await sourcePhotos();
  await mkdir(dir, { recursive: true });
  const photos: Photo[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const round = Math.floor(i / sources.length);
    const positions = ["centre", "top", "bottom"] as const;
    let image = sharp(source)
      .removeAlpha()
      .resize(photoSize.width, photoSize.height, { fit: "cover", position: positions[round % 3] });
    if (round % 2 === 1) image = image.flop();
    image = image.modulate({ brightness: 0.94 + 0.03 * (i % 5), saturation: 0.9 + 0.06 * (i % 4), hue: (i * 7) % 30 });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    addGrain(data, info.channels, 7, i + 1);

    const orientation = i % 3 === 2 ? 6 : 1;
    const minutes = 10 + (i % 50);
    let jpeg = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .jpeg({ quality: 92 })
      .withExif({
        IFD0: {
          Make: "Canon",
          Model: "Canon EOS R6",
          Software: "midad bench:images",
          Artist: "Staff photographer",
          DateTime: `2022:01:10 09:${String(minutes).padStart(2, "0")}:00`,
        },
        IFD2: {
          DateTimeOriginal: `2022:01:10 09:${String(minutes).padStart(2, "0")}:00`,
          ExposureTime: "1/250",
          FNumber: "28/10",
          ISOSpeedRatings: "400",
          FocalLength: "50/1",
        },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: `40/1 ${minutes}/1 ${i}/1`,
          GPSLongitudeRef: "E",
          GPSLongitude: "44/1 30/1 0/1",
          GPSAltitudeRef: "0",
          GPSAltitude: "990/1",
        },
      })
      .withXmp(xmpPacket("Yerevan"));
    // withExif's Orientation is replaced by the image's own; withMetadata sets it.
    if (orientation !== 1) jpeg = jpeg.withMetadata({ orientation });
    const file = path.join(dir, `photo-${String(i + 1).padStart(3, "0")}.jpg`);
    await jpeg.toFile(file);
    photos.push({ path: file, source: path.basename(source), bytes: (await stat(file)).size, orientation });
  }
  return photos;
}

/** The tags of IFD0 of an EXIF block as sharp returns it ("Exif\0\0" and a TIFF header). */
function ifd0Tags(exif: Buffer): Set<number> {
  const tags = new Set<number>();
  const tiff = exif.subarray(exif.subarray(0, 6).toString("latin1").startsWith("Exif") ? 6 : 0);
  if (tiff.length < 8) return tags;
  const little = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const start = u32(4);
  if (start + 2 > tiff.length) return tags;
  const entries = u16(start);
  for (let e = 0; e < entries && start + 2 + 12 * e + 2 <= tiff.length; e++) tags.add(u16(start + 2 + 12 * e));
  return tags;
}
const gpsInfoTag = 0x8825;

interface InputFacts {
  withGps: number;
  withXmp: number;
  oriented: number;
}

async function checkInputs(photos: Photo[]): Promise<InputFacts> {
  const facts = { withGps: 0, withXmp: 0, oriented: 0 };
  for (const photo of photos) {
    const meta = await sharp(photo.path).metadata();
    if (meta.width !== photoSize.width || meta.height !== photoSize.height)
      throw new BenchError(`${photo.path} is ${meta.width}x${meta.height}, not ${photoSize.width}x${photoSize.height}`);
    if (meta.exif && ifd0Tags(meta.exif).has(gpsInfoTag)) facts.withGps++;
    if (meta.xmp) facts.withXmp++;
    if ((meta.orientation ?? 1) !== 1) facts.oriented++;
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Steps 2 and 3: the pipeline, one phase per child process

interface OutputFile {
  /** avif, webp, jpeg, png or "card" (the social card, a JPEG). */
  format: string;
  width: number;
  path: string;
}

interface PhaseResult {
  phase: "first" | "cached";
  elapsedMs: number;
  /** Peak RSS of the build's own process (VmHWM: see src/checks/memory.ts), in KiB. */
  maxRssKiB: number;
  /** The peak RSS of each encoder process, in start order, in KiB (none when nothing was encoded). */
  encoderPeaksKiB: number[];
  /** The largest sum of the RSS of this process and its encoder processes, sampled every 50 ms, in KiB. */
  treePeakKiB: number;
  encoded: number;
  photos: { source: string; width: number; height: number; files: OutputFile[] }[];
}

/** Runs in the child: one pipeline over every photo, `process` and `socialCard` at once, as a build does. */
async function runPhase(phase: "first" | "cached", photosDir: string, cacheDir: string): Promise<void> {
  const sources = (await readdir(photosDir))
    .filter((name) => name.endsWith(".jpg"))
    .sort()
    .map((name) => path.join(photosDir, name));
  let treePeakKiB = 0;
  const sampler = setInterval(() => (treePeakKiB = Math.max(treePeakKiB, treeRssKiB())), 50);
  const started = performance.now();
  const pipeline = createImagePipeline({ ...defaultImageOptions, cacheDir });
  const done = await Promise.all(
    sources.map((source) => Promise.all([pipeline.process(source), pipeline.socialCard(source)])),
  );
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  const result: PhaseResult = {
    phase,
    elapsedMs,
    maxRssKiB: peakRssKiB(),
    encoderPeaksKiB: pipeline.encoderPeaksKiB(),
    treePeakKiB: Math.max(treePeakKiB, peakRssKiB()),
    encoded: pipeline.encoded(),
    photos: done.map(([image, card], index) => ({
      source: sources[index]!,
      width: image.width,
      height: image.height,
      files: [
        ...Object.entries(image.formats).flatMap(([format, outputs]) =>
          outputs.map((output) => ({ format, width: output.width, path: output.outputPath })),
        ),
        { format: "card", width: card.width, path: card.cachePath },
      ],
    })),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function phase(name: "first" | "cached", photosDir: string, cacheDir: string): Promise<PhaseResult> {
  const ran = await runNode(
    ["--import", "tsx", thisScript, "--phase", name, "--photos", photosDir, "--cache", cacheDir],
    repoRoot,
  );
  const line = ran.stdout
    .trimEnd()
    .split("\n")
    .reverse()
    .find((text) => text.startsWith("{"));
  if (ran.code !== 0 || line === undefined) {
    const reason = ran.signal
      ? `was killed by ${ran.signal}`
      : ran.code !== 0
        ? `exited with code ${ran.code}`
        : "printed no result";
    throw new BenchError(
      `the ${name} run of the pipeline failed (${reason}):\n${ran.stderr.trim() || ran.stdout.trim()}`,
    );
  }
  return JSON.parse(line) as PhaseResult;
}

interface MetadataCheck {
  checked: number;
  carrying: string[];
  /** Outputs of photos with orientation 6 that are portrait, out of those photos. */
  rotated: number;
  rotatable: number;
}

/** Reads every output back with sharp: none may carry EXIF, XMP or IPTC; orientation 6 must have been applied. */
async function checkOutputs(result: PhaseResult, photos: Photo[]): Promise<MetadataCheck> {
  const check: MetadataCheck = { checked: 0, carrying: [], rotated: 0, rotatable: 0 };
  for (const [index, photo] of result.photos.entries()) {
    for (const file of photo.files) {
      const meta = await sharp(file.path).metadata();
      check.checked++;
      const found = [
        meta.exif && "EXIF",
        meta.xmp && "XMP",
        meta.iptc && "IPTC",
        meta.orientation !== undefined && "orientation",
      ].filter(Boolean);
      if (found.length > 0) check.carrying.push(`${path.basename(file.path)}: ${found.join(", ")}`);
    }
    if (photos[index]?.orientation === 6) {
      check.rotatable++;
      if (photo.height > photo.width) check.rotated++;
    }
  }
  return check;
}

// ---------------------------------------------------------------------------------------------
// Step 4: encoder settings

interface EncoderRow {
  label: string;
  /** At 480 px: median bytes/time of 3 encodes (the bytes are the same every time). */
  small: { bytes: number; ms: number; psnr: number };
  /** At 1600 px, the widest published: one encode. */
  large: { bytes: number; ms: number; psnr: number };
  isDefault: boolean;
}

interface Raw {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

async function resized(file: string, width: number): Promise<Raw> {
  // As the pipeline does: orientation applied, sRGB, resized; then only the encoder is timed.
  const { data, info } = await sharp(file)
    .rotate()
    .resize({ width })
    .withIccProfile("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info: { width: info.width, height: info.height, channels: info.channels } };
}

/** Peak signal-to-noise ratio of an encoded image against the pixels it was made from, in dB. */
async function psnr(encoded: Buffer, reference: Raw): Promise<number> {
  const { data } = await sharp(encoded).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const d = data[i]! - reference.data[i]!;
    sum += d * d;
  }
  const mse = sum / reference.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

type Encode = (image: Sharp) => Sharp;

async function measureEncode(
  source: Raw,
  encode: Encode,
  runs: number,
): Promise<{ bytes: number; ms: number; psnr: number }> {
  const times: number[] = [];
  let output = Buffer.alloc(0);
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    output = await encode(sharp(source.data, { raw: source.info }).withIccProfile("srgb")).toBuffer();
    times.push(performance.now() - started);
  }
  return { bytes: output.length, ms: median(times), psnr: await psnr(output, source) };
}

async function encoderRows(file: string): Promise<EncoderRow[]> {
  const { avif, webp, jpeg } = defaultImageOptions;
  const settings: [string, Encode, boolean][] = [
    ...[2, 4, 6, 9].map((effort): [string, Encode, boolean] => [
      `AVIF q${avif.quality} effort ${effort}`,
      (image) => image.avif({ quality: avif.quality, effort }),
      effort === avif.effort,
    ]),
    ...[4, 6].map((effort): [string, Encode, boolean] => [
      `WebP q${webp.quality} effort ${effort}`,
      (image) => image.webp({ quality: webp.quality, effort }),
      effort === webp.effort,
    ]),
    ...[74, 85].map((quality): [string, Encode, boolean] => [
      `JPEG q${quality} (mozjpeg, progressive)`,
      (image) => image.jpeg({ quality, mozjpeg: true, progressive: true }),
      quality === jpeg.quality,
    ]),
  ];
  const small = await resized(file, 480);
  const large = await resized(file, 1600);
  const rows: EncoderRow[] = [];
  for (const [label, encode, isDefault] of settings) {
    rows.push({
      label,
      isDefault,
      small: await measureEncode(small, encode, 3),
      large: await measureEncode(large, encode, 1),
    });
  }
  return rows;
}

interface LeadRow {
  format: string;
  width: number;
  bytes: number;
}

/** The sample lead photo through the real pipeline, default settings, a cache of its own. */
async function leadPhotoRows(
  cacheDir: string,
): Promise<{ rows: LeadRow[]; original: { width: number; height: number; bytes: number } }> {
  if (!existsSync(leadPhoto)) throw new BenchError(`the sample lead photo is missing: ${leadPhoto}`);
  const pipeline = createImagePipeline({ ...defaultImageOptions, cacheDir });
  const [image, card] = await Promise.all([pipeline.process(leadPhoto), pipeline.socialCard(leadPhoto)]);
  const rows: LeadRow[] = [];
  for (const [format, outputs] of Object.entries(image.formats)) {
    const output = outputs.find((o) => o.width === 480);
    if (output) rows.push({ format, width: 480, bytes: (await stat(output.outputPath)).size });
  }
  rows.push({
    format: `social card ${card.width}x${card.height}`,
    width: card.width,
    bytes: (await stat(card.cachePath)).size,
  });
  const meta = await sharp(leadPhoto).metadata();
  return { rows, original: { width: meta.width ?? 0, height: meta.height ?? 0, bytes: (await stat(leadPhoto)).size } };
}

// ---------------------------------------------------------------------------------------------
// Printing

function size(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)} %`;

const formatNames: Record<string, string> = {
  avif: "AVIF",
  webp: "WebP",
  jpeg: "JPEG",
  png: "PNG",
  card: "social card (JPEG 1200x630)",
};

async function printFirstRun(first: PhaseResult, photos: Photo[], inputBytes: number): Promise<void> {
  const files = first.photos.flatMap((photo) => photo.files);
  const sizes = new Map<string, number>();
  for (const file of files) sizes.set(file.path, (await stat(file.path)).size);
  const formats = [...new Set(files.map((file) => file.format))].sort(
    (a, b) => Object.keys(formatNames).indexOf(a) - Object.keys(formatNames).indexOf(b),
  );
  const rows = formats.map((format) => {
    const ofFormat = files.filter((file) => file.format === format);
    const bytes = ofFormat.reduce((sum, file) => sum + sizes.get(file.path)!, 0);
    const at480 = ofFormat.filter((file) => file.width === 480).map((file) => sizes.get(file.path)!);
    return [
      formatNames[format] ?? format,
      String(ofFormat.length),
      size(bytes),
      percent(bytes, inputBytes),
      size(bytes / photos.length),
      at480.length > 0 ? size(at480.reduce((a, b) => a + b, 0) / at480.length) : "-",
    ];
  });
  const outBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  rows.push([
    "all outputs",
    String(files.length),
    size(outBytes),
    percent(outBytes, inputBytes),
    size(outBytes / photos.length),
    "",
  ]);
  console.log(table([["format", "files", "bytes out", "of bytes in", "per photo", "mean at 480 px"], ...rows]));
  console.log(
    `  bytes in: ${size(inputBytes)} (${photos.length} photos); widths ${defaultImageOptions.widths.join(", ")} per format, plus one social card per photo`,
  );
}

/**
 * Photos in the run the first run's memory is compared with: enough for each of two encoder processes to run its full
 * 8 encodes.
 */
const memoryBaselinePhotos = 8;

/**
 * Memory must not grow with the number of photos: the first run's peaks beside those of a run over
 * only its first photos (same settings, a cache of its own), in the same script.
 */
async function printMemory(first: PhaseResult, baselineDir: string): Promise<void> {
  if (first.photos.length <= memoryBaselinePhotos) {
    console.log(
      `  peak RSS: build process ${mib(first.maxRssKiB)}, largest of ${first.encoderPeaksKiB.length} encoder processes ${mib(Math.max(0, ...first.encoderPeaksKiB))}; with more than ${memoryBaselinePhotos} photos, it is compared with a run over ${memoryBaselinePhotos}`,
    );
    return;
  }
  const sources = first.photos.map((photo) => photo.source).slice(0, memoryBaselinePhotos);
  const photosDir = path.join(baselineDir, "photos");
  await mkdir(photosDir, { recursive: true });
  for (const source of sources) await symlink(source, path.join(photosDir, path.basename(source)));
  const baseline = await phase("first", photosDir, path.join(baselineDir, "cache"));
  const largest = (run: PhaseResult) => Math.max(0, ...run.encoderPeaksKiB);
  const row = (label: string, run: PhaseResult) => [
    label,
    mib(run.maxRssKiB),
    String(run.encoderPeaksKiB.length),
    mib(largest(run)),
    mib(run.treePeakKiB),
  ];
  const ratio = (pick: (run: PhaseResult) => number) => (pick(first) / pick(baseline)).toFixed(2);
  console.log(
    table([
      ["memory (peak RSS)", "build process", "encoder processes", "largest encoder", "all processes (sampled)"],
      row(`${sources.length} photos`, baseline),
      row(`${first.photos.length} photos`, first),
      [
        `ratio ${first.photos.length} / ${sources.length}`,
        ratio((run) => run.maxRssKiB),
        "",
        ratio(largest),
        ratio((run) => run.treePeakKiB),
      ],
    ]),
  );
  const { concurrency, encodesPerProcess } = defaultImageOptions;
  console.log(
    `  at most ${concurrency} encoder processes at once, each replaced after ${encodesPerProcess} encodes; bound: build process + ${concurrency} x largest encoder = ${mib(first.maxRssKiB + concurrency * largest(first))}`,
  );
  // Growth would show as later processes peaking higher than earlier ones.
  const peaks = first.encoderPeaksKiB;
  const half = Math.floor(peaks.length / 2);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  console.log(`  each encoder's peak, in start order: ${peaks.map((peak) => (peak / 1024).toFixed(0)).join(" ")} MiB`);
  if (half > 0)
    console.log(
      `  mean of the first ${half}: ${mib(mean(peaks.slice(0, half)))}; of the last ${half}: ${mib(mean(peaks.slice(-half)))}`,
    );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = readArguments();
  if (args.phase) {
    if (!args.photos || !args.cache) throw new BenchError("--phase needs --photos and --cache");
    await runPhase(args.phase, args.photos, args.cache);
    return;
  }

  const { dir: workDir, cleanUp } = await workFolder("midad-bench-images-");
  const failures: string[] = [];
  try {
    const photosDir = path.join(workDir, "photos");
    const cacheDir = path.join(workDir, "cache");
    const { avif, webp, jpeg, socialCard, concurrency } = defaultImageOptions;
    console.log(
      `image pipeline benchmark: ${args.count} photos, concurrency ${concurrency} (${availableParallelism()} cores), sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
    );
    console.log(
      `settings: AVIF q${avif.quality} effort ${avif.effort}, WebP q${webp.quality} effort ${webp.effort}, JPEG q${jpeg.quality} mozjpeg, social card ${socialCard.width}x${socialCard.height} q${socialCard.quality}`,
    );

    // 1. Photos
    console.log("");
    console.log("1. Input photos");
    const generateStarted = performance.now();
    const photos = await generatePhotos(photosDir, args.count);
    const inputBytes = photos.reduce((sum, photo) => sum + photo.bytes, 0);
    const inputs = await checkInputs(photos);
    const byteSizes = photos.map((photo) => photo.bytes);
    console.log(
      `  generated ${photos.length} JPEGs (q92, ${photoSize.width}x${photoSize.height}) from ${[...new Set(photos.map((p) => p.source))].join(", ")} in ${seconds(performance.now() - generateStarted)}`,
    );
    console.log(
      `  total input bytes: ${inputBytes} (${size(inputBytes)}); per photo ${size(Math.min(...byteSizes))} to ${size(Math.max(...byteSizes))}, mean ${size(inputBytes / photos.length)}`,
    );
    console.log(
      `  metadata in: ${inputs.withGps} of ${photos.length} with EXIF GPS, ${inputs.withXmp} with XMP, ${inputs.oriented} with EXIF orientation 6`,
    );
    if (inputs.withGps !== photos.length)
      failures.push("not every generated photo carries EXIF GPS; the metadata check would prove nothing");

    // 2. First run
    console.log("");
    console.log("2. First run (empty cache)");
    const first = await phase("first", photosDir, cacheDir);
    const firstSeconds = first.elapsedMs / 1000;
    console.log(
      table([
        ["run", "wall time", "photos/s", "outputs", "encoder runs", "peak RSS, all processes"],
        [
          "first",
          seconds(first.elapsedMs),
          (photos.length / firstSeconds).toFixed(2),
          String(first.photos.reduce((n, p) => n + p.files.length, 0)),
          String(first.encoded),
          mib(first.treePeakKiB),
        ],
      ]),
    );
    console.log("");
    await printMemory(first, path.join(workDir, "memory-baseline"));
    console.log("");
    await printFirstRun(first, photos, inputBytes);
    const metadata = await checkOutputs(first, photos);
    console.log("");
    if (metadata.carrying.length === 0) {
      console.log(
        `  metadata out: OK, none of the ${metadata.checked} outputs carries EXIF, XMP, IPTC or an orientation tag (read back with sharp)`,
      );
    } else {
      console.log(
        `  metadata out: FAIL, ${metadata.carrying.length} of ${metadata.checked} outputs carry metadata:\n    ${metadata.carrying.slice(0, 10).join("\n    ")}`,
      );
      failures.push(`${metadata.carrying.length} outputs carry metadata`);
    }
    if (metadata.rotatable > 0) {
      const ok = metadata.rotated === metadata.rotatable;
      console.log(
        `  orientation: ${ok ? "OK" : "FAIL"}, ${metadata.rotated} of ${metadata.rotatable} photos tagged orientation 6 came out portrait (3000x4000)`,
      );
      if (!ok) failures.push("orientation not applied");
    }

    // 3. Second run
    console.log("");
    console.log("3. Second run (new pipeline and process, same cache)");
    const cached = await phase("cached", photosDir, cacheDir);
    const sameFiles =
      JSON.stringify(cached.photos.map((p) => p.files.map((f) => f.path))) ===
      JSON.stringify(first.photos.map((p) => p.files.map((f) => f.path)));
    console.log(
      table([
        ["run", "wall time", "photos/s", "encoder runs", "peak RSS", "time / first run"],
        [
          "first",
          seconds(first.elapsedMs),
          (photos.length / firstSeconds).toFixed(2),
          String(first.encoded),
          mib(first.treePeakKiB),
          "1.000",
        ],
        [
          "cached",
          seconds(cached.elapsedMs),
          (photos.length / (cached.elapsedMs / 1000)).toFixed(2),
          String(cached.encoded),
          mib(cached.treePeakKiB),
          (cached.elapsedMs / first.elapsedMs).toFixed(3),
        ],
      ]),
    );
    console.log(
      `  cached run encoded ${cached.encoded} (must be 0): ${cached.encoded === 0 ? "OK" : "FAIL"}; same output files as the first run: ${sameFiles ? "yes" : "NO"}`,
    );
    if (cached.encoded !== 0) failures.push(`the cached run encoded ${cached.encoded} time(s)`);
    if (!sameFiles) failures.push("the cached run returned other files than the first run");

    // 4. Encoder settings
    console.log("");
    const sample = photos[0]!;
    // The lead photo first: creating a pipeline applies whatever process-wide sharp settings the
    // pipeline makes (such as its libvips thread count), so the direct encodes below run under them too.
    const lead = await leadPhotoRows(path.join(workDir, "lead-cache"));
    console.log(
      `4. Encoder settings on ${path.basename(sample.path)} (from ${sample.source}, ${photoSize.width}x${photoSize.height}); sharp directly, only the encode timed`,
    );
    console.log(
      `   480 px: median of 3 encodes; 1600 px (widest published): one encode; PSNR against the resized pixels; ${sharp.concurrency()} libvips thread(s) per image, as in the pipeline`,
    );
    const encoders = await encoderRows(sample.path);
    console.log(
      table([
        ["setting", "480 px", "encode", "PSNR", "1600 px", "encode", "PSNR", ""],
        ...encoders.map((row) => [
          row.label,
          size(row.small.bytes),
          `${row.small.ms.toFixed(0)} ms`,
          `${row.small.psnr.toFixed(2)} dB`,
          size(row.large.bytes),
          `${row.large.ms.toFixed(0)} ms`,
          `${row.large.psnr.toFixed(2)} dB`,
          row.isDefault ? "default" : "",
        ]),
      ]),
    );

    console.log("");
    console.log(
      `   Sample lead photo ${path.relative(repoRoot, leadPhoto)} (${lead.original.width}x${lead.original.height}, ${size(lead.original.bytes)}), pipeline defaults`,
    );
    console.log(
      table([
        ["output", "bytes", "size", `limit ${size(leadLimitBytes)}`],
        ...lead.rows.map((row) => [
          row.format.startsWith("social") ? row.format : `${formatNames[row.format] ?? row.format} ${row.width} px`,
          String(row.bytes),
          size(row.bytes),
          row.format.startsWith("social") ? "" : row.bytes <= leadLimitBytes ? "OK" : "over",
        ]),
      ]),
    );
  } finally {
    cleanUp();
  }
  if (failures.length > 0) {
    console.error(`\nbench:images: FAIL\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

runBench("bench:images", main);
