/**
 * The moments at which a budget's held units come back (`performance.now()` times), kept in
 * ascending order. Release times mostly arrive in order, so inserting is O(1) in practice, and the
 * ones that passed are dropped from the front in O(1) each, without shifting the array each time.
 */
export class Holds {
  #times: number[] = [];
  #head = 0;

  /** How many units are still held at `now` (dropping those that came back). */
  count(now: number): number {
    this.#prune(now);
    return this.size;
  }

  /**
   * How many moments are kept: the units held, and those that came back since the last `count`
   * (an upper bound of the held ones, read without the clock).
   */
  get size(): number {
    return this.#times.length - this.#head;
  }

  /** The next moment a unit comes back, if any is held. */
  earliest(): number | undefined {
    return this.#head < this.#times.length ? this.#times[this.#head] : undefined;
  }

  /** Holds a unit until `at`. */
  add(at: number): void {
    const times = this.#times;
    let i = times.length;
    while (i > this.#head && times[i - 1]! > at) i -= 1;
    if (i === times.length) times.push(at);
    else times.splice(i, 0, at);
  }

  /** Stops holding one unit held until `at`, if it has not come back already. */
  remove(at: number): void {
    const times = this.#times;
    let low = this.#head;
    let high = times.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (times[mid]! < at) low = mid + 1;
      else high = mid;
    }
    if (low < times.length && times[low] === at) times.splice(low, 1);
  }

  #prune(now: number): void {
    const times = this.#times;
    while (this.#head < times.length && times[this.#head]! <= now) this.#head += 1;
    if (this.#head === times.length) {
      if (this.#head > 0) this.#times = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > times.length) {
      this.#times = times.slice(this.#head);
      this.#head = 0;
    }
  }
}
