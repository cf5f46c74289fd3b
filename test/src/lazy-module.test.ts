/** `lazyModule` (src/internal/lazy-module.ts): the workflows and the Redis limiter load through it. */
import { describe, expect, it } from "vitest";
import { lazyModule } from "../../src/internal/lazy-module.js";

describe("lazyModule", () => {
  it("loads once for every use, concurrent or later", async () => {
    let loads = 0;
    const load = lazyModule(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toBe(a);
    expect(loads).toBe(1);
  });

  it("tries again after a failed load instead of failing every later use", async () => {
    let loads = 0;
    const load = lazyModule(async () => {
      if (++loads === 1) throw new Error("chunk not delivered");
      return "module";
    });
    await expect(load()).rejects.toThrow("chunk not delivered");
    await expect(load()).resolves.toBe("module");
    await expect(load()).resolves.toBe("module");
    expect(loads).toBe(2);
  });
});
