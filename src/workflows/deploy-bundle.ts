/**
 * A BUNDLE deploy of a folder (a dbt project, as `astro dbt deploy` does it): CreateDeploy
 * `BUNDLE` with `bundleType` and `bundleMountPath`, PUT to `bundleUploadUrl`, FinalizeDeploy with
 * `bundleTarballVersion`, and with `wait` until the deploy's bundle at that mount path has that
 * version as its `currentVersion`. Same flow and guarantees as `deployDags`.
 */
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import type { DataOf, WorkflowClient } from "./client.js";
import {
  runDeploy,
  type DeployCommonInput,
  type DeployDagsOptions,
  type DeployDagsResult,
  type DeployLoaders,
} from "./deploy-dags.js";
import type { WorkflowContext } from "./create-workflows.js";
import { defaultLoaders, packDirectory } from "./pack.js";

/** What `deployBundle` deploys where. */
export interface DeployBundleInput extends Omit<DeployCommonInput, "allowHybrid"> {
  /** The folder to deploy (a dbt project), packed at the bundle root without `.git/`. */
  directory: string;
  /**
   * Where Astro mounts the bundle on the Airflow pods, an absolute path (the Astro CLI uses
   * `/usr/local/airflow/dbt/<dbt project name>`).
   */
  mountPath: string;
  /** A free-form label of the bundle's kind (default `dbt`). */
  bundleType?: string;
  /** gzip the tarball (default true). */
  gzip?: boolean;
}

/** What a BUNDLE deploy produced. */
export interface DeployBundleResult<C extends WorkflowClient> extends Omit<
  DeployDagsResult<C>,
  "dagTarballVersion" | "deployment"
> {
  /** The blob version FinalizeDeploy was given as `bundleTarballVersion`. */
  bundleTarballVersion: string;
  /** Where the bundle is mounted. */
  mountPath: string;
  /** The deploy as FinalizeDeploy answered, or as the poll saw it live. */
  deploy: DataOf<C, "finalizeDeploy"> | DataOf<C, "getDeploy">;
}

/** Builds `deployBundle` over `client`. */
export function createDeployBundle<C extends WorkflowClient>(
  client: C,
  context: WorkflowContext,
  loaders: DeployLoaders = defaultLoaders,
) {
  return async function deployBundle(
    input: DeployBundleInput,
    options: DeployDagsOptions = {},
  ): Promise<DeployBundleResult<C>> {
    if (input === null || typeof input !== "object")
      throw new AstroConfigError("deployBundle needs an object with deploymentId, directory and mountPath");
    const { mountPath, bundleType = "dbt" } = input;
    if (typeof mountPath !== "string" || !mountPath.startsWith("/") || mountPath.split("/").includes(".."))
      throw new AstroConfigError(
        `mountPath must be an absolute path on the Airflow pods (such as /usr/local/airflow/dbt/my_project), got ${describeValue(mountPath)}`,
      );
    if (typeof bundleType !== "string" || bundleType === "")
      throw new AstroConfigError(`bundleType must be a non-empty string, got ${describeValue(bundleType)}`);
    const {
      dagTarballVersion,
      deployment: _unused,
      ...rest
    } = await runDeploy(
      client,
      context,
      {
        workflow: "deployBundle",
        directory: input.directory,
        tarball: () => packDirectory(input.directory, { gzip: input.gzip, dagsBaseDir: false }, loaders),
        body: { type: "BUNDLE", bundleType, bundleMountPath: mountPath },
        uploadUrlField: "bundleUploadUrl",
        finalizeBody: (version) => ({ bundleTarballVersion: version }),
        live: (version) => ({ kind: "bundle", version, mountPath }),
      },
      input,
      options,
      loaders.git,
    );
    return { ...rest, bundleTarballVersion: dagTarballVersion, mountPath };
  };
}
