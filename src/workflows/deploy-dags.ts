import { AstroConfigError } from "../errors/error-classes.js";
import { checkPathSegment } from "../operations/path-params.js";
import { checkSignal, pathIds, type DataOf, type WorkflowClient } from "./client.js";
import { AstroDeployError, type DeployStep } from "./errors.js";
import { fanOut, type DeployDagsStep, type WorkflowEmit, type WorkflowEvent } from "./events.js";
import {
  defaultLoaders,
  packDirectory,
  readTarball,
  type PackLoaders,
  type PackOptions,
  type Tarball,
  type TarballSource,
} from "./pack.js";
import { checkUploadUrl, resolveUploadOptions, uploadTarball, type UploadOptions } from "./upload.js";
import { resolveTiming } from "./timing.js";
import { WAITER_DEFAULTS, type Waiters, type WaiterOptions } from "./waiters.js";

/** What to deploy where: a folder of DAGs (`directory`) or a ready tarball (`tarball`), not both. */
export interface DeployDagsInput extends PackOptions {
  /** Defaults to the client's `organizationId`. */
  organizationId?: string;
  /** The Deployment to deploy the DAGs to. */
  deploymentId: string;
  /** A folder of DAGs (usually `<project>/dags`), packed as `dags/…` entries. */
  directory?: string;
  /** A ready `.tar` or `.tar.gz`: its bytes, a file path, or a stream (read into memory first). */
  tarball?: TarballSource;
  /** Shown with the deploy in the Astro UI. */
  description?: string;
  /**
   * After finalizing, wait for the deploy to be `DEPLOYED` and then the Deployment to be ready.
   * `true` uses the waiters' defaults; an object sets their timing.
   */
  wait?: boolean | Pick<WaiterOptions, "maxWaitMs" | "minDelayMs" | "maxDelayMs">;
}

/** How `deployDags` runs. */
export interface DeployDagsOptions {
  /** Aborts whatever step is running. */
  signal?: AbortSignal;
  /** Receives this deploy's events (steps, upload progress, polls), beside the client's `onEvent`. */
  onProgress?: (event: WorkflowEvent) => void;
  /** Retries of the upload to the blob store. */
  upload?: UploadOptions;
}

/** What a DAG deploy produced. */
export interface DeployDagsResult<C extends WorkflowClient> {
  /** The deploy CreateDeploy made for this upload. */
  deployId: string;
  /** The blob version FinalizeDeploy was given (`x-ms-version-id`). */
  dagTarballVersion: string;
  /** The deploy as FinalizeDeploy answered, or as the last poll saw it when waiting. */
  deploy: DataOf<C, "finalizeDeploy"> | DataOf<C, "getDeploy">;
  /** The ready Deployment, when waiting. */
  deployment: DataOf<C, "getDeployment"> | undefined;
  /** Size of the uploaded tarball. */
  bytes: number;
  /** Files packed from `directory` (`undefined` for a ready tarball). */
  files: number | undefined;
}

/**
 * The deploy id CreateDeploy returned goes into FinalizeDeploy's path: one that is not a single
 * path segment (`..`, `a/b`) is refused here, before the tarball is uploaded, as the deploy's error.
 */
function checkDeployId(id: string, deploymentId: string): string {
  try {
    checkPathSegment(id, "the deploy id CreateDeploy returned");
  } catch (error) {
    throw new AstroDeployError(
      `deployDags failed at create: ${(error as Error).message}; nothing was uploaded`,
      {
        step: "create",
        deploymentId,
      },
    );
  }
  return id;
}

/** Runs `work` as `step`, turning what it throws into an `AstroDeployError` that says where the deploy stands. */
async function step<T>(
  name: DeployStep,
  ids: { deploymentId: string; deployId?: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AstroDeployError || error instanceof AstroConfigError) throw error;
    const where = ids.deployId
      ? `deploy ${ids.deployId} of Deployment ${ids.deploymentId}`
      : `Deployment ${ids.deploymentId}`;
    const stand =
      name === "finalize" && ids.deployId ? "; the DAGs were uploaded but the deploy is not finalized" : "";
    throw new AstroDeployError(
      `deployDags failed at ${name} (${where})${stand}: ${(error as Error)?.message ?? String(error)}`,
      { step: name, ...ids },
      { cause: error },
    );
  }
}

/**
 * Deploys DAGs in one call: pack (or read) the tarball, CreateDeploy (`DAG_ONLY`), PUT the
 * tarball to the returned `dagsUploadUrl`, FinalizeDeploy with its `x-ms-version-id`, and, with
 * `wait`, wait for the deploy and the Deployment. The tarball is packed before anything is created,
 * so a bad folder leaves no deploy behind.
 */
