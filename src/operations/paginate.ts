import { createHash } from "node:crypto";
import { AstroConfigError } from "../errors/error-classes.js";

/** One page of a paginated list. */
export interface Page<Item> {
  items: Item[];
  /** The offset this page was requested at. */
  offset: number;
  /** What the server said the whole list holds. */
  totalCount: number | undefined;
  response: Response;
}

/**
 * The items of a paginated list, fetched a page at a time as they are consumed: iterate it with
 * `for await`, or use `pages()` for page-level access and `collect()` to gather them.
 */
export interface Paginator<Item> extends AsyncIterable<Item> {
  pages(): AsyncIterableIterator<Page<Item>>;
  /** All items (or the first `max`) in an array. */
  collect(options?: { max?: number }): Promise<Item[]>;
}

/** Fetches the page at `offset` with `limit` items at most. */
export type PageFetcher = (offset: number, limit: number) => Promise<{ data: unknown; response: Response }>;

/**
 * Walks a list by offset/limit. It stops at `totalCount`, on an empty page, or when the server
 * sends the same page twice (so a misbehaving server cannot loop it forever). It advances by the
 * items received, not the page size asked for, so a server that caps `limit` loses nothing, and
 * it holds only the current page.
 */
export function paginate<Item>(
  fetchPage: PageFetcher,
  itemsKey: string,
  options: { pageSize: number; startOffset: number; signal: AbortSignal | undefined },
): Paginator<Item> {
  async function* pages(): AsyncIterableIterator<Page<Item>> {
    let offset = options.startOffset;
    let previous: string | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const { data, response } = await fetchPage(offset, options.pageSize);
      const body = (data ?? {}) as Record<string, unknown>;
      const items = Array.isArray(body[itemsKey]) ? (body[itemsKey] as Item[]) : [];
      const totalCount = typeof body.totalCount === "number" ? body.totalCount : undefined;
      if (items.length === 0) return;
      const fingerprint = createHash("sha1").update(JSON.stringify(items)).digest("hex");
      if (fingerprint === previous) return;
      previous = fingerprint;
      yield { items, offset, totalCount, response };
      offset += items.length;
      if (totalCount !== undefined && offset >= totalCount) return;
    }
  }

  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
    async collect({ max = Number.POSITIVE_INFINITY }: { max?: number } = {}) {
      if (!(max >= 0)) throw new AstroConfigError(`max must be ≥ 0, got ${String(max)}`);
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
