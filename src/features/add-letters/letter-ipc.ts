import {
  Bool,
  Float64,
  Int32,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { LetterRows } from '@/core/pipeline/to-rows';
import { TABLES, type ColumnType } from '@/core/schema';

/** The tables a letter's rows go into. */
export const LETTER_TABLES = ['letters', 'findings', 'finding_themes'] as const;
export type LetterTable = (typeof LETTER_TABLES)[number];

/**
 * One chunk of letters' rows as Arrow IPC streams, one per table (null for a table with no rows
 * in the chunk), with the number of letters in it.
 */
export interface StagedChunk {
  letters: number;
  ipc: Record<LetterTable, Uint8Array | null>;
}

/** How many letters one chunk holds: the page puts them into the engine one chunk at a time. */
export const CHUNK_LETTERS = 50;

/**
 * A stage table's columns: the contract's, with dates as ISO text (DuckDB casts them on the way
 * into the session's table).
 */
export function stageColumns(table: LetterTable): [string, ColumnType][] {
  return (Object.entries(TABLES[table]) as [string, ColumnType][]).map(([name, type]) => [
    name,
    type === 'DATE' ? 'VARCHAR' : type,
  ]);
}

function arrowType(type: ColumnType): DataType {
  if (type === 'INTEGER') return new Int32();
  if (type === 'DOUBLE') return new Float64();
  if (type === 'BOOLEAN') return new Bool();
  return new Utf8();
}

/** Rows of one table as one Arrow IPC stream (a buffer of its own, to be transferred). */
export function rowsToIpc(table: LetterTable, rows: readonly object[]): Uint8Array | null {
  if (rows.length === 0) return null;
  const vectors: Record<string, Vector> = {};
  for (const [name, type] of stageColumns(table)) {
    const values = rows.map((row) => (row as Record<string, unknown>)[name] ?? null);
    vectors[name] = vectorFromArray(values, arrowType(type));
  }
  const ipc = tableToIPC(new Table(vectors), 'stream');
  return ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
}

/** Letters' rows in chunks of {@link CHUNK_LETTERS}, each table as Arrow IPC. */
export function lettersToChunks(letters: readonly LetterRows[]): StagedChunk[] {
  const chunks: StagedChunk[] = [];
  for (let i = 0; i < letters.length; i += CHUNK_LETTERS) {
    const part = letters.slice(i, i + CHUNK_LETTERS);
    chunks.push({
      letters: part.length,
      ipc: {
        letters: rowsToIpc(
          'letters',
          part.map((l) => l.letter),
        ),
        findings: rowsToIpc(
          'findings',
          part.flatMap((l) => l.findings),
        ),
        finding_themes: rowsToIpc(
          'finding_themes',
          part.flatMap((l) => l.findingThemes),
        ),
      },
    });
  }
  return chunks;
}
