/**
 * The deploy workflow's rules: a deploy of a deployment that takes DAG deploys gets an upload URL
 * of the fake's own, and its finalize must name a version stored at that URL.
 */
import { jsonText } from "./records.js";
import type { FakeRecord, FakeStore } from "./state.js";
import type { UploadEndpoint } from "./uploads.js";
import type { FieldError } from "./validation.js";

/** Sets `isDagDeployEnabled` and `dagsUploadUrl` of a new deploy stored under `deploysPath`. */
export function prepareDeploy(
  deploy: FakeRecord,
  deploysPath: string,
  store: FakeStore,
  uploads: UploadEndpoint,
): void {
  const parts = deploysPath.split("/");
  const deployment = store.get(parts.slice(0, -2).join("/"), parts.at(-2)!);
  deploy.isDagDeployEnabled = deployment?.isDagDeployEnabled !== false;
  if (deploy.isDagDeployEnabled && deploy.type !== "IMAGE_ONLY")
    deploy.dagsUploadUrl = uploads.urlFor(String(deploy.id));
  else delete deploy.dagsUploadUrl;
}

/** What is wrong with finalizing `deploy` with `body`: a DAG deploy needs the version of one of its uploads. */
export function finalizeProblems(deploy: FakeRecord, body: unknown, uploads: UploadEndpoint): FieldError[] {
  if (deploy.dagsUploadUrl === undefined) return [];
  const version = (body as { dagTarballVersion?: unknown } | undefined)?.dagTarballVersion;
  if (version === undefined)
    return [{ code: "required", field: "dagTarballVersion", message: "is required for a deploy with DAGs" }];
  if (!uploads.versionsOf(String(deploy.id)).includes(jsonText(version)))
    return [
      {
        code: "invalid",
        field: "dagTarballVersion",
        message: "is not a version uploaded to this deploy's dagsUploadUrl",
      },
    ];
  return [];
}
