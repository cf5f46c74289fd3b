/**
 * Creates a Team, and handles what can go wrong.
 *
 *   ASTRO_API_TOKEN=… ASTRO_ORGANIZATION_ID=… npx tsx examples/create-team.ts [name]
 *
 * Environment as in list-deployments.ts.
 */
import { AstroApiError, AstroConnectionError, ConflictError, createAstroClient } from "../src/index.js"; // in your project: from "astro-api-client"

const name = process.argv[2] ?? "data-platform";
const astro = createAstroClient({
  baseUrl: process.env.ASTRO_BASE_URL,
});

try {
  const { data: team } = await astro.createTeam({
    body: { name, description: "Created by examples/create-team.ts" },
  });
  console.log(`created team ${team.name} (${team.id})`);
} catch (error) {
  if (error instanceof ConflictError) {
    // 409: the request was understood and refused; nothing was created.
    console.log(`team ${name} already exists: ${error.detail}`);
  } else if (error instanceof AstroApiError) {
    // Any other status, as its own class (BadRequestError, ForbiddenError, InternalServerError…).
    // The message has the status, the server's words and the request ID (quote it to Astronomer's
    // support); after a 5xx it also says that a create is not retried, since it may have happened.
    console.error(`${error.name}: ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof AstroConnectionError) {
    // No answer at all (reset, timeout): the team may or may not exist now. List before retrying.
    console.error(`${error.name}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
