import { checkSignal } from "../client/checks.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { checkPathSegment, MAX_ID_LENGTH } from "../operations/path-params.js";
import {
  pathIds,
  type DataOf,
  type WorkflowCallOptions,
  type WorkflowCallResult,
  type WorkflowClient,
} from "./client.js";
import { AstroDeployError, type DeployStep } from "./errors.js";
import {
  checkGitOption,
  resolveGit,
  type DeployGit,
  type GitOption,
  type GitReaderLoader,
} from "./deploy-git.js";
import { redact } from "../errors/redact.js";
import { fanOut, type DeployDagsStep, type DeployWorkflowEvent } from "./events.js";
import type { WorkflowContext } from "./create-workflows.js";
import { waitUntilLive, type LiveTarget } from "./live.js";
import {
  defaultLoaders,
  packDirectory,
  readTarball,
  type PackLoaders,
  type PackOptions,
  type Tarball,
  type TarballSource,
} from "./pack.js";
import { checkDeployTarget, type PreflightOptions } from "./preflight.js";
import { checkTarballMembers } from "./tarball-check.js";
import { checkUploadUrl, resolveUploadOptions, uploadTarball, type UploadOptions } from "./upload.js";
import { resolveTiming } from "./timing.js";
import { WAITER_DEFAULTS } from "./constants.js";
import type { WaiterOptions } from "./waiters.js";

/** What both deploy workflows take besides what they deploy. */
export interface DeployCommonInput extends PreflightOptions {
  /** Defaults to the client's `organizationId`. */
  organizationId?: string;
  /** The Deployment to deploy to. */
  deploymentId: string;
  /** Shown with the deploy in the Astro UI (default: the commit's subject, when `git` is read). */
  description?: string;
  /**
   * Git metadata for the Astro UI: `true` (default) reads the folder's repository (nothing is sent
   * when there is none, no git binary, no `origin` remote, or the folder has uncommitted
   * changes), `false` sends none, an object is sent as it is.
   */
  git?: GitOption;
  /**
   * After finalizing, wait until the Deployment serves the deploy's version (see
   * docs/workflows.md). `true` uses the defaults (20 min); an object sets the timing.
   */
  wait?: boolean | Pick<WaiterOptions, "maxWaitMs" | "minDelayMs" | "maxDelayMs">;
}

/** What to deploy where: a folder of DAGs (`directory`) or a ready tarball (`tarball`), not both. */
export interface DeployDagsInput extends DeployCommonInput, PackOptions {
  /** A folder of DAGs (usually `<project>/dags`), packed as `dags/…` entries (see `dagsBaseDir`). */
  directory?: string;
  /**
   * A ready `.tar` or `.tar.gz`: its bytes, a file path, or a stream (read into memory first). Its
   * members are checked first: absolute paths, `..` and links leaving it are refused.
   */
  tarball?: TarballSource;
}

/** How `deployDags` runs. */
export interface DeployDagsOptions {
  /** Aborts whatever step is running. */
  signal?: AbortSignal;
  /** Receives this deploy's events (steps, upload progress, polls), beside the client's `onEvent`. */
  onProgress?: (event: DeployWorkflowEvent<DeployDagsStep>) => void;
  /** Retries of the upload to the blob store. */
  upload?: UploadOptions;
}

/** What a deploy produced. */
export interface DeployDagsResult<C extends WorkflowClient> {
  /** The deploy CreateDeploy made for this upload. */
  deployId: string;
  /** The blob version FinalizeDeploy was given (`x-ms-version-id`). */
  dagTarballVersion: string;
  /**
   * `true` when the wait saw the Deployment serve this version (its `dagTarballVersion`, or for a
   * bundle the deploy's bundle `currentVersion`, equals it); `false` without `wait`.
   */
  live: boolean;
  /** The deploy as FinalizeDeploy answered, or as the last poll saw it when waiting. */
  deploy: DataOf<C, "finalizeDeploy"> | DataOf<C, "getDeploy">;
  /** The Deployment serving the version, when waiting for DAGs. */
  deployment: DataOf<C, "getDeployment"> | undefined;
  /** Size of the uploaded tarball. */
  bytes: number;
  /** Files packed from `directory` (`undefined` for a ready tarball). */
  files: number | undefined;
  /** The git metadata sent with CreateDeploy, if any. */
  git: DeployGit | undefined;
}

/**
 * The deploy id CreateDeploy returned goes into FinalizeDeploy's path: one that is not a single
 * path segment (`..`, `a/b`) is refused here, before the tarball is uploaded, as the deploy's error.
 * So is one that holds the client's token (it would be repeated in every event and error that
 * shows a URL of the deploy) or is longer than `MAX_ID_LENGTH` (Astro's are 25 characters).
 */
