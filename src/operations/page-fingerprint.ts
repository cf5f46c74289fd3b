/**
 * A page's fingerprint for `paginate` to notice a page that comes again: 106 bits of two
 * independent 53-bit string hashes (cyrb53), and the text's length.
 *
 * Why not a cryptographic digest: the core has no `node:crypto`, Web Crypto is asynchronous,
 * and a pure-script SHA-256 of a large page costs milliseconds; a collision would only end the
 * listing early, which a server can do anyway by answering an empty page.
 */
export function pageFingerprint(text: string): string {
  return `${text.length}:${cyrb53(text, 0x9e3779b9).toString(36)}:${cyrb53(text, 0x85ebca6b).toString(36)}`;
}

/**
 * The fingerprint of a page's parsed items, or `undefined` when they cannot be serialised: JSON.parse
 * reads any depth, but JSON.stringify recurses and throws `RangeError` a few thousand levels down.
 */
export function itemsFingerprint(items: unknown): string | undefined {
  let text: string;
  try {
    text = JSON.stringify(items);
  } catch {
    return undefined;
  }
  return pageFingerprint(text);
}

/** cyrb53 (public domain, bryc): a fast 53-bit hash of the UTF-16 code units of `text`. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
