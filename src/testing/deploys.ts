/**
 * The deploy workflow's rules: a deploy of a deployment that takes DAG deploys gets an upload URL
 * of the fake's own (`dagsUploadUrl`, or `bundleUploadUrl` for a `BUNDLE` deploy), and its
 * finalize must name a version stored at that URL. As the document says, the URL appears only
 * when DAG deploys are enabled on the Deployment; a Hybrid Deployment's deploy carries none either.
 */
import { jsonText } from "./records.js";
import type { FakeRecord, FakeStore } from "./state.js";
import type { UploadEndpoint } from "./uploads.js";
import type { FieldError } from "./validation.js";

interface BundleEntry {
  bundleType: string;
  mountPath: string;
  deployId: string;
  desiredVersion?: string;
  currentVersion?: string;
}

/** The bundle of a `BUNDLE` deploy (the Deploy schema's `type` has no `BUNDLE`: its `bundles` tell it). */
function bundleOf(deploy: FakeRecord): BundleEntry | undefined {
  return Array.isArray(deploy.bundles) ? (deploy.bundles[0] as BundleEntry | undefined) : undefined;
}

/**
 * Sets `isDagDeployEnabled` and the upload URL of a new deploy stored under `deploysPath`;
 * `body` is CreateDeploy's (its `type`, and a `BUNDLE`'s `bundleType` and `bundleMountPath`).
 */
export function prepareDeploy(
  deploy: FakeRecord,
  deploysPath: string,
  store: FakeStore,
  uploads: UploadEndpoint,
  body: unknown,
): void {
  const parts = deploysPath.split("/");
  const deployment = store.get(parts.slice(0, -2).join("/"), parts.at(-2)!);
  const request = (body ?? {}) as { type?: unknown; bundleType?: unknown; bundleMountPath?: unknown };
  deploy.isDagDeployEnabled = deployment?.isDagDeployEnabled !== false;
  const takesUpload = deploy.isDagDeployEnabled && deployment?.type !== "HYBRID";
  delete deploy.dagsUploadUrl;
  delete deploy.bundleUploadUrl;
  // The document's sample lists a bundle; only a BUNDLE deploy has one.
  delete deploy.bundles;
  if (request.type === "BUNDLE") {
    deploy.type = "DAG_ONLY";
    deploy.bundles = [
      {
        bundleType: typeof request.bundleType === "string" ? request.bundleType : "",
        mountPath: typeof request.bundleMountPath === "string" ? request.bundleMountPath : "",
        deployId: String(deploy.id),
      },
    ];
    if (takesUpload) deploy.bundleUploadUrl = uploads.urlFor(String(deploy.id));
  } else if (takesUpload && deploy.type !== "IMAGE_ONLY")
    deploy.dagsUploadUrl = uploads.urlFor(String(deploy.id));
}

/**
 * What is wrong with finalizing `deploy` with `body`: a deploy with an upload URL needs the
 * version of one of its uploads (`dagTarballVersion`, or `bundleTarballVersion` for a bundle).
 */
export function finalizeProblems(deploy: FakeRecord, body: unknown, uploads: UploadEndpoint): FieldError[] {
  const field =
    deploy.bundleUploadUrl !== undefined
      ? "bundleTarballVersion"
      : deploy.dagsUploadUrl !== undefined
        ? "dagTarballVersion"
        : undefined;
  if (field === undefined) return [];
  const version = (body as Record<string, unknown> | undefined)?.[field];
  if (version === undefined)
    return [{ code: "required", field, message: "is required for a deploy with an upload URL" }];
  if (!uploads.versionsOf(String(deploy.id)).includes(jsonText(version)))
    return [{ code: "invalid", field, message: "is not a version uploaded to this deploy's upload URL" }];
  return [];
}

/** FinalizeDeploy of a bundle deploy: its bundle now desires the finalized version. Whether it was one. */
export function finalizeBundle(deploy: FakeRecord, body: unknown): boolean {
  const bundle = bundleOf(deploy);
  if (!bundle) return false;
  const version = (body as { bundleTarballVersion?: unknown } | undefined)?.bundleTarballVersion;
  if (typeof version === "string") bundle.desiredVersion = version;
  return true;
}

/** The bundle deploy's version is served: its `currentVersion` is what it desired. */
export function serveBundle(deploy: FakeRecord): void {
  const bundle = bundleOf(deploy);
  if (bundle?.desiredVersion !== undefined) bundle.currentVersion = bundle.desiredVersion;
}
