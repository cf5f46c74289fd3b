/**
 * `npm run contract:live`: checks the real Astro API against the pinned documents. Every
 * read-only operation (GET) is sent through the SDK to a `prism proxy` per API, which forwards
 * it upstream and validates the real response against the document; each mismatch is reported.
 * Needs `ASTRO_API_TOKEN` (and `ASTRO_ORGANIZATION_ID`, else the first organization listed).
 * Not part of CI: it talks to Astronomer.
 *
 *   --only A,B                 only these operationIds
 *   --platform-upstream URL    where the platform proxy forwards (default: the API's server)
 *   --iam-upstream URL         likewise for IAM
 *
 * Path parameters other than organizationId come from earlier answers: an ID listed under
 * `deployments` is used for `{deploymentId}`, and so on; an operation whose parameters no answer
 * supplied is reported as skipped. Exit 1 when any response does not match its document.
 */
import { parseArgs } from "node:util";
import { specs, type ApiName } from "../../generated/operations.js";
import { AstroApiError, AstroError, createAstroClient, type AstroClient } from "../../src/v1beta1/index.js";
import { startPrism, type PrismServer } from "../../src/mock/prism.js";
import { markV1beta1WarningGiven } from "../../src/v1beta1/deprecation.js";
import { describeViolation, prismViolations } from "../../src/mock/prism-violations.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { callOperation } from "../contract/call-operation.js";
import { loadDocuments } from "../contract/contract-documents.js";
import { contractOperations, type ContractOperation } from "../contract/contract-operations.js";

const USAGE =
  "npm run contract:live sends every read-only operation to the real Astro API and needs an API token:\n" +
  "  export ASTRO_API_TOKEN=<an Organization API token>\n" +
  "  export ASTRO_ORGANIZATION_ID=<your Organization's ID>   (optional: else the first organization listed)";

/** One operation's outcome. */
interface Outcome {
  op: ContractOperation<ApiName>;
  verdict: "ok" | "mismatch" | "error" | "skipped";
  status?: number;
  details: string[];
  /** The success body, whose IDs later operations may need. */
  data?: unknown;
}

/**
 * `{ "deployments": [{ "id": "d1" }] }` → `deploymentId: d1`: IDs for later path parameters.
 * An ID already known (ASTRO_ORGANIZATION_ID, or an earlier answer) is kept.
 */
function harvest(body: unknown, into: Map<string, string>): void {
  if (body === null || typeof body !== "object") return;
  for (const [key, value] of Object.entries(body)) {
    if (!Array.isArray(value)) continue;
    const id = (value[0] as { id?: unknown } | undefined)?.id;
    const param = `${key.replace(/ies$/, "y").replace(/s$/, "")}Id`;
    if (typeof id === "string" && !into.has(param)) into.set(param, id);
  }
}

/** The messages of Prism's `sl-violations` header about the response (request ones are ours). */
function responseViolations(headers: Headers | Record<string, string>): string[] {
  const found = prismViolations(headers);
  if (found === undefined) return [];
  if (typeof found === "string") return [`prism  unreadable sl-violations header: ${found}`];
  return found.map((v) => `prism  ${describeViolation(v)}`);
}

async function check(
  astro: AstroClient,
  op: ContractOperation<ApiName>,
  path: Record<string, string>,
): Promise<Outcome> {
  const request = { ...op.request, path };
  try {
    const { data, response } = await callOperation({ platform: astro.platform, iam: astro.iam }, op, request);
    const problems = [
      ...responseViolations(response.headers),
      ...op.validateResponse(response.status, data).map((p) => `ajv    response body ${p}`),
    ];
    return {
      op,
      verdict: problems.length ? "mismatch" : "ok",
      status: response.status,
      details: problems,
      data,
    };
  } catch (error) {
    if (!(error instanceof AstroApiError)) {
      return { op, verdict: "error", details: [error instanceof Error ? error.message : String(error)] };
    }
    // An error status is no mismatch when the document declares it and its body conforms.
    const problems = [
      ...responseViolations(error.headers),
      ...op.validateResponse(error.status, error.body).map((p) => `ajv    error body ${p}`),
    ];
    return {
      op,
      verdict: problems.length ? "mismatch" : "error",
      status: error.status,
      details: problems.length ? problems : [error.detail],
    };
  }
}

