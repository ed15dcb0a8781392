import { workerData } from "node:worker_threads";
import { createPageRenderer, type PageJob, type RenderSettings } from "./page-render.ts";

/** A worker thread of the page pool (src/page-writer.ts): one renderer for the build it serves, made from the build's settings. */
const render = createPageRenderer(workerData as RenderSettings);

export default function renderPage(job: PageJob) {
  return render(job);
}
