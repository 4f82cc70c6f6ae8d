import { parentPort } from 'node:worker_threads';
import { buildCouncilMatcher } from '@/core/pipeline/match-council';
import { parseFile } from './parse-file';
import type { InputFile } from './read-inputs';

// A worker of the ingest's pool: parses the files it is sent, one message per file.
const matcher = buildCouncilMatcher();
parentPort?.on('message', (message: { index: number; file: InputFile }) => {
  parseFile(message.file, matcher).then(
    (result) => parentPort?.postMessage({ index: message.index, result }),
    (error: unknown) =>
      parentPort?.postMessage({
        index: message.index,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
