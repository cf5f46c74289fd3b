/**
 * The v1 client against a recording server: where it sends (`/v1/...`), what it sends with every
 * request (`Authorization`, `X-API-Version`), the `apiVersion` and `baseUrl` variants, every v1
 * operation as a method, the workflow methods and their events, and `fieldErrors` of a v1 400.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { operationsByDocument, specs } from "../../generated/operations.js";
import {
  AstroConfigError,
  BadRequestError,
  createAstroClient,
  operations,
  PINNED_API_VERSION,
  type AstroClientOptions,
  type AstroEvent,
} from "../../src/index.js";
import { json, rejection, useRecordingServer, v1ClientFor } from "../helpers/client.js";
import { callEveryOperation } from "../helpers/operation-calls.js";

const TOKEN = "v1-test-token";
const ctx = useRecordingServer((req, res) => {
  if (req.method === "DELETE") {
    res.writeHead(204);
    res.end();
  } else json(res, 200, {});
});

const v1 = (options: AstroClientOptions = {}) => v1ClientFor(ctx.server, TOKEN, options);

describe("v1 requests", () => {
  it("go to /v1/... with Authorization and the pinned X-API-Version", async () => {
    await v1().listDeployments({ limit: 5 });
    const [sent] = ctx.server.received;
    expect(sent!.url).toBe("/v1/organizations/org/deployments?limit=5");
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent!.headers["x-api-version"]).toBe("1.0");
    // The pin comes from the manifest (the document's minor), not from a literal in the client.
    expect(PINNED_API_VERSION).toBe(specs.v1.apiVersion);
  });

  it("send another minor when asked, and none for latest", async () => {
    await v1({ apiVersion: "1.7" }).getSelfUser();
    await v1({ apiVersion: "latest" }).getSelfUser();
    await v1({ apiVersion: "1.0" }).GET("/users/self");
    expect(ctx.server.received.map((r) => [r.url, r.headers["x-api-version"]])).toEqual([
      ["/v1/users/self", "1.7"],
      ["/v1/users/self", undefined],
      ["/v1/users/self", "1.0"],
    ]);
  });

  it("refuses an apiVersion that is not 1.N or latest, sending nothing", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            "2.0",
            "1",
            "1.",
            "1.x",
            "v1.0",
            " 1.0",
            "1.0 ",
            "1.01",
            "1.0\r\nx-evil: 1",
            "LATEST",
          ),
          fc.integer(),
          fc.constant(null),
        ),
        (value) => {
          fc.pre(value !== "latest" && !(typeof value === "string" && /^1\.(0|[1-9]\d{0,3})$/.test(value)));
          expect(() => v1({ apiVersion: value as never })).toThrow(AstroConfigError);
        },
      ),
    );
    expect(() => v1({ apiVersion: "2.0" as never })).toThrow(/apiVersion must be a v1 minor like "1.0"/);
    expect(ctx.server.received).toEqual([]);
  });

  it("default to https://api.astronomer.io/v1, and refuse a baseUrl that already ends in /v1", () => {
    expect(inspect(createAstroClient({ token: TOKEN }))).toContain("https://api.astronomer.io/v1");
    for (const url of [
      "https://api.astronomer.io/v1",
      "https://api.astronomer.io/v1/",
      `${ctx.server.url}/V1`,
    ]) {
      const error = (() => {
        try {
          createAstroClient({ token: TOKEN, baseUrl: url });
        } catch (e) {
          return e as Error;
        }
        throw new Error(`accepted ${url}`);
      })();
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(error.message).toMatch(/must not end in \/v1.*appends \/v1 itself/);
    }
    // A proxy under a path prefix keeps it.
    expect(() => createAstroClient({ token: TOKEN, baseUrl: `${ctx.server.url}/astro` })).not.toThrow();
  });

  it("keep a path prefix of the base URL, and refuse v1beta1's urls option", async () => {
    await createAstroClient({
      token: TOKEN,
      baseUrl: `${ctx.server.url}/proxy`,
      throttle: false,
    }).getSelfUser();
    expect(ctx.server.received[0]!.url).toBe("/proxy/v1/users/self");
    expect(() =>
      createAstroClient({ token: TOKEN, urls: { platform: ctx.server.url } } as AstroClientOptions),
    ).toThrow(/urls is an option of the v1beta1 clients.*pass baseUrl/);
  });
});

describe("v1 operations", () => {
  it("every one of the 75 is a method on the client that sends its method and path", async () => {
    expect(operations).toBe(operationsByDocument.v1);
    expect(operations).toHaveLength(75);
    const sent = await callEveryOperation(v1(), operations, ctx.server, "/v1");
    for (const [operation, received] of sent) {
      expect(received.headers["x-api-version"], operation.operationId).toBe("1.0");
      expect(received.headers.authorization, operation.operationId).toBe(`Bearer ${TOKEN}`);
    }
  });

  it("has paginate, GET…DELETE, stats and close on the client itself", async () => {
    const astro = v1();
    ctx.server.handle((_, res) =>
      json(res, 200, { users: [{ id: "u1" }], totalCount: 1, offset: 0, limit: 1000 }),
    );
    const ids: string[] = [];
    for await (const user of astro.paginate("/organizations/{organizationId}/users")) ids.push(user.id);
    expect(ids).toEqual(["u1"]);
    expect(ctx.server.received[0]!.url).toBe("/v1/organizations/org/users?offset=0&limit=1000");
    for (const name of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const)
      expect(astro[name]).toBeTypeOf("function");
    expect(astro.stats().get).toEqual({ queued: 0, running: 0 });
    await astro.close();
  });
});

describe("workflow methods", () => {
  it("poll through the client, and report waiter events to onEvent beside the request events", async () => {
    const events: AstroEvent[] = [];
    const astro = v1({ onEvent: (e) => events.push(e) });
    let polls = 0;
    ctx.server.handle((_, res) => json(res, 200, { id: "d1", status: ++polls < 2 ? "CREATING" : "HEALTHY" }));
    const deployment = await astro.waitUntilDeploymentReady(
      { deploymentId: "d1" },
      { maxWaitMs: 10_000, minDelayMs: 10, maxDelayMs: 20 },
    );
    expect(deployment.status).toBe("HEALTHY");
    expect(ctx.server.received.map((r) => r.url)).toEqual(
      Array(2).fill("/v1/organizations/org/deployments/d1"),
    );
    const waiter = events.filter((e) => e.type === "waiter");
    expect(waiter.map((e) => e.type === "waiter" && e.outcome)).toEqual(["pending", "success"]);
    expect(events.filter((e) => e.type === "request")).toHaveLength(2);
    for (const name of [
      "waitUntilClusterReady",
      "waitUntilDeployFinished",
      "waitUntilDeleted",
      "deployDags",
    ] as const)
      expect(astro[name]).toBeTypeOf("function");
  });
});

describe("fieldErrors of a v1 400", () => {
  it("are typed on BadRequestError and summarised in its message", async () => {
    ctx.server.handle((_, res) =>
      json(res, 400, {
        message: "validation failed",
        requestId: "r400",
        statusCode: 400,
        fieldErrors: [
          { field: "name", code: "required", message: "name is required" },
          { field: "description", code: "max", message: "at most 300 characters" },
        ],
      }),
    );
    const error = await rejection(v1().createWorkspace({ body: { name: "" } }));
    expect(error).toBeInstanceOf(BadRequestError);
    const bad = error as BadRequestError;
    expect(bad.fieldErrors).toEqual([
      { field: "name", code: "required", message: "name is required" },
      { field: "description", code: "max", message: "at most 300 characters" },
    ]);
    expect(bad.message).toBe(
      "400 Bad Request — validation failed (POST /organizations/{organizationId}/workspaces, requestId r400). " +
        "Field errors: name: is required; description: at most 300 characters (max)",
    );
    expect(bad.toJSON()).toHaveProperty("fieldErrors", bad.fieldErrors);
  });

  it("stay bounded and printable whatever the server sends, and never carry the token", async () => {
    // Under the 64 KiB a JSON error body is parsed within (a longer one is kept as text, without fieldErrors).
    const hostile = Array.from({ length: 200 }, (_, i) => ({
      field: `f${i}\u001b[2J\n${TOKEN}`,
      code: "x".repeat(100),
      message: `bad\r\nforged: line ${TOKEN}`,
    }));
    ctx.server.handle((_, res) =>
      json(res, 400, { message: "no", fieldErrors: [...hostile, 7, null, "text"] }),
    );
    const bad = (await rejection(v1().createWorkspace({ body: { name: "x" } }))) as BadRequestError;
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.fieldErrors!.length).toBe(100);
    expect(bad.message).toMatch(/ and \d+ more$/);
    expect(bad.message.length).toBeLessThan(1_200);
    for (const control of ["\r", "\n", "\u001b"]) expect(bad.message).not.toContain(control);
    expect(JSON.stringify(bad.toJSON())).not.toContain(TOKEN);
    expect(bad.message).not.toContain(TOKEN);
    expect(JSON.stringify(bad.toJSON()).length).toBeLessThanOrEqual(128 * 1024 + 1024);
    for (const f of bad.fieldErrors!) expect(f.code.length).toBeLessThanOrEqual(250);
    expect(bad.fieldErrors![0]!.field).not.toContain(TOKEN);
  });

  it("are undefined when the 400 has none or an unusable list", async () => {
    for (const body of [{ message: "m" }, { message: "m", fieldErrors: "nope" }, "plain text"]) {
      ctx.server.handle((_, res) => (typeof body === "string" ? res.end(body) : json(res, 400, body)));
      ctx.server.handle((_, res) => {
        res.writeHead(400, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      });
      const bad = (await rejection(v1().createWorkspace({ body: { name: "x" } }))) as BadRequestError;
      expect(bad.fieldErrors).toBeUndefined();
      expect(bad.message).not.toContain("Field errors");
    }
  });
});
