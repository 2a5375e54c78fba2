/** The parts of a Koa context the adapter touches (structural: Koa 2 and 3 both fit). */
export interface ContextLike {
  headers: Record<string, string | string[] | undefined>;
  state: object;
}

/** What the error middleware writes. */
export interface ResponseContextLike {
  status: number;
  body: unknown;
  set(field: string, value: string): void;
  headerSent?: boolean;
}

export type Next = () => Promise<unknown>;
