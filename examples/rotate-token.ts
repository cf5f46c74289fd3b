/**
 * Rotates an API token without losing its new value.
 *
 *   ASTRO_API_TOKEN=… ASTRO_ORGANIZATION_ID=… ASTRO_TOKEN_FILE=./token npx tsx examples/rotate-token.ts <tokenId> [--self]
 *
 * Rotating invalidates the token's value and returns a new one that the API shows only once. It is
 * not idempotent, so the client never retries it after a 5xx, a reset or a timeout: after such a
 * failure this example looks at the token before doing anything else. The new value goes to
 * ASTRO_TOKEN_FILE (mode 600) and is never printed. With --self (rotating the token this process
 * uses), later calls of the same client use the new value. Environment as in list-deployments.ts.
 */
import { writeFile } from "node:fs/promises";
import { AstroApiError, AstroConnectionError, UnauthorizedError, createAstroClient } from "../src/index.js"; // in your project: from "astro-api-client"

const [tokenId, file] = [process.argv[2], process.env.ASTRO_TOKEN_FILE];
if (!tokenId || tokenId.startsWith("-") || !file) {
  throw new Error("usage: ASTRO_TOKEN_FILE=<file> rotate-token.ts <tokenId> [--self]");
}

// Read before every request: change `current` and the client uses the new token from then on.
let current = process.env.ASTRO_API_TOKEN ?? "";
const astro = createAstroClient({
  token: () => current,
  baseUrl: process.env.ASTRO_BASE_URL,
});

/** The token's visible prefix now, or `undefined` when our own token was already rotated away. */
const shortToken = async (): Promise<string | undefined> => {
  try {
    return (await astro.getApiToken({ tokenId })).data.shortToken;
  } catch (error) {
    if (error instanceof UnauthorizedError) return undefined;
    throw error;
  }
};

const before = await shortToken();
try {
  const { data } = await astro.rotateApiToken({ tokenId });
  if (!data.token) throw new Error("the API answered without the new token value");
  await writeFile(file, `${data.token}\n`, { mode: 0o600 }); // first: it is never shown again
  console.log(`rotated ${data.name}: ${before} → ${data.shortToken}; the new value is in ${file}`);
  if (process.argv.includes("--self")) {
    current = data.token;
    console.log(`the client now uses the new value: ${await shortToken()}`);
  }
} catch (error) {
  const unknownOutcome =
    error instanceof AstroConnectionError || (error instanceof AstroApiError && error.status >= 500);
  if (!unknownOutcome) throw error;
  // The request may have rotated the token, its answer lost on the way back. Look, don't resend.
  const after = await shortToken();
  console.error(`${error.name}: ${error.message}`);
  console.error(
    after === before
      ? "the token was not rotated: its old value still works, and it is safe to run this again"
      : "the token WAS rotated but its new value was lost: the old value no longer works; rotate again",
  );
  process.exitCode = 1;
}