await runCli(
  async () => {
    const { values } = parseArgs({
      options: {
        only: { type: "string" },
        "platform-upstream": { type: "string", default: specs.platform.server },
        "iam-upstream": { type: "string", default: specs.iam.server },
      },
    });
    const token = process.env.ASTRO_API_TOKEN;
    if (!token) {
      console.error(USAGE);
      return EXIT.failed;
    }
    const only = values.only?.split(",").map((s) => s.trim());
    const documents = await loadDocuments();
    const operations = contractOperations(documents).filter(
      (op) => op.method === "get" && (only === undefined || only.includes(op.operationId)),
    );
    const unknown = (only ?? []).filter((id) => !operations.some((op) => op.operationId === id));
    if (unknown.length) {
      console.error(`--only: no read-only operation ${unknown.join(", ")}`);
      return EXIT.failed;
    }
    const upstreams: Record<ApiName, string> = {
      platform: values["platform-upstream"],
      iam: values["iam-upstream"],
    };
    const apis = documents.filter((d) => operations.some((op) => op.api === d.api));
    const proxies = new Map<ApiName, PrismServer>();
    try {
      await Promise.all(
        apis.map(async ({ api, text }) =>
          proxies.set(
            api,
            await startPrism({
              mode: "proxy",
              document: { text, name: `${api}-${specs[api].revision}` },
              upstream: upstreams[api],
            }),
          ),
        ),
      );
      const urls = Object.fromEntries([...proxies].map(([api, proxy]) => [api, proxy.url]));
      // Real limits: this is the real API. The token goes in a header to the local proxy, never out.
      // The v1beta1 documents are checked on purpose: their deprecation is no news here.
      markV1beta1WarningGiven();
      const astro = createAstroClient({ token, urls });
      console.log(
        `contract:live: ${operations.length} read-only operations via prism proxy → ` +
          apis.map(({ api }) => `${api} ${upstreams[api]}`).join(", "),
      );

      const known = new Map<string, string>();
      const organization = process.env.ASTRO_ORGANIZATION_ID;
      if (organization) known.set("organizationId", organization);
      const outcomes: Outcome[] = [];
      const pending = [...operations];
      // Operations whose parameters are known run first; their answers supply the others'.
      for (let progressed = true; progressed && pending.length > 0;) {
        progressed = false;
        for (const op of [...pending]) {
          const names = Object.keys(op.request.path);
          if (!names.every((name) => known.has(name))) continue;
          pending.splice(pending.indexOf(op), 1);
          progressed = true;
          const outcome = await check(astro, op, Object.fromEntries(names.map((n) => [n, known.get(n)!])));
          // ListOrganizations supplies {organizationId} when ASTRO_ORGANIZATION_ID is not set.
          harvest(outcome.data, known);
          outcomes.push(outcome);
        }
      }
      for (const op of pending) {
        const missing = Object.keys(op.request.path).filter((name) => !known.has(name));
        outcomes.push({
          op,
          verdict: "skipped",
          details: [`no answer supplied ${missing.map((m) => `{${m}}`).join(", ")}`],
        });
      }

      for (const { op, verdict, status, details } of outcomes) {
        const where = `${op.api.padEnd(8)} ${op.operationId.padEnd(28)} ${verdict.toUpperCase().padEnd(8)} ${status ?? "   "}`;
        console.log(`${where}  ${verdict === "mismatch" ? "" : (details[0] ?? "")}`.trimEnd());
        if (verdict === "mismatch") for (const detail of details) console.log(`    ${detail}`);
      }
      const count = (v: Outcome["verdict"]) => outcomes.filter((o) => o.verdict === v).length;
      console.log(
        `${outcomes.length} operations: ${count("ok")} conform, ${count("mismatch")} mismatch, ` +
          `${count("error")} error statuses as declared, ${count("skipped")} skipped`,
      );
      return count("mismatch") > 0 ? EXIT.failed : EXIT.ok;
    } finally {
      await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    }
  },
  { messages: [AstroError] },
);
