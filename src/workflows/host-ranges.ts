/**
 * What kind of network a URL's host is on, from its name alone: the address ranges an upload URL
 * handed out by a remote API must not point into (an API, or something answering in its place,
 * could otherwise make this machine send its tarball — and learn what answers — inside the
 * caller's own network: the cloud metadata service at 169.254.169.254, a service on localhost).
 *
 * Only literal addresses and `localhost` names are recognised: a DNS name that resolves to a
 * private address is not (that would need a lookup before the connection, and the answer may
 * change between the two).
 */
export type HostRange = "loopback" | "link-local" | "private";

/** Where the API answered, and whether uploads may go to private hosts anyway. */
export interface UploadHostPolicy {
  /** The URL CreateDeploy was answered from; `undefined` or `""` when the `fetch` in use did not say. */
  apiUrl: string | undefined;
  allowPrivateHosts: boolean;
}

/**
 * Whether `url` names this machine by a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`…) — the
 * one test the workflows use, for a poll hint, a plain-http upload and where the API answered. A
 * missing or unparsable URL counts as remote.
 */
export function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return hostRange(new URL(url).hostname) === "loopback";
  } catch {
    return false;
  }
}

/**
 * Why `url` may not be uploaded to under `policy`, or `undefined` when it may: a loopback,
 * link-local or private-range host while the API is not on loopback and nothing allows it.
 */
export function refusedHost(url: URL, policy: UploadHostPolicy): string | undefined {
  const range = hostRange(url.hostname);
  if (!range || policy.allowPrivateHosts || isLoopback(policy.apiUrl)) return undefined;
  return (
    `its host ${url.hostname} is a ${range} address while the API is not on loopback; ` +
    `pass upload: { allowPrivateHosts: true } if that is intended`
  );
}

/** The range of `hostname` as the URL parser gives it (IPv4 normalised, IPv6 in brackets), or `undefined` for a public or named host. */
export function hostRange(hostname: string): HostRange | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (host.startsWith("[") && host.endsWith("]")) return ipv6Range(host.slice(1, -1));
  const v4 = ipv4Octets(host);
  return v4 ? ipv4Range(v4) : undefined;
}

function ipv4Octets(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function ipv4Range([a, b]: number[]): HostRange | undefined {
  if (a === 127 || a === 0) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "private";
  // Carrier-grade NAT (100.64/10): shared address space, not the internet.
  if (a === 100 && b! >= 64 && b! <= 127) return "private";
  return undefined;
}

function ipv6Range(address: string): HostRange | undefined {
  if (address === "::1" || address === "::") return "loopback";
  // An IPv4-mapped address (`::ffff:a.b.c.d`, which the URL parser writes as `::ffff:XXXX:XXXX`).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return ipv4Range([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  const first = parseInt(address.split(":")[0] || "0", 16);
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xfe00) === 0xfc00) return "private";
  return undefined;
}
