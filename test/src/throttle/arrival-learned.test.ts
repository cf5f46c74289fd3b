/*
 * `networkDelayMs: "learned"` (the default) against `"unknown"` (strict), on a simulated network
 * and server driven by a fake clock (the algorithm, not HTTP, is under test; the HTTP-level tests
 * are in the other files). Each request reaches the "server" a drawn one-way delay after it was
 * sent, is processed, and its answer takes another drawn delay back; the server enforces the limit
 * on a sliding 1,000 ms of arrivals and answers 429 (Retry-After 1 s) beyond it, which the caller
 * retries through the throttle as the SDK does. Delays are drawn from a stream of random numbers
 * that fast-check generates (and does not shrink): the space explored is the network's (floors,
 * jitter, processing), not one adversarial sequence of draws (a network whose jitter is chosen against the estimate is the
 * documented residual risk, docs/throttle.md).
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { NetworkDelayOption } from "../../../src/throttle/arrival.js";
import type { MethodClass } from "../../../src/throttle/limits.js";
import { BASE_SHARE, NetworkPath, SHARE_STEP } from "../../../src/throttle/round-trips.js";
import { Throttle } from "../../../src/throttle/throttle.js";
import { maxInWindow } from "../../helpers/windows.js";
import { runs } from "../../helpers/depth.js";

/** A range of milliseconds, drawn uniformly. */
type Range = readonly [number, number];

interface Network {
  upMs: Range;
  downMs: Range;
  processingMs: Range;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A simulated API: arrivals per class, and its own limit (sliding 1,000 ms of accepted arrivals). */
class Server {
  readonly arrivals: number[] = [];
  readonly accepted: number[] = [];
  refused = 0;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A request arrives now: whether it is accepted. */
  arrive(at: number): boolean {
    this.arrivals.push(at);
    const inWindow = this.accepted.filter((t) => at - t < 1000).length;
    if (inWindow >= this.#limit) {
      this.refused += 1;
      return false;
    }
    this.accepted.push(at);
    return true;
  }
}

let unique = 0;

/** Draws in [0, 1) for the examples that are not properties: a fixed, evenly spread sequence. */
function* fixedDraws(): Generator<number> {
  for (let i = 0; ; i++) yield (i * 0.618034) % 1;
}

/** The random numbers a property's network draws from. */
const draws = () =>
  fc.infiniteStream(fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000));

/** Drives a throttle against a simulated network and server. */
class Simulation {
  readonly throttle: Throttle;
  readonly token = `learned-${++unique}`;
  readonly servers: Record<MethodClass, Server>;
  readonly #random: () => number;
  network: Network;

  constructor(
    option: NetworkDelayOption | undefined,
    limit: number,
    network: Network,
    random: Iterator<number> = fixedDraws(),
  ) {
    const limits = { get: limit, post: limit, delete: limit };
    this.throttle = new Throttle(option === undefined ? { limits } : { limits, networkDelayMs: option });
    this.servers = { get: new Server(limit), post: new Server(limit), delete: new Server(limit) };
    this.network = network;
    this.#random = () => random.next().value as number;
  }

  #draw([min, max]: Range): number {
    return min + this.#random() * (max - min);
  }

  /** One call: attempts until the server accepts it (a 429 is retried after its Retry-After). */
  async call(cls: MethodClass, processing?: Range): Promise<void> {
    for (;;) {
      const accepted = await this.throttle.run(this.token, cls, (ticket) => {
        ticket.sent();
        const up = this.#draw(this.network.upMs);
        const work = this.#draw(processing ?? this.network.processingMs);
        const down = this.#draw(this.network.downMs);
        return new Promise<boolean>((resolve) => {
          setTimeout(() => {
            const ok = this.servers[cls].arrive(performance.now());
            setTimeout(
              () => {
                if (ok) ticket.answered();
                else ticket.rateLimited(1000);
                resolve(ok);
              },
              (ok ? work : 0) + down,
            );
          }, up);
        });
      });
      if (accepted) return;
      await wait(1000);
    }
  }

  /** Runs `calls` to completion, advancing the fake clock. */
  async settle(calls: Promise<void>[]): Promise<void> {
    let done = 0;
    for (const c of calls) void c.then(() => (done += 1));
    for (let i = 0; i < 2000 && done < calls.length; i++) await vi.advanceTimersByTimeAsync(50);
    expect(done).toBe(calls.length);
  }

  /** `n` calls of `cls` queued at once. */
  async burst(cls: MethodClass, n: number, processing?: Range): Promise<void> {
    await this.settle(Array.from({ length: n }, () => this.call(cls, processing)));
  }

  /** A few calls one after another (a job that lists before it creates), then a window for their units to come back. */
  async sequential(cls: MethodClass, n: number): Promise<void> {
    const run = async () => {
      for (let i = 0; i < n; i++) await this.call(cls);
    };
    await this.settle([run()]);
    await vi.advanceTimersByTimeAsync(1100);
  }
}

