/**
 * The parse worker: a thread that parses document texts for the language server (`lsp/parseWorkerClient.ts`), so
 * that large files are parsed off the thread that answers requests. A ParsedDocument is plain data: it crosses
 * threads by structured clone unchanged (`test/unit/parseWorker.test.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { parseYamlDocument, type ParsedDocument } from './analysis/documents/parsedDocument';
import type { ParseReply, ParseRequest } from './lsp/parseMessages';

parentPort?.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const docs: ParsedDocument[] = request.texts.map((text) => parseYamlDocument(text));
    reply = { id: request.id, docs };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
