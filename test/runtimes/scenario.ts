/**
 * The scenario every runtime runs (test/runtimes/runtimes.test.ts): the v1 client against the
 * fake on loopback, through what a script, a function or a worker does — create, read, a burst
 * the throttle queues, paginate, a 404, a 429 retried, an abort. Web-standard APIs only, so
 * the same bundle runs on Node, Bun, Deno, workerd and the Vercel Edge runtime.
 */
import { AstroError, NotFoundError, createAstroClient, type AstroEvent } from "../../src/index.js";

/** What the scenario saw, checked by the test on the host. */
export interface ScenarioResult {
  created: string;
  read: string;
  /** Calls waiting for POST budget right after the burst was started. */
  queuedInBurst: number;
  burst: number;
  listed: number;
  pages: number;
  notFound: { isNotFoundError: boolean; isAstroError: boolean; status: number | undefined };
  retriedStatuses: number[];
  aborted: { name: string };
  /** Whatever failed, as `name: message` (the scenario stops there). */
  failure?: string;
}

/** The throttle's POST budget here: low, so that the burst queues. */
export const BURST_LIMIT = 3;
export const BURST_SIZE = 5;
export const PAGE_SIZE = 2;

/** Runs the scenario against the fake at `baseUrl` (its v1 API under `${baseUrl}/v1`). */
export async function runScenario(
  baseUrl: string,
  token: string,
  organizationId: string,
): Promise<ScenarioResult> {
  const retriedStatuses: number[] = [];
  const astro = createAstroClient({
    token,
    organizationId,
    baseUrl,
    throttle: { limits: { post: BURST_LIMIT } },
    onEvent: (event: AstroEvent) => {
      if (event.type === "retry" && event.status !== undefined) retriedStatuses.push(event.status);
    },
  });
  const result: Partial<ScenarioResult> = { retriedStatuses };
  try {
    const { data: created } = await astro.createWorkspace({ body: { name: "runtime-0" } });
    result.created = created.name;
    // The fake answers this GetWorkspace 429 once (set up by the test): it is retried.
    const { data: read } = await astro.getWorkspace({ workspaceId: created.id });
    result.read = read.name;

    const burst = Array.from({ length: BURST_SIZE }, (_, i) =>
      astro.createWorkspace({ body: { name: `runtime-${i + 1}` } }),
    );
    // A task later, every call of the burst has reached the throttle (started, or waiting).
    await new Promise((resolve) => setTimeout(resolve, 0));
    result.queuedInBurst = astro.stats().post.queued;
    result.burst = (await Promise.all(burst)).length;

    let listed = 0;
    let pages = 0;
    for await (const page of astro
      .paginate("/organizations/{organizationId}/workspaces", { pageSize: PAGE_SIZE })
      .pages()) {
      pages += 1;
      listed += page.items.filter((workspace) => workspace.name.startsWith("runtime-")).length;
    }
    result.listed = listed;
    result.pages = pages;

    const missing = await astro.getWorkspace({ workspaceId: "clnotthere0000000000000000" }).then(
      () => undefined,
      (error: unknown) => error,
    );
    result.notFound = {
      isNotFoundError: missing instanceof NotFoundError,
      isAstroError: missing instanceof AstroError,
      status: missing instanceof NotFoundError ? missing.status : undefined,
    };

    const controller = new AbortController();
    const pending = astro.getWorkspace({ workspaceId: created.id }, { signal: controller.signal });
    controller.abort();
    const abortError = await pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    result.aborted = { name: (abortError as Error | undefined)?.name ?? "resolved" };
  } catch (error) {
    result.failure = `${(error as Error)?.name}: ${(error as Error)?.message}`;
  } finally {
    await astro.close();
  }
  return result as ScenarioResult;
}
