/**
 * #26 classes 4 and 7: one redaction routine for every secret the SDK holds (token, SAS
 * signature, Redis password), in every spelling a server can echo: any case of percent-escapes,
 * partly encoded values, `\u` and JSON escapes outside JSON, HTML references, base64. A secret
 * shorter than `MIN_SECRET_LENGTH` is redacted only where it stands alone, so a one-letter token
 * does not mangle the words of a message.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroDeployError, createAstroClient } from "../../../src/index.js";
import { MIN_SECRET_LENGTH, REDACTED, redact, secretForms } from "../../../src/errors/redact.js";
import { describeRedisUrl } from "../../../src/throttle/redis/url.js";
import { rejection, useRecordingServer, v1ClientFor } from "../../helpers/client.js";
import { outcome } from "../../redteam/outcome.js";
import { runs } from "../../helpers/depth.js";

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** One character as a server may spell it. */
const spelled = (char: string, how: number, upper: boolean): string => {
  const code = char.charCodeAt(0);
  const cased = (text: string) => (upper ? text.toUpperCase() : text.toLowerCase());
  switch (how) {
    case 1:
      return `%${cased(hex(code, 2))}`;
    case 2:
      return `\\u${cased(hex(code, 4))}`;
    case 3:
      return `&#${code};`;
    case 4:
      return `&#x${cased(hex(code, 2))};`;
    case 5:
      return char === '"' || char === "\\" || char === "/" ? `\\${char}` : char;
    default:
      return char;
  }
};

