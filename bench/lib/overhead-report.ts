/** Section 1 of BENCHMARKS.md, the overhead per call, and the ratios the summary reads from it. */
import type { OverheadResult, TaskStats } from "../overhead.js";
import { isMissing, ratio, table, us, verdict, type Maybe } from "./report-format.js";

/** The overhead tasks, by the names bench/overhead.ts gives them. */
export const TASK = {
  timer: "setTimeout(0)",
  bottleneckEmpty: "Bottleneck schedule, empty task",
  throttleEmpty: "throttle.run, empty attempt",
  fetch: "fetch",
  openapi: "openapi-fetch",
  reissued: "openapi-fetch, fetch(url, init) re-issued",
  signals: "… + AbortSignal.timeout + AbortSignal.any",
  rebuilt: "… + body read as text, new Response",
  callFetch: "openapi-fetch, a per-call fetch answering with the server's Response",
  sdkOff: "SDK, throttle off",
  openapiBottleneck: "openapi-fetch + Bottleneck schedule",
  sdkOn: "SDK, throttle on",
  openapiThrottle: "openapi-fetch + throttle.run",
} as const;

export interface OverheadRatios {
  sdkOffVsOpenapi: number;
  sdkOnVsOpenapi: number;
  sdkOnVsOpenapiBottleneck: number;
  throttleVsOpenapi: number;
  /** setTimeout(0) turns one empty Bottleneck schedule costs. */
  timerTurns: number;
}

export function overheadRatios(tasks: Record<string, TaskStats>): OverheadRatios {
  const median = (name: string): number => {
    const task = tasks[name];
    if (!task) throw new Error(`no overhead task named ${name}`);
    return task.medianUs;
  };
  return {
    sdkOffVsOpenapi: median(TASK.sdkOff) / median(TASK.openapi),
    sdkOnVsOpenapi: median(TASK.sdkOn) / median(TASK.openapi),
    sdkOnVsOpenapiBottleneck: median(TASK.sdkOn) / median(TASK.openapiBottleneck),
    throttleVsOpenapi: median(TASK.openapiThrottle) / median(TASK.openapi),
    timerTurns: median(TASK.bottleneckEmpty) / median(TASK.timer),
  };
}

