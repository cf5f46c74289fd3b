import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroEvent } from "../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";

const TOKEN = "astro-SECRET-8f2b1c9d4e7a";

const ctx = useRecordingServer();

/** Every surface a token could leak through, as text. */
function surfaces(value: unknown): string[] {
  const error = value as Error & { toJSON?: () => unknown };
  return [
    String(error.message),
    String(error.stack),
    JSON.stringify(value),
    JSON.stringify(error.toJSON?.()),
    inspect(value, { depth: 10, showHidden: true }),
    inspect((value as { cause?: unknown }).cause, { depth: 10 }),
  ];
}

describe("the token never leaks", () => {
  const events: AstroEvent[] = [];
  const logged: unknown[][] = [];
  const logger = {
    debug: (...args: unknown[]) => logged.push(args),
    warn: (...args: unknown[]) => logged.push(args),
  };
  let astro: ReturnType<typeof createAstroClient>;
  beforeAll(() => {
    astro = clientFor(ctx.server, { token: TOKEN, onEvent: (e) => events.push(e), logger, maxRetries: 1 });
  });

  it("is sent, and only in the Authorization header", async () => {
    ctx.server.handle((_, res) => json(res, 200, { organizations: [] }));
    await astro.platform.GET("/organizations");
    const request = ctx.server.received.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.url).not.toContain(TOKEN);
  });

  it("not in API errors, even when the server echoes it back", async () => {
    ctx.server.handle((req, res) =>
      json(
        res,
        401,
        { message: `token ${req.headers.authorization} is invalid`, requestId: "r1" },
        { "x-echo": String(req.headers.authorization) },
      ),
    );
    const error = await rejection(astro.platform.GET("/organizations"));
    expect(error.message).toContain("token Bearer [REDACTED] is invalid");
    for (const text of surfaces(error)) expect(text).not.toContain(TOKEN);
  });

  it("not in a plain-text echo on a 5xx after retries", async () => {
    ctx.server.handle((req, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end(`upstream rejected ${String(req.headers.authorization)}`);
    });
    const error = await rejection(astro.platform.GET("/organizations"));
    for (const text of surfaces(error)) expect(text).not.toContain(TOKEN);
  });

  it("not in timeout or connection errors", async () => {
    ctx.server.handle(() => undefined);
    const timeout = await rejection(
      clientFor(ctx.server, { token: TOKEN, timeoutMs: 50, maxRetries: 0 }).platform.GET("/organizations"),
    );
    for (const text of surfaces(timeout)) expect(text).not.toContain(TOKEN);
    const refused = await rejection(
      createAstroClient({
        token: TOKEN,
        urls: { platform: "http://127.0.0.1:9", iam: "http://127.0.0.1:9" },
        maxRetries: 0,
      }).platform.GET("/organizations"),
    );
    for (const text of surfaces(refused)) expect(text).not.toContain(TOKEN);
  });

  it("not in events or log lines", () => {
    expect(events.length).toBeGreaterThan(3);
    expect(logged.length).toBeGreaterThan(3);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(inspect(logged, { depth: 10 })).not.toContain(TOKEN);
  });

  it("not in util.inspect or JSON of the client", () => {
    expect(inspect(astro, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(inspect(astro)).toMatch(/^AstroClient \{ platform: http/);
    expect(JSON.stringify(astro)).not.toContain(TOKEN);
  });

  it("redaction never touches success data, however short the token", async () => {
    ctx.server.handle((_, res) => json(res, 200, { organizations: [], limit: 1, offset: 0, totalCount: 0 }));
    const { data } = await clientFor(ctx.server, { token: "t" }).platform.GET("/organizations");
    expect(data).toEqual({ organizations: [], limit: 1, offset: 0, totalCount: 0 });
  });

  it("not in option-validation errors", () => {
    for (const bad of [`${TOKEN} `, `${TOKEN}\n`, `\t${TOKEN}`]) {
      const error = (() => {
        try {
          createAstroClient({ token: bad });
        } catch (e) {
          return e;
        }
        throw new Error("accepted");
      })();
      for (const text of surfaces(error)) expect(text).not.toContain(TOKEN);
    }
  });

  it("not in the error of a token function that returns garbage", async () => {
    const error = await rejection(
      clientFor(ctx.server, { token: () => `${TOKEN} x` }).platform.GET("/organizations"),
    );
    for (const text of surfaces(error)) expect(text).not.toContain(TOKEN);
  });
});
