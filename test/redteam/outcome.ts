/** What `run` threw or rejected with, or `undefined` when it succeeded (sync throws included). */
export async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}
