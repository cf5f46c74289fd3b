/** How the demo writes: one aligned line per step, short numbers. */

/** The width of a step's name column. */
const NAME_WIDTH = 18;

/** One aligned line of the tour. */
export function step(name: string, text: string): void {
  console.log(`  ${name.padEnd(NAME_WIDTH)} ${text}`);
}

/**
 * A line that changes while a step runs (a progress bar), redrawn in place on a terminal; where
 * the output is a file or a pipe only `done` writes it, once, so logs and tests read one line.
 */
export function liveStep(name: string): { update(text: string): void; done(text: string): void } {
  const tty = process.stdout.isTTY === true;
  const line = (text: string) => `  ${name.padEnd(NAME_WIDTH)} ${text}`;
  return {
    update(text) {
      if (tty) process.stdout.write(`\r\x1b[2K${line(text)}`);
    },
    done(text) {
      if (tty) process.stdout.write(`\r\x1b[2K`);
      console.log(line(text));
    },
  };
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;

/** `[#####     ] 50%` */
export function bar(done: number, total: number, width = 10): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.round(share * 100)}%`;
}

/** The most of `moments` (ms) within any `windowMs`: what a server's sliding window would count. */
export function busiestWindow(moments: readonly number[], windowMs = 1000): number {
  const sorted = [...moments].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return busiest;
}
