/// <reference lib="webworker" />
/**
 * The search worker: holds the findings' search index and answers the page's questions about it
 * (search, similar findings, saved themes' tags), so that building the index and answering never
 * run on the page's thread: typing stays smooth whatever the number of findings.
 */
import { SearchEngine } from './search-engine';
import type { SearchReply, SearchRequest } from './search-protocol';

const engine = new SearchEngine();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<SearchRequest>) => {
  const { id, ...question } = event.data;
  let reply: SearchReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const answer = engine.answer(question);
    reply = { id, ok: true, value: answer.value };
    transfer = answer.transfer;
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply, transfer);
};
