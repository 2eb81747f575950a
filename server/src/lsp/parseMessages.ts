import type { ParsedDocument } from '../analysis/documents/parsedDocument';

/** A batch of document texts for the parse worker (`parseWorker.ts`). */
export interface ParseRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

/** The parses of a batch, in its order; `error` when the worker failed on it (the caller then parses itself). */
export interface ParseReply {
  readonly id: number;
  readonly docs?: readonly ParsedDocument[];
  readonly error?: string;
}