function checkDeployId(
  id: string,
  deploymentId: string,
  workflow: string,
  secrets: readonly string[],
): string {
  const what = "the deploy id CreateDeploy returned";
  let problem: string | undefined;
  try {
    checkPathSegment(id, what);
  } catch (error) {
    problem = (error as Error).message;
  }
  // A number passes as a path segment (the API's ids are strings, a hostile answer's need not be).
  const text = String(id);
  if (problem === undefined && redact(text, secrets) !== text) problem = `${what} holds the client's token`;
  if (problem === undefined && text.length > MAX_ID_LENGTH)
    problem = `${what} is ${text.length} characters long (Astro's ids are about 25)`;
  if (problem !== undefined) {
    throw new AstroDeployError(`${workflow} failed at create: ${problem}; nothing was uploaded`, {
      step: "create",
      deploymentId,
    });
  }
  return id;
}

/** Runs `work` as `step`, turning what it throws into an `AstroDeployError` that says where the deploy stands. */
async function step<T>(
  workflow: string,
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
      `${workflow} failed at ${name} (${where})${stand}: ${(error as Error)?.message ?? String(error)}`,
      { step: name, ...ids },
      { cause: error },
    );
  }
}

/** An operation method called with a body its (v1beta1-shaped) parameter type does not list. */
type WideCall = (args: object, options: WorkflowCallOptions) => Promise<WorkflowCallResult>;

/** What differs between a DAG deploy and a BUNDLE deploy; the rest of the flow is shared. */
export interface DeployKind {
  workflow: "deployDags" | "deployBundle";
  /** Packs (or reads and checks) the tarball; nothing is created before it resolves. */
  tarball: () => Promise<Tarball>;
  /** The folder whose repository gives the git metadata. */
  directory: string | undefined;
  /** CreateDeploy's body, besides `description` and `git`. */
  body: { type: "DAG_ONLY" } | { type: "BUNDLE"; bundleType: string; bundleMountPath: string };
  /** The field of CreateDeploy's answer holding the upload URL. */
  uploadUrlField: "dagsUploadUrl" | "bundleUploadUrl";
  /** FinalizeDeploy's body for the uploaded version. */
  finalizeBody: (version: string) => { dagTarballVersion: string } | { bundleTarballVersion: string };
  /** What the live wait looks for. */
  live: (version: string) => LiveTarget;
}

/** The loaders a deploy uses: packages for packing, and the Node-only git reader. */
export interface DeployLoaders extends PackLoaders {
  git?: GitReaderLoader;
}

/**
 * The shared flow: pack, read git metadata, pre-flight (GetDeployment), CreateDeploy, PUT to the
 * upload URL, FinalizeDeploy with the blob's `x-ms-version-id`, and with `wait` until live.
 * Everything that can be checked is checked before CreateDeploy, so a refused deploy leaves none.
 */