/** Achieved ÷ allowed over accepted arrivals from index `from`: the shortest makespan the limit allows ÷ the measured. */
function ratio(accepted: readonly number[], limit: number, from = 0): number {
  const times = [...accepted].sort((a, b) => a - b).slice(from);
  const ideal = (Math.ceil(times.length / limit) - 1) * 1000;
  return ideal / (times.at(-1)! - times[0]!);
}

/** One-way delays of `floor` to `floor + jitter`, the same spread both ways. */
const network = (floor: number, jitter: number, processing: Range = [0, 0]): Network => ({
  upMs: [floor, floor + jitter],
  downMs: [floor, floor + jitter],
  processingMs: processing,
});

const LIMIT = 25;
const WINDOWS = 8;

describe('networkDelayMs: "learned" (default) and "unknown" on a simulated far API', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('"unknown" is unchanged: never a window over at arrival, whatever the delays, jitter and processing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 2000 }),
        draws(),
        async (floor, jitter, processing, random) => {
          const sim = new Simulation("unknown", 5, network(floor, jitter, [0, processing]), random);
          await sim.sequential("get", 10);
          await sim.burst("get", 5 * 4);
          expect(maxInWindow(sim.servers.get.arrivals, 1000)).toBeLessThanOrEqual(5);
          expect(sim.servers.get.refused).toBe(0);
        },
      ),
      { numRuns: runs(40) },
    );
  }, 120_000);

  it("the default reaches ≥ 0.90 of the limit with stable round trips, GETs and slow creates alike, with ≤ 2% 429s", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 50 }),
        draws(),
        async (floor, jitter, random) => {
          const sim = new Simulation(undefined, LIMIT, network(floor, jitter), random);
          // A job lists before it creates: the GETs teach the path's spread.
          await sim.sequential("get", 10);
          await sim.burst("get", LIMIT * WINDOWS);
          // Creates that take 1–2 s at the server: the way there is the GETs', their units do
          // not wait for the answer.
          await sim.burst("post", LIMIT * WINDOWS, [1000, 2000]);
          for (const cls of ["get", "post"] as const) {
            const server = sim.servers[cls];
            const from = cls === "get" ? 10 : 0;
            expect(ratio(server.accepted, LIMIT, from)).toBeGreaterThanOrEqual(0.9);
            expect(server.refused).toBeLessThanOrEqual(0.02 * server.arrivals.length);
          }
        },
      ),
      { numRuns: runs(25) },
    );
  }, 300_000);

  it('without round trips learnt yet, the default waits for answers as "unknown" does', async () => {
    // A few round trips, fewer than it needs, then a burst of slow creates.
    const learned = new Simulation(undefined, LIMIT, network(50, 50, [1000, 2000]));
    await learned.sequential("get", 7);
    await learned.burst("post", LIMIT * 3);
    const strict = new Simulation("unknown", LIMIT, network(50, 50, [1000, 2000]));
    await strict.sequential("get", 7);
    await strict.burst("post", LIMIT * 3);
    // The first window's units are held until their answers: 1–2 s of processing each.
    const firstTurn = (s: Simulation) => {
      const times = [...s.servers.post.accepted].sort((a, b) => a - b);
      return times[LIMIT]! - times[0]!;
    };
    expect(firstTurn(learned)).toBeGreaterThanOrEqual(2000);
    expect(firstTurn(learned)).toBe(firstTurn(strict));
  }, 60_000);

  it("falls back towards waiting for answers when jitter appears, and keeps the window at the server", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 100 }),
        fc.integer({ min: 200, max: 600 }),
        draws(),
        async (floor, jitter, random) => {
          const sim = new Simulation(undefined, LIMIT, network(floor, 10), random);
          await sim.sequential("get", 10);
          await sim.burst("get", LIMIT * 4);
          const stable = ratio(sim.servers.get.accepted, LIMIT, 10);
          // Jitter appears: the estimate widens as its round trips come in.
          sim.network = network(floor, jitter);
          const before = sim.servers.get.accepted.length;
          await sim.burst("get", LIMIT * 6);
          const jittery = ratio(sim.servers.get.accepted, LIMIT, before + 2 * LIMIT);
          // Each turn now lasts about a window plus half the round trips' new spread (≈ the jitter).
          expect(jittery).toBeLessThan(stable);
          expect(jittery).toBeLessThanOrEqual(1000 / (1000 + jitter / 2));
          // Learnt: from two windows into the jitter, no window over at the server.
          const late = sim.servers.get.arrivals.slice(before + 2 * LIMIT);
          expect(maxInWindow(late, 1000)).toBeLessThanOrEqual(LIMIT);
        },
      ),
      { numRuns: runs(15) },
    );
  }, 300_000);

  it("a 429 makes it take more of the measured spread, then calm brings it back", async () => {
    // The way there fixed, the way back spread over 400 ms: arrivals show the turns exactly.
    const sim = new Simulation(undefined, 1, { upMs: [50, 50], downMs: [50, 450], processingMs: [0, 0] });
    await sim.sequential("get", 20);
    const turn = async () => {
      const before = sim.servers.get.accepted.length;
      await sim.burst("get", 3);
      const times = sim.servers.get.accepted.slice(before);
      return (times[2]! - times[0]!) / 2;
    };
    const calm = await turn();
    // Another process sharing the token made the server refuse one: without Retry-After, only the
    // spread taken (and the ceiling, already 1) respond.
    await sim.settle([
      sim.throttle.run(sim.token, "get", async (ticket) => {
        ticket.sent();
        await wait(100);
        ticket.rateLimited(undefined);
      }),
    ]);
    const after = await turn();
    expect(after).toBeGreaterThan(calm + 50);
    await vi.advanceTimersByTimeAsync(60_000);
    await sim.sequential("get", 2);
    expect(await turn()).toBeLessThan(after);
  }, 60_000);
});

