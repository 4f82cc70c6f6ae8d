/** A letter remembered in this browser: the text it was parsed from, keyed by its letter id. */
export interface StoredLetter {
  letter_id: string;
  /** The file name it was added from. */
  name: string;
  /** The text the pipeline read (a PDF's laid-out text layer), parsed again on the next visit. */
  text: string;
  added_at: string;
}

const DB_NAME = 'front-door-dashboard';
const STORE = 'added-letters';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** The database, or null where the browser offers no IndexedDB (some private modes). */
async function open(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return null;
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'letter_id' });
  try {
    return await request(req);
  } catch {
    return null;
  }
}

async function withStore<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => Promise<T>,
  fallback: T,
): Promise<T> {
  const db = await open();
  if (!db) return fallback;
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    const result = await work(tx.objectStore(STORE));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/** Remembers letters (a letter with the same id replaces the one remembered before). */
export function rememberLetters(letters: readonly StoredLetter[]): Promise<void> {
  return withStore(
    'readwrite',
    async (store) => {
      await Promise.all(letters.map((letter) => request(store.put(letter))));
    },
    undefined,
  );
}

/** Every remembered letter, in the order they were added. */
export async function storedLetters(): Promise<StoredLetter[]> {
  const all = await withStore(
    'readonly',
    (store) => request(store.getAll() as IDBRequest<StoredLetter[]>),
    [],
  );
  return all.sort((a, b) => (a.added_at < b.added_at ? -1 : a.added_at > b.added_at ? 1 : 0));
}

/** How many letters are remembered; 0 where there is no IndexedDB. */
export async function countStoredLetters(): Promise<number> {
  return withStore('readonly', (store) => request(store.count()), 0).catch(() => 0);
}

/** Forgets every remembered letter. */
export function forgetLetters(): Promise<void> {
  return withStore(
    'readwrite',
    async (store) => {
      await request(store.clear());
    },
    undefined,
  );
}

/** The remembered letter with this id, or null. */
export async function storedLetter(letterId: string): Promise<StoredLetter | null> {
  const found = await withStore(
    'readonly',
    (store) => request(store.get(letterId) as IDBRequest<StoredLetter | undefined>),
    undefined,
  );
  return found ?? null;
}

/** Forgets one remembered letter. */
export function forgetLetter(letterId: string): Promise<void> {
  return withStore(
    'readwrite',
    async (store) => {
      await request(store.delete(letterId));
    },
    undefined,
  );
}
