import { workerData } from "node:worker_threads";
import { createPageRenderer, type PageJob, type RenderSettings } from "../src/publish/page-render.ts";
import { pageTemplates } from "./page-templates.ts";

/**
 * A worker thread of the page writer's pool (src/publish/page-writer.ts): one renderer for the build it serves, made
 * from the build's settings.
 */
const render = createPageRenderer(workerData as RenderSettings, pageTemplates);

export default function renderPage(job: PageJob) {
  return render(job);
}
