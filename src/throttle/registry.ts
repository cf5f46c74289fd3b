import type { DelayBounds } from "./arrival.js";
import type { MethodClass } from "./limits.js";
import { WindowLimiter } from "./window.js";
import { isMap, processGlobal } from "../internal/process-global.js";

// v3: a swept budget is marked `swept` (v2 counted sweeps instead), and its tickets changed;
// copies of this module that disagree on that must not share the map. The price: a process that
// loads releases of the package on either side of the change keeps a budget in each, so the same
// token may then send up to twice its limit.
const BUDGETS = Symbol.for("astro-api-client.throttle.budgets.v3");

/**
 * The in-process budgets by `tokenHash:class`, one per token hash and method class, whichever
 * client asks: clients built with the same token share it, and differing options never double it
 * (the strictest limit, window and delay assumptions win, see `WindowLimiter.join`).
 */
// On `globalThis` under a registered symbol, not in module state: the published package bundles
// each entry ("astro-api-client", "astro-api-client/v1beta1") in ESM and CJS, and a process that
// loads more than one copy of this module must still keep one budget per token.
// Kept by this copy alone when what is there is no Map or `globalThis` is frozen (internal/process-global.ts).
const budgets = processGlobal(BUDGETS, () => new Map<string, WindowLimiter>(), isMap<string, WindowLimiter>);

/** What a client asks of a budget: its limit per window, and its delay assumptions. */
export interface BudgetTerms {
  readonly limit: number;
  readonly windowMs: number;
  readonly bounds: DelayBounds;
}

/** What a client with a known token asked for a budget before its first call (`declareBudget`). */
interface Declaration extends BudgetTerms {
  readonly user: { deref(): object | undefined };
}

/**
 * Declarations hold their client weakly where the runtime has WeakRef. Cloudflare Workers have
 * none: there a declaration is held for the isolate's life, once per distinct terms (so clients
 * made per request add nothing), and the strictest terms ever declared keep constraining.
 */
const WEAK = typeof WeakRef === "function";
function hold(user: object): Declaration["user"] {
  return WEAK ? new WeakRef(user) : { deref: () => user };
}

// Beside the budgets, under a symbol of its own: a budget that is swept (or made by a client that
// calls first) must still start from the strictest terms of every live client of that token.
const DECLARATIONS = Symbol.for("astro-api-client.throttle.declarations.v1");
const declarations = processGlobal(
  DECLARATIONS,
  () => new Map<string, Declaration[]>(),
  isMap<string, Declaration[]>,
);

/** Budgets are swept when the map reaches this size: twice what was in use at the last sweep. */
let sweepAt = 64;

/**
 * Forgets every budget with nothing busy, held, waiting or backing off: a service that sees
 * thousands of tokens over a day keeps only those in use (memory ≤ about twice that, plus 64).
 * Amortised O(1) per new budget, and no timer.
 */
function sweep(): void {
  const now = performance.now();
  for (const [key, budget] of budgets) {
    if (!budget.idle(now)) continue;
    budget.swept = true;
    budgets.delete(key);
  }
  for (const [key, list] of declarations) {
    const live = list.filter((declaration) => declaration.user.deref() !== undefined);
    if (live.length === 0) declarations.delete(key);
    else if (live.length < list.length) declarations.set(key, live);
  }
  sweepAt = Math.max(64, budgets.size * 2);
}

/** The process-wide budget of `tokenHash` and `cls`, joined by `user` with its options. */
export function localBudget(
  tokenHash: string,
  cls: MethodClass,
  user: object,
  terms: BudgetTerms,
): WindowLimiter {
  const { limit, windowMs, bounds } = terms;
  const key = `${tokenHash}:${cls}`;
  let budget = budgets.get(key);
  if (!budget) {
    if (budgets.size >= sweepAt) sweep();
    budget = new WindowLimiter(limit, windowMs, bounds);
    budgets.set(key, budget);
    for (const declared of declarations.get(key) ?? []) {
      const other = declared.user.deref();
      if (other) budget.join(other, declared.limit, declared.windowMs, declared.bounds);
    }
  }
  budget.join(user, limit, windowMs, bounds);
  return budget;
}

/**
 * A client built with a constant token declares its terms at construction, so the strictest
 * limit of every client of that token holds from the first call of any of them — not only once
 * the strict client has called (a looser client calling first would otherwise fill a window past
 * the strict limit). Held weakly: a client that is gone no longer constrains anybody.
 */
export function declareBudget(tokenHash: string, cls: MethodClass, user: object, terms: BudgetTerms): void {
  const key = `${tokenHash}:${cls}`;
  const list = declarations.get(key) ?? [];
  const same = (d: Declaration) =>
    d.limit === terms.limit &&
    d.windowMs === terms.windowMs &&
    d.bounds.min === terms.bounds.min &&
    d.bounds.max === terms.bounds.max;
  if (WEAK || !list.some(same)) list.push({ ...terms, user: hold(user) });
  declarations.set(key, list);
  budgets.get(key)?.join(user, terms.limit, terms.windowMs, terms.bounds);
}

/** The budgets `user` has joined that are still kept, by method class. */
export function* budgetsOf(user: object): Generator<[MethodClass, WindowLimiter]> {
  for (const [key, budget] of budgets) {
    if (budget.users.has(user)) yield [key.slice(key.lastIndexOf(":") + 1) as MethodClass, budget];
  }
}

/** How many budgets the process keeps (for tests of class 10, memory bounded by what is in use). */
export function keptBudgets(): number {
  return budgets.size;
}
