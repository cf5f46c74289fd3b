import type { ServerResponse } from "node:http";
import { json } from "../helpers/client.js";
import type { Received } from "../helpers/recording-server.js";

/** One answer of a resource's GET: a status to report, or a raw HTTP answer. */
export type Step = string | { http: number; body?: unknown; raw?: string };

/**
 * A handler that walks a resource through `steps`, one per GET (the last repeats forever):
 * a string answers 200 with `{ id, status }`, `id` being the last segment of the path asked for,
 * an object answers as given. Counts the GETs.
 */
export function sequence(steps: readonly Step[]) {
  let served = 0;
  const handler = (request: Received, res: ServerResponse) => {
    const step = steps[Math.min(served, steps.length - 1)]!;
    served += 1;
    const asked = decodeURIComponent(new URL(request.url, "http://x").pathname.split("/").at(-1)!);
    if (typeof step === "string") return json(res, 200, { id: asked, name: "my-resource", status: step });
    if (step.raw !== undefined) {
      res.writeHead(step.http, { "content-type": "application/json" });
      return res.end(step.raw);
    }
    return json(res, step.http, step.body ?? { message: `status ${step.http}`, requestId: `req-${served}` });
  };
  return { handler, served: () => served };
}