export async function runDeploy<C extends WorkflowClient>(
  client: C,
  { emit, secrets }: WorkflowContext,
  kind: DeployKind,
  input: DeployCommonInput,
  options: DeployDagsOptions,
  gitLoader: GitReaderLoader | undefined,
): Promise<DeployDagsResult<C>> {
  const { workflow } = kind;
  const ids = pathIds(input, ["deploymentId"]);
  const { deploymentId } = ids;
  if (input.description !== undefined && typeof input.description !== "string") {
    throw new AstroConfigError("description must be a string");
  }
  // Every option is checked here, before anything is created on the Deployment.
  const upload = resolveUploadOptions(options.upload);
  const waitTiming = input.wait === true || !input.wait ? {} : input.wait;
  resolveTiming(waitTiming, WAITER_DEFAULTS.deployLive);
  const gitOption = checkGitOption(input.git);
  const started = performance.now();
  const send = fanOut<DeployWorkflowEvent<DeployDagsStep>>(emit, options.onProgress);
  // What the progress events report so far; filled in as the steps learn it.
  const known: { deployId?: string; totalBytes?: number } = {};
  const at = (name: DeployDagsStep) =>
    send({
      type: "deploy",
      workflow,
      step: name,
      deploymentId,
      deployId: known.deployId,
      totalBytes: known.totalBytes,
      elapsedMs: Math.round(performance.now() - started),
    });
  const signal = checkSignal(options.signal);
  if (signal?.aborted)
    throw new AstroDeployError(
      `${workflow} was aborted before it started`,
      { step: "pack", deploymentId },
      { cause: signal.reason },
    );

  at("pack");
  const tarball = await kind.tarball();
  known.totalBytes = tarball.bytes.length;
  const { git, subject } = await resolveGit(gitOption, kind.directory, gitLoader);

  at("preflight");
  const current = await step(workflow, "preflight", { deploymentId }, async () => {
    const { data } = await client.getDeployment(ids, { signal });
    return data;
  });
  checkDeployTarget(current, deploymentId, workflow, input);

  at("create");
  const description = input.description ?? subject;
  let apiUrl: string | undefined;
  const created = await step(workflow, "create", { deploymentId }, async () => {
    const body = {
      ...kind.body,
      ...(description === undefined ? {} : { description }),
      ...(git === undefined ? {} : { git }),
    };
    // `BUNDLE` and `git` are v1.0's; the structural client type keeps v1beta1's narrower body.
    const result = await (client.createDeploy as WideCall).call(client, { ...ids, body }, { signal });
    // Where the API answered from decides which upload hosts are allowed (checkUploadUrl).
    apiUrl = result.response?.url;
    return result.data as Record<string, unknown> | null;
  });
  if (typeof created?.id !== "string" || created.id === "") {
    throw new AstroDeployError("CreateDeploy answered without a deploy id", {
      step: "create",
      deploymentId,
    });
  }
  const createdId = checkDeployId(created.id, deploymentId, workflow, secrets?.() ?? []);
  known.deployId = createdId;
  const both = { deploymentId, deployId: createdId };
  const uploadUrl = created[kind.uploadUrlField];
  if (typeof uploadUrl !== "string" || uploadUrl === "") {
    throw new AstroDeployError(
      `CreateDeploy returned no ${kind.uploadUrlField} for Deployment ${deploymentId}, so nothing was uploaded (are DAG deploys enabled on it?); deploy ${createdId} stays un-finalized`,
      { step: "create", ...both },
    );
  }
  const url = checkUploadUrl(uploadUrl, both, {
    apiUrl,
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
        if (bytesSent !== 0 && bytesSent !== tarball.bytes.length && bytesSent - lastReported < every) return;
        lastReported = bytesSent;
        send({ type: "upload", ...both, attempt, bytesSent, totalBytes: tarball.bytes.length });
      },
    },
    upload,
  );

  at("finalize");
  let deploy = await step(workflow, "finalize", both, async () => {
    const { data } = await (client.finalizeDeploy as WideCall).call(
      client,
      { ...ids, deployId: createdId, body: kind.finalizeBody(version) },
      { signal },
    );
    return data as DataOf<C, "finalizeDeploy"> | DataOf<C, "getDeploy">;
  });

  let deployment: DataOf<C, "getDeployment"> | undefined;
  let live = false;
  if (input.wait) {
    at("wait-live");
    const ended = await step(workflow, "wait", both, () =>
      waitUntilLive(client, { ...ids, deployId: createdId }, kind.live(version), {
        timing: waitTiming,
        signal,
        emit,
        secrets,
        onProgress: options.onProgress,
        finalized: deploy,
      }),
    );
    deploy = ended.deploy;
    deployment = ended.deployment;
    live = true;
  }
  at("done");
  return {
    deployId: createdId,
    dagTarballVersion: version,
    live,
    deploy,
    deployment,
    bytes: tarball.bytes.length,
    files: tarball.files,
    git,
  };
}

/**
 * Deploys DAGs in one call: pack (or read and check) the tarball, read the folder's git metadata,
 * read the Deployment (pre-flight), CreateDeploy (`DAG_ONLY`), PUT the tarball to the returned
 * `dagsUploadUrl`, FinalizeDeploy with its `x-ms-version-id`, and, with `wait`, wait until the
 * Deployment's `dagTarballVersion` is that version.
 */
export function createDeployDags<C extends WorkflowClient>(
  client: C,
  context: WorkflowContext,
  loaders: DeployLoaders = defaultLoaders,
) {
  return async function deployDags(
    input: DeployDagsInput,
    options: DeployDagsOptions = {},
  ): Promise<DeployDagsResult<C>> {
    if (input === null || typeof input !== "object")
      throw new AstroConfigError("deployDags needs an object with deploymentId and directory or tarball");
    if ((input.directory === undefined) === (input.tarball === undefined)) {
      throw new AstroConfigError("deployDags needs exactly one of directory (a folder of DAGs) or tarball");
    }
    const kind: DeployKind = {
      workflow: "deployDags",
      directory: input.directory,
      tarball: async () => {
        if (input.directory !== undefined) return packDirectory(input.directory, input, loaders);
        const ready = await readTarball(input.tarball as TarballSource);
        await checkTarballMembers(ready.bytes, loaders.tar);
        return ready;
      },
      body: { type: "DAG_ONLY" },
      uploadUrlField: "dagsUploadUrl",
      finalizeBody: (version) => ({ dagTarballVersion: version }),
      live: (version) => ({ kind: "dags", version }),
    };
    return runDeploy(client, context, kind, input, options, loaders.git);
  };
}
