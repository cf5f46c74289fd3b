/**
 * Pagination memory: 10,000 deployments (≈1 KB of JSON each) in pages of 100 from a local server
 * in another process. First iterated with `astro.platform.paginate` — touching each item and
 * keeping none — or, for contrast, gathered into one array (one mode per process). Reported
 * against a baseline taken after a full GC: the peak growth of RSS and of the V8 heap, sampled
 * after every item, and in a second pass the heap still in use after a full GC every 10 pages
 * (what the iteration keeps). Needs `--expose-gc` (bench/run.ts passes it).
 *
 *   node --expose-gc --import tsx bench/pagination-memory.ts [streamed|collected]
 */
import { createAstroClient } from "../src/v1beta1/index.js";
import { isMain, runSection } from "./lib/section.js";
import { PAGINATED_TOTAL, startBenchServer } from "./lib/server.js";

const PAGE_SIZE = 100;

export interface MemoryRun {
  items: number;
  pages: number;
  ms: number;
  /** Peak RSS minus the baseline, bytes. */
  peakRssGrowth: number;
  /** Peak `heapUsed` minus the baseline, bytes (garbage not yet collected included). */
  peakHeapGrowth: number;
  /** Peak RSS growth so far, after every 10 pages: flat when nothing accumulates. */
  rssGrowthSeries: number[];
  /**
   * `heapUsed` after a full GC every 10 pages, minus the baseline (a second pass, since forced
   * GCs change RSS): what the iteration keeps.
   */
  retainedHeapSeries: number[];
}

export type Mode = "streamed" | "collected";

export interface PaginationMemoryResult extends MemoryRun {
  mode: Mode;
  total: number;
  pageSize: number;
  /** JSON size of one page, bytes (what "about one page" means). */
  pageBytes: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
}

type Work = (
  afterItem: () => void,
  afterPage: (pages: number) => void,
) => Promise<{ items: number; pages: number }>;

/** Runs `work` twice over the whole list: once sampling memory, once collecting garbage every 10 pages. */
async function measure(work: Work): Promise<MemoryRun> {
  collectGarbage();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const rssGrowthSeries: number[] = [];
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > peakRss) peakRss = now.rss;
    if (now.heapUsed > peakHeap) peakHeap = now.heapUsed;
  };
  const started = performance.now();
  const counts = await work(sample, (pages) => {
    if (pages % 10 === 0) rssGrowthSeries.push(peakRss - base.rss);
  });
  const ms = performance.now() - started;

  collectGarbage();
  const retainedBase = process.memoryUsage().heapUsed;
  const retainedHeapSeries: number[] = [];
  await work(
    () => {},
    (pages) => {
      if (pages % 10 !== 0) return;
      collectGarbage();
      retainedHeapSeries.push(process.memoryUsage().heapUsed - retainedBase);
    },
  );
  return {
    ...counts,
    ms,
    peakRssGrowth: peakRss - base.rss,
    peakHeapGrowth: peakHeap - base.heapUsed,
    rssGrowthSeries,
    retainedHeapSeries,
  };
}

/** One mode per process, so that both start from the same state (RSS never shrinks back). */
export async function measurePaginationMemory(mode: Mode): Promise<PaginationMemoryResult> {
  const server = await startBenchServer();
  try {
    const astro = createAstroClient({
      token: "bench-token",
      urls: { platform: server.url, iam: server.url },
      // Memory, not rate limits, is measured here.
      throttle: false,
    });
    const list = () =>
      astro.platform.paginate("/organizations/{organizationId}/deployments", {
        params: { path: { organizationId: "org" } },
        pageSize: PAGE_SIZE,
      });
    // Warm up: connections, JIT, the first pages' allocations.
    const first = await list().pages().next();
    const pageBytes = first.done ? 0 : JSON.stringify({ deployments: first.value.items }).length;
    await list().collect({ max: 3 * PAGE_SIZE });

    const run = await measure(async (afterItem, afterPage) => {
      const kept: unknown[] = [];
      let items = 0;
      let pages = 0;
      let checksum = 0;
      for await (const page of list().pages()) {
        pages += 1;
        for (const deployment of page.items) {
          checksum += deployment.name.length;
          items += 1;
          if (mode === "collected") kept.push(deployment);
          afterItem();
        }
        // `kept` is still referenced here, so a GC in afterPage cannot free it.
        if (kept.length > items) throw new Error("unreachable");
        afterPage(pages);
      }
      if (checksum === 0) throw new Error("no items");
      return { items, pages };
    });

    await astro.close();
    return { mode, total: PAGINATED_TOTAL, pageSize: PAGE_SIZE, pageBytes, ...run };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) {
  const mode: Mode = process.argv.includes("collected") ? "collected" : "streamed";
  await runSection(`pagination memory (${mode})`, () => measurePaginationMemory(mode));
}
