/**
 * A response body read as text, at most `max` bytes of it: `cut` when more followed, which is then
 * left unread (the stream cancelled, its connection closed). Counted as the bytes arrive (after
 * inflating, when compressed), so a body without a length, or with a false one, stops at the bound.
 * One reader for every body the SDK keeps: an error's detail, a 2xx JSON body, a blob store's
 * refusal, a downloaded document.
 */
export async function readBounded(response: Response, max: number): Promise<{ text: string; cut: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: "", cut: false };
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), cut: false };
    if (bytes + value.byteLength > max) {
      // The bound exactly: the part of this chunk that fits, and nothing after it.
      text += decoder.decode(value.subarray(0, max - bytes));
      await reader.cancel().catch(() => undefined);
      return { text, cut: true };
    }
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}