describe("NetworkPath", () => {
  it("takes the least spread class: a slow create's processing is not network delay", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 100, max: 200, noNaN: true }), { minLength: 8, maxLength: 64 }),
        fc.array(fc.double({ min: 1100, max: 2200, noNaN: true }), { minLength: 8, maxLength: 64 }),
        (gets, posts) => {
          const path = new NetworkPath();
          for (const ms of posts) path.of("post").record(ms, 0);
          const postsOnly = path.oneWaySpread();
          for (const ms of gets) path.of("get").record(ms, 0);
          const spread = Math.max(...gets) - Math.min(...gets);
          const n = gets.length;
          expect(path.oneWaySpread()).toBeCloseTo((BASE_SHARE * spread * (n + 1)) / (n - 1), 6);
          expect(path.oneWaySpread()).toBeLessThanOrEqual(postsOnly);
        },
      ),
    );
  });

  it("knows nothing before 8 round trips, and a 429 raises the share once per window", () => {
    const path = new NetworkPath();
    for (let i = 0; i < 7; i++) path.of("get").record(100 + i, i);
    expect(path.oneWaySpread()).toBe(Infinity);
    path.of("get").record(110, 8);
    const learnt = path.oneWaySpread();
    expect(learnt).toBeGreaterThan(0);
    path.rateLimited(1000, 1005);
    path.rateLimited(1500, 1005);
    expect(path.share).toBe(BASE_SHARE + SHARE_STEP);
    expect(path.oneWaySpread()).toBeCloseTo((learnt * (BASE_SHARE + SHARE_STEP)) / BASE_SHARE, 6);
  });
});
