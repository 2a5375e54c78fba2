/** Reading a fetch `Response` body as text with a size cap, never buffering more than the cap. */

/** Thrown by `readCappedText` through `tooLarge`; the caller turns it into its own typed error. */
export interface TooLarge {
  /** The declared length when the server sent one, else undefined (the stream ran past the cap). */
  readonly declared: number | undefined;
}

/** The body as UTF-8 text, or `tooLarge(...)`'s error when it is larger than `max` bytes. */
export async function readCappedText(response: Response, max: number, tooLarge: (info: TooLarge) => Error): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge({ declared });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge({ declared: undefined });
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
