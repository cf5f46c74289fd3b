import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** One page of a paginated list. */
export interface Page<Item> {
  /** The items of this page. */
  items: Item[];
  /** The offset this page was requested at. */
  offset: number;
  /** What the server said the whole list holds. */
  totalCount: number | undefined;
  /** The HTTP response of this page, its body already read. */
  response: Response;
}

/**
 * The items of a paginated list, fetched a page at a time as they are consumed: iterate it with
 * `for await`, or use `pages()` for page-level access and `collect()` to gather them.
 */
export interface Paginator<Item> extends AsyncIterable<Item> {
  /** The pages themselves, one request each, as they are consumed. */
  pages(): AsyncIterableIterator<Page<Item>>;
  /** All items (or the first `max`) in an array. */
  collect(options?: { max?: number }): Promise<Item[]>;
}

/**
 * Fetches the page at `offset` with `limit` items at most. The transport has already checked the
 * page: an object with an `itemsKey` array and a whole `totalCount` ≥ 0, or `InvalidResponseError`;
 * and fingerprinted its items (page-fingerprint.ts), to tell a page that comes again.
 */
export type PageFetcher = (
  offset: number,
  limit: number,
) => Promise<{ data: unknown; response: Response; fingerprint: string | undefined }>;

/** Pages remembered to recognise a server that serves one again (a fingerprint each: bounded memory). */
const REMEMBERED_PAGES = 1024;

/**
 * Walks a list by offset/limit, and ends against any server:
 * - at the smallest `totalCount` any page claimed (a claim can shrink the walk, never grow it);
 * - on an empty page;
 * - when a page comes again (alternating pages, an ignored `offset`): the fingerprints of the
 *   last 1,024 pages are kept; longer cycles still end at `totalCount`, since each page advances.
 * It advances by the items received, not the page size asked for, so a server that caps `limit`
 * loses nothing, and it holds only the current page.
 */
export function paginate<Item>(
  fetchPage: PageFetcher,
  itemsKey: string,
  options: { pageSize: number; startOffset: number; signal: AbortSignal | undefined },
): Paginator<Item> {
  async function* pages(): AsyncIterableIterator<Page<Item>> {
    let offset = options.startOffset;
    let bound = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (;;) {
      options.signal?.throwIfAborted();
      const { data, response, fingerprint } = await fetchPage(offset, options.pageSize);
      const body = data as Record<string, unknown>;
      const items = body[itemsKey] as Item[];
      const totalCount = body.totalCount as number;
      bound = Math.min(bound, totalCount);
      if (items.length === 0) return;
      if (fingerprint !== undefined) {
        if (seen.has(fingerprint)) return;
        if (seen.size >= REMEMBERED_PAGES) seen.delete(seen.values().next().value!);
        seen.add(fingerprint);
      }
      yield { items, offset, totalCount, response };
      offset += items.length;
      if (offset >= bound) return;
    }
  }

  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
    async collect(options: { max?: number } = {}) {
      if (options === null || typeof options !== "object") {
        throw new AstroConfigError(
          `collect() takes { max }, got ${options === null ? "null" : typeof options}`,
        );
      }
      const { max = Number.POSITIVE_INFINITY } = options;
      if (typeof max !== "number" || !(max >= 0)) {
        throw new AstroConfigError(`max must be a number ≥ 0, got ${describeValue(max)}`);
      }
      const all: Item[] = [];
      if (max === 0) return all;
      for await (const page of pages()) {
        for (const item of page.items) {
          all.push(item);
          if (all.length >= max) return all;
        }
      }
      return all;
    },
  };
}
