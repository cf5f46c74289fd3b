/**
 * The read before CreateDeploy (as the Astro CLI does it): a deploy the Deployment cannot take is
 * refused here, so none is created and left un-finalized behind.
 */
import { fieldOf } from "./client.js";
import { AstroDeployError } from "./errors.js";
import { HYBRID_MONITORING_DAG } from "./constants.js";

/** The caller's explicit consents, for the cases the pre-flight refuses by default. */
export interface PreflightOptions {
  /**
   * The Deployment enforces CI/CD deploys (`isCicdEnforced`): pass `true` when this deploy is made
   * from your CI/CD pipeline with an API token, which Astro accepts (a user's token is refused).
   */
  ciCd?: boolean;
  /**
   * Deploy to a Hybrid Deployment. A DAG deploy replaces the Deployment's whole DAG folder; the
   * Astro CLI adds Astronomer's monitoring DAG (`astronomer_monitoring_dag.py`) to every DAG deploy
   * to a Hybrid Deployment, so a deploy without it removes it (and Astronomer alerts on that).
   * Put that file in your folder to keep it, then pass `true`.
   */
  allowHybrid?: boolean;
}

/**
 * Throws `AstroDeployError` (step `preflight`) when `deployment` (GetDeployment's answer) cannot
 * or should not take a deploy of `kind` without the caller's consent.
 */
export function checkDeployTarget(
  deployment: unknown,
  deploymentId: string,
  workflow: "deployDags" | "deployBundle",
  options: PreflightOptions,
): void {
  const fail = (why: string) =>
    new AstroDeployError(`${workflow} refused before creating a deploy: ${why}`, {
      step: "preflight",
      deploymentId,
    });
  if (fieldOf(deployment, "isDagDeployEnabled") === false)
    throw fail(
      `DAG deploys are not enabled on Deployment ${deploymentId}, so it gives no upload URL; enable them (UpdateDeployment with isDagDeployEnabled: true, or \`astro deployment update ${deploymentId} --dag-deploy enable\`), or deploy an image`,
    );
  if (fieldOf(deployment, "isCicdEnforced") === true && options.ciCd !== true)
    throw fail(
      `Deployment ${deploymentId} enforces CI/CD deploys; deploy from your CI/CD pipeline with an API token and pass ciCd: true, or turn CI/CD enforcement off on the Deployment`,
    );
  if (workflow === "deployDags" && fieldOf(deployment, "type") === "HYBRID" && options.allowHybrid !== true)
    throw fail(
      `Deployment ${deploymentId} is a Hybrid Deployment: a DAG deploy replaces its whole DAG folder, which would remove Astronomer's monitoring DAG (${HYBRID_MONITORING_DAG}, which the Astro CLI adds to each DAG deploy; Astronomer alerts when it is missing). To keep it, put ${HYBRID_MONITORING_DAG} in the folder you deploy, then pass allowHybrid: true`,
    );
}
