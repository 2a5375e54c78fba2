/** The parts of Express's req/res the adapter touches (structural: Express 4 and 5 both fit). */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

export interface ResponseLike {
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

export type NextLike = (err?: unknown) => void;