const secrets = fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{${MIN_SECRET_LENGTH},60}$`));
/**
 * Secrets without `%`, `&` or `\` for mixed spellings: in `ab%41…` echoed partly encoded, the
 * literal `%41` reads as an escape itself (and `\\u0021` is two readings); such a secret is
 * found as is or wholly encoded (below). API tokens (JWTs) and SAS signatures (base64) hold none.
 */
const plainSecrets = secrets.filter((secret) => !/[%&\\]/.test(secret));
/** A secret and one spelling of it: each character as is or encoded, independently (partial encodings). */
const echoed = plainSecrets.chain((secret) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), {
      minLength: secret.length,
      maxLength: secret.length,
    })
    .map((choices) => ({
      secret,
      text: [...secret].map((char, i) => spelled(char, choices[i]![0], choices[i]![1])).join(""),
    })),
);
const around = fc.string({ maxLength: 40 });

describe("redact", () => {
  it("removes a secret spelled with any mix of escapes, in any case", () => {
    fc.assert(
      fc.property(echoed, around, around, ({ secret, text }, before, after) => {
        // Separated by spaces: a `%0` just before would make `%0C` an escape of its own (an
        // accidental echo is not crafted to straddle; a hostile server has the token anyway).
        const result = redact(`${before} ${text} ${after}`, secretForms(secret));
        expect(result).toContain(REDACTED);
        expect(result).not.toContain(text);
        expect(result).not.toContain(secret);
      }),
      { numRuns: runs(300) },
    );
  });

  it("removes a secret holding escape introducers, as is or wholly encoded", () => {
    fc.assert(
      fc.property(secrets, (secret) => {
        for (const echo of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
          const result = redact(`[ ${echo} ]`, secretForms(secret));
          expect(result).toContain(REDACTED);
          expect(result).not.toContain(echo);
        }
      }),
    );
  });

  it("removes a secret's base64, at any alignment, in either alphabet", () => {
    fc.assert(
      fc.property(secrets, fc.string({ maxLength: 5 }), (secret, user) => {
        const standard = btoa(`${user}:${secret}`);
        for (const encoded of [standard, standard.replaceAll("+", "-").replaceAll("/", "_")]) {
          const result = redact(`Authorization: Basic ${encoded}`, secretForms(secret));
          expect(result).toContain(REDACTED);
          // What is left of the encoding is at most a few characters on either side.
          expect(result.length).toBeLessThan(`Authorization: Basic ${encoded}`.length + REDACTED.length);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it("leaves text without the secret as it is", () => {
    fc.assert(
      fc.property(secrets, fc.string({ maxLength: 80 }), (secret, text) => {
        fc.pre(!text.includes(secret.slice(0, 4)));
        expect(redact(text, secretForms(secret))).toBe(text);
      }),
    );
  });

  it("redacts a secret shorter than the minimum only where it stands alone", () => {
    expect(MIN_SECRET_LENGTH).toBe(8);
    expect(redact("the token t is not valid for tenant t1", secretForms("t"))).toBe(
      `the token ${REDACTED} is not valid for tenant t1`,
    );
    expect(redact("Bearer abc, abcdef and %61bc", secretForms("abc"))).toBe(
      `Bearer ${REDACTED}, abcdef and ${REDACTED}`,
    );
  });

  it("covers the Redis password in every spelling too", () => {
    const target = describeRedisUrl("redis://:s3cr%40t-passw0rd@127.0.0.1:6379")!;
    for (const echo of [
      "s3cr@t-passw0rd",
      "s3cr%40t-passw0rd",
      "s3cr%40T-passw0rd".replace("T", "t"),
      "s3cr\\u0040t-passw0rd",
    ])
      expect(redact(`ERR invalid password ${echo}`, target.secrets)).not.toMatch(/passw0rd/);
  });
});

const TOKEN = "redaction-token/with+odd=chars";
let answer = (_res: import("node:http").ServerResponse) => {};
const ctx = useRecordingServer((request, res) => {
  if (request.url.startsWith("/blob")) return answer(res);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({ id: "dep1", dagsUploadUrl: `${ctx.server.url}/blob/dags.tgz?sv=1&sig=${SIG_IN_URL}` }),
  );
});
const SIG = "AbC/dEf+GhI=jKl";
const SIG_IN_URL = encodeURIComponent(SIG);
/** The same, its percent-escapes in lower case (the signature's own letters keep their case). */
const SIG_LOWER_HEX = SIG_IN_URL.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

describe("what a server echoes", () => {
  it("never carries the token into errors, in lower-case percent-escapes or \\u escapes outside JSON", async () => {
    const echoes = [
      encodeURIComponent(TOKEN).toLowerCase(),
      [...TOKEN].map((c) => `\\u${hex(c.charCodeAt(0), 4)}`).join(""),
      TOKEN.slice(0, 10) + encodeURIComponent(TOKEN.slice(10)),
    ];
    for (const echo of echoes) {
      ctx.server.handle((_, res) => {
        res.writeHead(401, `bad ${echo}`, { "content-type": "text/plain" });
        res.end(`token ${echo} rejected`);
      });
      const error = await rejection(v1ClientFor(ctx.server, TOKEN, { maxRetries: 0 }).getSelfUser());
      const seen = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      expect(seen).not.toContain(echo);
      expect(seen).not.toContain(TOKEN);
    }
  });

  it("never carries the SAS signature into deployDags errors: without sig=, percent-encoded in any case, in the status text", async () => {
    const deploy = () =>
      outcome(() =>
        createAstroClient({
          token: TOKEN,
          organizationId: "o",
          baseUrl: ctx.server.url,
          throttle: false,
        }).deployDags({ deploymentId: "d", tarball: new Uint8Array([0x1f, 0x8b, 8, 0]) }),
      );
    const echoes = [SIG, SIG_IN_URL, SIG_LOWER_HEX, `signature '${SIG_LOWER_HEX}' expired`, ""];
    for (const echo of echoes) {
      answer = (res) => {
        res.writeHead(403, `denied ${SIG_LOWER_HEX}`, { "content-type": "application/xml" });
        // The last one says nothing in its body: the status text is all there is.
        res.end(
          echo
            ? `<Error><Code>AuthenticationFailed</Code><Message>Signature ${echo} did not match</Message></Error>`
            : "",
        );
      };
      const error = await deploy();
      expect(error).toBeInstanceOf(AstroDeployError);
      const seen = `${String(error)} ${JSON.stringify(error)} ${(error as AstroDeployError).detail}`;
      for (const form of [SIG, SIG_IN_URL, SIG_LOWER_HEX]) expect(seen).not.toContain(form);
    }
  });
});