export function createDeployDags<C extends WorkflowClient>(
  client: C,
  waiters: Waiters<C>,
  emit: WorkflowEmit | undefined,
  loaders: PackLoaders = defaultLoaders,
) {
  return async function deployDags(
    input: DeployDagsInput,
    options: DeployDagsOptions = {},
  ): Promise<DeployDagsResult<C>> {
    const ids = pathIds(input, ["deploymentId"]);
    const { deploymentId } = ids;
    if ((input.directory === undefined) === (input.tarball === undefined)) {
      throw new AstroConfigError("deployDags needs exactly one of directory (a folder of DAGs) or tarball");
    }
    if (input.description !== undefined && typeof input.description !== "string") {
      throw new AstroConfigError("description must be a string");
    }
    // Every option is checked here, before anything is created on the Deployment.
    const upload = resolveUploadOptions(options.upload);
    const waitTiming = input.wait === true || !input.wait ? {} : input.wait;
    resolveTiming(waitTiming, WAITER_DEFAULTS.deployFinished);
    const started = performance.now();
    const send = fanOut(emit, options.onProgress);
    // What the progress events report so far; filled in as the steps learn it.
    const known: { deployId?: string; totalBytes?: number } = {};
    const at = (name: DeployDagsStep) =>
      send({
        type: "deploy",
        step: name,
        deploymentId,
        deployId: known.deployId,
        totalBytes: known.totalBytes,
        elapsedMs: Math.round(performance.now() - started),
      });
    const signal = checkSignal(options.signal);
    if (signal?.aborted)
      throw new AstroDeployError(
        "deployDags was aborted before it started",
        { step: "pack", deploymentId },
        { cause: signal.reason },
      );

    at("pack");
    const tarball: Tarball =
      input.directory !== undefined
        ? await packDirectory(input.directory, input, loaders)
        : await readTarball(input.tarball as TarballSource);
    known.totalBytes = tarball.bytes.length;

    at("create");
    let apiUrl: unknown;
    const created = await step("create", { deploymentId }, async () => {
      const body = {
        type: "DAG_ONLY" as const,
        ...(input.description === undefined ? {} : { description: input.description }),
      };
      const result = await client.createDeploy({ ...ids, body }, { signal });
      // Where the API answered from decides which upload hosts are allowed (checkUploadUrl).
      apiUrl = (result as { response?: { url?: unknown } }).response?.url;
      return result.data as { id?: unknown; dagsUploadUrl?: unknown } | null;
    });
    if (typeof created?.id !== "string" || created.id === "") {
      throw new AstroDeployError("CreateDeploy answered without a deploy id", {
        step: "create",
        deploymentId,
      });
    }
    const createdId = checkDeployId(created.id, deploymentId);
    known.deployId = createdId;
    const both = { deploymentId, deployId: createdId };
    if (typeof created.dagsUploadUrl !== "string" || created.dagsUploadUrl === "") {
      throw new AstroDeployError(
        `DAG deploys are not enabled on Deployment ${deploymentId}: CreateDeploy returned no dagsUploadUrl, so nothing was uploaded (enable DAG deploys on the Deployment, or deploy an image)`,
        { step: "create", ...both },
      );
    }
    const url = checkUploadUrl(created.dagsUploadUrl, both, {
      apiUrl: typeof apiUrl === "string" ? apiUrl : undefined,
      allowPrivateHosts: upload.allowPrivateHosts,
    });

    at("upload");
    let lastReported = -1;
    const version = await uploadTarball(
      url,
      tarball,
      {
        ...both,
        signal,
        onProgress: (bytesSent, attempt) => {
          // About 100 events per attempt whatever the size, plus the first and the last.
          const every = Math.max(64 * 1024, tarball.bytes.length / 100);
          if (bytesSent !== 0 && bytesSent !== tarball.bytes.length && bytesSent - lastReported < every)
            return;
          lastReported = bytesSent;
          send({ type: "upload", ...both, attempt, bytesSent, totalBytes: tarball.bytes.length });
        },
      },
      upload,
    );

    at("finalize");
    let deploy = await step("finalize", both, async () => {
      const { data } = await client.finalizeDeploy(
        { ...ids, deployId: createdId, body: { dagTarballVersion: version } },
        { signal },
      );
      return data as DataOf<C, "finalizeDeploy"> | DataOf<C, "getDeploy">;
    });

    let deployment: DataOf<C, "getDeployment"> | undefined;
    if (input.wait) {
      const waitOptions = { ...waitTiming, signal, onProgress: options.onProgress };
      at("wait-deploy");
      deploy = await step("wait", both, () =>
        waiters.waitUntilDeployFinished({ ...ids, deployId: createdId }, waitOptions),
      );
      at("wait-deployment");
      deployment = await step("wait", both, () => waiters.waitUntilDeploymentReady(ids, waitOptions));
    }
    at("done");
    return {
      deployId: createdId,
      dagTarballVersion: version,
      deploy,
      deployment,
      bytes: tarball.bytes.length,
      files: tarball.files,
    };
  };
}
