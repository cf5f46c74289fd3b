import { itemsFingerprint } from "./page-fingerprint.js";

/**
 * A page of a paginated list, as the transport checks it before `paginate` sees it: an object
 * with an `itemsKey` array and a whole `totalCount` ≥ 0 (it must say where its items are and how
 * many there are), whose items can be fingerprinted to tell a page that comes again. The
 * fingerprint is made here, where items nested too deep to serialise (JSON.parse reads any depth,
 * JSON.stringify does not) are reported as an invalid response, not thrown later as a RangeError.
 */
export function checkPage(data: unknown, itemsKey: string): { problem: string } | { fingerprint: string } {
  if (data === null || typeof data !== "object" || Array.isArray(data))
    return { problem: "a page that is not an object" };
  const page = data as Record<string, unknown>;
  if (!Array.isArray(page[itemsKey])) return { problem: `a page without a "${itemsKey}" array` };
  const total = page.totalCount;
  if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0) {
    return { problem: "a page without a whole totalCount ≥ 0" };
  }
  const fingerprint = itemsFingerprint(page[itemsKey]);
  return fingerprint === undefined
    ? { problem: "a page whose items are nested too deep to read" }
    : { fingerprint };
}
