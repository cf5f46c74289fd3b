/**
 * The fake's resources: one ordered map per concrete collection path
 * (`/organizations/o1/deployments`), keyed by the id in the item path. Records are plain JSON
 * objects shaped like the document's schema for that collection.
 */

/** A stored resource, as the API answers it. */
export type FakeRecord = Record<string, unknown>;

export class FakeStore {
  private readonly collections = new Map<string, Map<string, FakeRecord>>();

  get(collectionPath: string, id: string): FakeRecord | undefined {
    return this.collections.get(collectionPath)?.get(id);
  }

  /** The records of a collection, oldest first. */
  list(collectionPath: string): FakeRecord[] {
    return [...(this.collections.get(collectionPath)?.values() ?? [])];
  }

  put(collectionPath: string, id: string, record: FakeRecord): void {
    let collection = this.collections.get(collectionPath);
    if (!collection) this.collections.set(collectionPath, (collection = new Map<string, FakeRecord>()));
    collection.set(id, record);
  }

  /** Removes a record and everything stored under it; whether it was there. */
  remove(collectionPath: string, id: string): FakeRecord | undefined {
    const record = this.get(collectionPath, id);
    if (!record) return undefined;
    this.collections.get(collectionPath)!.delete(id);
    const prefix = `${collectionPath}/${id}/`;
    for (const path of [...this.collections.keys()])
      if (path.startsWith(prefix)) this.collections.delete(path);
    return record;
  }

  /** Every collection with records, by path, for inspection and snapshots. */
  dump(): Record<string, FakeRecord[]> {
    const out: Record<string, FakeRecord[]> = {};
    for (const [path, records] of this.collections) if (records.size) out[path] = [...records.values()];
    return out;
  }

  clear(): void {
    this.collections.clear();
  }
}
