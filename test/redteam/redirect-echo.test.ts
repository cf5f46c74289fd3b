/**
 * A same-origin redirect whose Location carries the token (in the query, the path, encoded): the
 * hop is followed, but the URL the SDK reports (events, errors) never shows the token.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AstroEvent } from "../../src/index.js";
import { json, useRecordingServer, v1ClientFor } from "../helpers/client.js";
import { outcome } from "./outcome.js";
import { runs } from "../helpers/depth.js";

const api = useRecordingServer();
const TOKEN = "redirect-echo-SECRET_tok.9~x";

describe("a redirect that echoes the token in its Location", () => {
  it("reports no token in any event or error, whatever the redirect's status and ending", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(301, 302, 303, 307, 308),
        fc.constantFrom(
          `?t=${TOKEN}`,
          `?t=${encodeURIComponent(TOKEN)}`,
          `/${TOKEN}`,
          `#${TOKEN}`,
          `;${TOKEN}`,
        ),
        fc.constantFrom(200, 500, 404),
        async (status, echo, final) => {
          api.server.received.length = 0;
          api.server.handle((request, res) => {
            if (api.server.received.length === 1) {
              res.writeHead(status, { location: `/v1/organizations/o${echo}` });
              res.end();
            } else json(res, final, final === 200 ? { id: "o" } : { message: "no" });
          });
          const events: AstroEvent[] = [];
          const astro = v1ClientFor(api.server, TOKEN, {
            organizationId: "o",
            maxRetries: 0,
            onEvent: (event) => events.push(event),
          });
          const error = await outcome(() => astro.getOrganization({}));
          const printed = [
            JSON.stringify(events),
            String(error),
            JSON.stringify(error),
            inspect(error, { depth: 8 }),
          ].join("\n");
          expect(printed).not.toContain(TOKEN);
          expect(printed).not.toContain(encodeURIComponent(TOKEN));
        },
      ),
      { numRuns: runs(40) },
    );
  });
});