export function overheadSection(result: Maybe<OverheadResult>): string[] {
  if (isMissing(result)) return ["## 1. Overhead per call", "", `Not measured: ${result.missing}`, ""];
  const t = result.tasks;
  const r = overheadRatios(t);
  const get = (name: string): TaskStats => t[name]!;
  const base = get(TASK.openapi).medianUs;
  const rows = Object.values(t).map((task) => [
    task.name,
    String(task.samples),
    us(task.medianUs),
    us(task.p99Us),
    task.name.includes("empty") || task.name === TASK.timer ? "—" : ratio(task.medianUs / base),
  ]);
  const throttleCost = get(TASK.sdkOn).medianUs - get(TASK.sdkOff).medianUs;
  const wrapCost = get(TASK.sdkOff).medianUs - base;
  return [
    "## 1. Overhead per call",
    "",
    "Sequential `GET /organizations` calls to a local keep-alive `node:http` server in another process, " +
      "every call timed, each with the same `Authorization: Bearer` header the SDK sends (a call to the API " +
      "needs it, so bare `fetch` and openapi-fetch carry it too)" +
      (result.warmupTurns === undefined
        ? ". "
        : `, after ${result.warmupTurns} untimed calls of each row (so that no row is timed while it compiles). `) +
      `The rows that call the server take turns, one call each in a new order each turn ` +
      `(${result.turns} turns), so that a change of load, or a collection of the garbage any of them left, ` +
      "falls on all of them alike (blocks of one row at a time moved the ratios by ±5% from run to run); " +
      `the others run in ${result.rounds} rounds of ${Math.round(result.timePerTaskMs / result.rounds)} ms blocks. ` +
      "µs per call, median and p99 over all the calls of a row. " +
      "_Throttle on_ uses limits far above the rate reached (1,000,000/s), so no call ever waits for budget: " +
      "what remains is the limiter's own cost.",
    "",
    table(["path", "calls", "median µs", "p99 µs", "median ÷ openapi-fetch"], rows),
    "",
    table(
      ["ratio (medians)", "value", "goal", ""],
      [
        [
          "SDK, throttle off ÷ openapi-fetch",
          ratio(r.sdkOffVsOpenapi),
          "≤ 1.10",
          verdict(r.sdkOffVsOpenapi <= 1.1),
        ],
        [
          "SDK, throttle on, budget free ÷ openapi-fetch",
          ratio(r.sdkOnVsOpenapi),
          "≤ 1.10",
          verdict(r.sdkOnVsOpenapi <= 1.1),
        ],
        ["openapi-fetch + throttle.run ÷ openapi-fetch", ratio(r.throttleVsOpenapi), "—", ""],
        [
          "SDK, throttle on ÷ (openapi-fetch + Bottleneck schedule)",
          ratio(r.sdkOnVsOpenapiBottleneck),
          "—",
          "",
        ],
      ],
    ),
    "",
    "### Where the time goes",
    "",
    `- **Throttling costs ${us(throttleCost)} µs per call** (throttle on − off), ` +
      `and the throttle alone — \`throttle.run\` with an empty attempt — ${us(get(TASK.throttleEmpty).medianUs)} µs: ` +
      "a call that finds budget with nobody waiting takes its unit and starts in the same tick " +
      "(`src/throttle/window.ts`). What it does: while the budget is below its limit even counting held " +
      "units that may have come back, with no 429 heeded, one comparison and one ticket object, without " +
      "reading the clock; nearer the limit, one `performance.now()` and dropping the units whose window has " +
      "passed from the front of a sorted array. Then one clock read when the response arrives, and when the " +
      "attempt settles one sorted insert of the moment its unit comes back; no timer unless a call waits. " +
      "With a real attempt in it (openapi-fetch + `throttle.run`: " +
      `${us(get(TASK.openapiThrottle).medianUs - base)} µs over bare openapi-fetch) it also pays for the promise ` +
      "that ends the ticket when the attempt settles (the SDK's calls take their ticket from `Throttle.acquire` " +
      "instead and end it themselves). The gap between the empty attempt and the per-call rows is mostly cold " +
      "code: timed in a loop, the throttle's code and data stay in the CPU's caches; between real calls the " +
      "other rows' calls and undici run in between, so each function and object of the path is fetched again. " +
      "That is why the hot path touches one object per attempt (the ticket is the budget's own), reads the " +
      "clock once per answered attempt and calls as few functions as it can.",
    `- **Why the in-process limiter is no longer Bottleneck.** An empty Bottleneck \`schedule\` takes ` +
      `${us(get(TASK.bottleneckEmpty).medianUs)} µs, ${r.timerTurns.toFixed(1)}× one \`setTimeout(0)\` turn ` +
      `(${us(get(TASK.timer).medianUs)} µs: Node clamps 0 to 1 ms): its \`LocalDatastore\` waits for a timer turn ` +
      "in `__submit__`, `__register__`, the job's start and `__free__`, on every call, whether or not it had to " +
      `wait; openapi-fetch through it ran at ${ratio(get(TASK.openapiBottleneck).medianUs / base)}× bare ` +
      "openapi-fetch. Those turns guard nothing — the invariant comes from the accounting, a unit per attempt " +
      "given back a window after the server surely had the request — so the accounting is kept synchronously. " +
      "Bottleneck stays where it earns its place: sharing a budget between processes through Redis (section 4), " +
      "where each call needs a round trip to Redis anyway.",
    `- **Wrapping costs ${us(wrapCost)} µs per call** (SDK throttle off − openapi-fetch). The ladder of rows built ` +
      "on bare openapi-fetch adds, one at a time, the kinds of work the transport does around `fetch`: " +
      `re-issuing the request as \`fetch(url, init)\` (${us(get(TASK.reissued).medianUs)} µs: undici parses the URL ` +
      "and validates the headers again, after openapi-fetch built a `Request` of its own; the SDK gives openapi-fetch " +
      "a `Request` class that builds nothing for a plain call, `src/transport/planned-request.ts`, so the " +
      "`fetch(url, init)` of `src/transport/attempt.ts` builds the call's only `Request`), a " +
      `per-attempt timeout combined with the caller's signal (${us(get(TASK.signals).medianUs)} µs with ` +
      "`AbortSignal.timeout` + `AbortSignal.any`; `attempt.ts` uses one `AbortController`, reused by a later " +
      "attempt when nothing aborted it (Node 20 builds each `AbortSignal` as a transferable object, about 2 µs, " +
      "`src/transport/controllers.ts`), listens to the caller's signal only when there is one, and keeps every " +
      "attempt's timeout on one process-wide timer, " +
      "`src/transport/deadlines.ts`: a timer per attempt cost about 3% of a call), and reading the body as text and handing openapi-fetch a new " +
      `\`Response\` (${us(get(TASK.rebuilt).medianUs)} µs; the transport reads the body once in \`attempt.ts\`, ` +
      "parses it once in `src/transport/decide.ts` and answers openapi-fetch with the server's own `Response`, " +
      "which it is told not to parse, so the ladder's last steps bound its cost from above). " +
      `The floor of this design — a per-call \`fetch\` answering openapi-fetch with the server's \`Response\` ` +
      "(not a middleware: openapi-fetch gives each middleware an id, a frozen options object and an argument " +
      "object per call), " +
      "doing only what every attempt must (a token, a signal to abort it by, the body read once and parsed) — " +
      `measures ${ratio(get(TASK.callFetch).medianUs / base)}× openapi-fetch ` +
      `(${us(get(TASK.callFetch).medianUs - base)} µs); the SDK's own work on top of it is ` +
      `${us(get(TASK.sdkOff).medianUs - get(TASK.callFetch).medianUs)} µs: its User-Agent (undici validates, ` +
      "copies and writes each header), checking the call's arguments (path parameters only for a template " +
      "that has some), the manifest lookup, the attempt's deadline and outcome, the retry policy's decision and " +
      "the async frames of the call, the loop and the attempt (a call without a signal starts its first attempt " +
      "in its own tick; one with a signal a microtask later, so an abort in that tick sends nothing).",
    "",
  ];
}
