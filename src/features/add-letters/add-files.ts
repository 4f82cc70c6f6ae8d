/**
 * The add-letters feature as src/app/letter-adder.ts asks for it: files added as letters,
 * remembered in this browser, and every view's figures refreshed.
 */
import type { LetterAdder } from '@/app/letter-adder';
import { addLetters } from './add-letters-session';
import { refreshViews } from './refresh-views';

export const addLetterFiles: LetterAdder = async (files, client) => {
  const report = await addLetters(
    files.map((file) => ({
      name: file.name,
      read: async () => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }),
    })),
    { remember: true, onProgress: () => undefined },
  );
  await refreshViews(client);
  return report.files;
};
