/**
 * #14 class 5: every failure is an AstroError. No raw SyntaxError, TypeError or RangeError from a
 * response the SDK could not parse or an option it could not use; a 2xx without the declared JSON
 * body is InvalidResponseError whatever its status; an operation that declares no body succeeds
 * whatever a 2xx carries.
 */
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AstroConfigError,
  AstroError,
  InvalidResponseError,
  createAstroClient,
  type AstroClientOptions,
} from "../../../src/v1beta1/index.js";
import { clientFor, rejection, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";
import { until } from "../../helpers/redis-server.js";

const ctx = useRecordingServer();
const deployment = { params: { path: { organizationId: "o", deploymentId: "d" } } };

/** Settles a call: its data, or what it threw. */
async function outcomeOf(
  call: () => Promise<unknown>,
): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe("responses", () => {
  it("any status with any body either resolves or rejects with an AstroError", async () => {
    const bodies = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.json(), fc.constant(""));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        bodies,
        fc.boolean(),
        async (status, body, jsonType) => {
          ctx.server.handle((_, res) => {
            res.writeHead(status, { "content-type": jsonType ? "application/json" : "text/plain" });
            res.end([204, 205, 304].includes(status) ? undefined : body);
          });
          const astro = clientFor(ctx.server, { throttle: false, maxRetries: 0 });
          for (const call of [
            () => astro.platform.GET("/organizations"),
            () =>
              astro.platform.DELETE("/organizations/{organizationId}/deployments/{deploymentId}", deployment),
          ]) {
            const result = await outcomeOf(call);
            if (!result.ok) expect(result.error).toBeInstanceOf(AstroError);
          }
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it("a 2xx without the declared JSON body is InvalidResponseError, 204 included", async () => {
    for (const [status, body] of [
      [204, undefined],
      [200, ""],
      [201, "   "],
      [202, "not json"],
      [200, '{"truncated":'],
    ] as const) {
      ctx.server.handle((_, res) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      });
      const error = await rejection(
        clientFor(ctx.server, { throttle: false }).platform.GET("/organizations"),
      );
      expect(error, `${status} ${String(body)}`).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status });
    }
  });

  it("a 2xx JSON body over 64 MiB is InvalidResponseError, not read past the bound: declared, chunked or gzip", async () => {
    // Valid JSON of 65 MiB: read whole, it would be a success (and any length, memory for it).
    const huge = `{"organizations":[],"pad":"${"x".repeat(65 * 1024 * 1024)}"}`;
    const gzipped = gzipSync(huge);
    for (const how of ["content-length", "chunked", "gzip"] as const) {
      let closedEarly = false;
      ctx.server.handle((_, res) => {
        if (how === "gzip") {
          // 65 KiB on the wire: a decompression bomb, bounded by what it inflates to.
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
          res.end(gzipped);
          return;
        }
        res.writeHead(200, {
          "content-type": "application/json",
          ...(how === "content-length" ? { "content-length": Buffer.byteLength(huge) } : {}),
        });
        if (how === "content-length") res.end(huge);
        else {
          // Chunked and endless: the client must stop reading by itself.
          res.on("close", () => (closedEarly = true));
          const more = () => {
            while (!closedEarly && res.write(Buffer.alloc(1024 * 1024, 0x20)));
            if (!closedEarly) res.once("drain", more);
          };
          res.write('{"organizations":[],"pad":');
          more();
        }
      });
      const error = await rejection(
        clientFor(ctx.server, { throttle: false, maxRetries: 0 }).platform.GET("/organizations"),
      );
      expect(error, how).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(/a body over 64 MiB/);
      // The client closed the endless body's connection.
      if (how === "chunked") await until(() => closedEarly);
    }
  });

  it("an operation that declares no body succeeds whatever a 2xx carries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 201, 202, 204),
        fc.string({ maxLength: 100 }),
        async (status, body) => {
          ctx.server.handle((_, res) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(status === 204 ? undefined : body);
          });
          const { data, response } = await clientFor(ctx.server, { throttle: false }).platform.DELETE(
            "/organizations/{organizationId}/deployments/{deploymentId}",
            deployment,
          );
          expect(data).toBeUndefined();
          expect(response.status).toBe(status);
        },
      ),
      { numRuns: runs(40) },
    );
  });
});

describe("options and arguments", () => {
  it("createAstroClient either builds a client or throws AstroConfigError, whatever it is given", () => {
    const anything = fc.anything({ maxDepth: 2 });
    const options = fc.record(
      {
        token: fc.oneof(fc.constant("tok"), anything),
        organizationId: anything,
        baseUrl: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), anything),
        urls: fc.oneof(fc.record({ platform: fc.webUrl(), iam: anything }, { requiredKeys: [] }), anything),
        fetch: anything,
        timeoutMs: fc.oneof(fc.double(), anything),
        maxRetries: fc.oneof(fc.double(), anything),
        initialDelayMs: fc.oneof(fc.double(), anything),
        maxDelayMs: fc.oneof(fc.double(), anything),
        maxRetryAfterMs: fc.oneof(fc.double(), anything),
        throttle: fc.constantFrom(false, undefined, {}, null, "on", 5),
        userAgent: anything,
        onEvent: anything,
        logger: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(options, anything), (given) => {
        try {
          createAstroClient(given as AstroClientOptions);
        } catch (error) {
          expect(error).toBeInstanceOf(AstroConfigError);
        }
      }),
      { numRuns: runs(500) },
    );
  });

  it("call arguments the SDK cannot use are AstroConfigError, and nothing is sent", async () => {
    const astro = clientFor(ctx.server, { organizationId: "o", throttle: false });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const attempts: [string, () => Promise<unknown>][] = [
      ["a BigInt in the body", () => astro.iam.createTeam({ body: { name: 1n as never } })],
      ["a circular body", () => astro.iam.createTeam({ body: circular as never })],
      [
        "a header value with a newline",
        () => astro.platform.GET("/organizations", { headers: { "x-a": "a\nb" } }),
      ],
      ["a signal that is not one", () => astro.platform.GET("/organizations", { signal: "stop" as never })],
      ["null options", () => astro.platform.GET("/organizations", null as never)],
      ["null arguments", () => astro.platform.listClusters(null as never)],
      ["a string for options", () => astro.platform.listClusters({}, "fast" as never)],
      ["a path that is not a string", () => astro.platform.GET(42 as never)],
      [
        "a nested query object",
        () => astro.platform.GET("/organizations", { params: { query: { a: { b: { c: 1 } } } } } as never),
      ],
      [
        "per-call timeoutMs beyond a timer",
        () => astro.platform.GET("/organizations", { timeoutMs: 2 ** 31 }),
      ],
      ["per-call maxRetries of -1", () => astro.platform.GET("/organizations", { maxRetries: -1 })],
      [
        "paginate with null",
        async () => astro.platform.paginate("/organizations/{organizationId}/deployments", null as never),
      ],
      [
        "collect(null)",
        () => astro.platform.paginate("/organizations/{organizationId}/deployments").collect(null as never),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const result = await outcomeOf(attempt);
      expect(result.ok, what).toBe(false);
      if (!result.ok) expect(result.error, what).toBeInstanceOf(AstroConfigError);
    }
    expect(ctx.server.received).toHaveLength(0);
  });
});
