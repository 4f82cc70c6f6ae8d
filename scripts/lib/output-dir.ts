/**
 * How an ingest's output appears all at once, and how two ingests keep off each other's output.
 *
 * The output folder `DIR` stays a plain folder, but each file the ingest writes in it
 * (`letters.parquet`, ..., `rejected.json`) is a symbolic link `DIR/NAME ->
 * ../.tmp-BASE.sets/current/NAME`, and `current` is itself a link to one whole set of files,
 * `../.tmp-BASE.sets/set-HASH/`. A run writes its set beside the published one, syncs it, and then
 * replaces `current` by renaming a new link over it: one `rename(2)`, atomic on POSIX file
 * systems, so that a reader of `DIR/NAME` sees the old set or the new one, whole, whatever moment
 * the run is killed at. Other files in `DIR` (the accuracy report, the precomputed overview) are
 * left alone.
 *
 * The sets folder is `DIR`'s hidden sibling (`public/.tmp-data.sets` for `public/data`), named
 * `.tmp-*` so that git, Prettier and ESLint pass over it as they do other scratch folders; the
 * Vite build leaves it out when it copies `public/` (vite.config.ts). It also holds the lock
 * (`lock`: the holder's pid, start time and host, taken with `link(2)` so it appears whole), the
 * run's staging database and the set being written. A run, once it holds the lock, removes
 * whatever a killed run left there; it removes the old set once the new one is published.
 *
 * Files an earlier version wrote straight into `DIR` are taken over without a moment where `DIR`
 * shows anything else: they are copied (hard-linked) into a set of their own, which is published,
 * and then each file is replaced by its link, which shows the same bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { TABLE_NAMES } from '../../src/core/schema';
import { pauseAt } from './fault-hook';

/** The files a run of the ingest publishes, as one set. */
export const INGEST_FILES: readonly string[] = [
  ...TABLE_NAMES.map((table) => `${table}.parquet`),
  'rejected.json',
];

/** The name of the sets folder beside an output folder named `base` (vite.config.ts knows it). */
export function setsFolderName(base: string): string {
  return `.tmp-${base}.sets`;
}

const CURRENT = 'current';
const LOCK = 'lock';
/** Prefix of the temporary links made in `DIR` and renamed over the files. */
const LINK_TEMP_RE = /^\.ingest-link-(\d+)-/;

/** Another ingest holds the output folder: nothing was written. */
export class OutputLockedError extends Error {
  override name = 'OutputLockedError';
}

/** What the lock file says about the ingest that holds it. */
interface LockInfo {
  pid: number;
  /** When the holder started, ISO 8601. */
  started: string;
  host: string;
  /** The process's start time as the kernel counts it (Linux), to tell a reused pid. */
  procStart: string | null;
  /** Tells this holder's lock from any other's. */
  token: string;
}

/** The start time of a process in clock ticks since boot (Linux), or null where unknown. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The tokens of the locks this process holds now. */
const heldTokens = new Set<string>();

/** True when the process that wrote a lock may still be running (on another host: assumed). */
function holderAlive(holder: LockInfo, mine: LockInfo): boolean {
  if (holder.host !== mine.host) return true;
  // This process's own pid: held by this process now, or left by an earlier life of the pid (a
  // container restarted from scratch gives its processes the same pids again).
  if (holder.pid === process.pid) return heldTokens.has(holder.token);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = procStart(holder.pid);
  return holder.procStart === null || start === null || start === holder.procStart;
}

/** Parses a lock file's text; null for one that is not a lock (garbled by hand or a crash). */
function parseLock(text: string): LockInfo | null {
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.token === 'string'
      ? {
          pid: info.pid,
          started: String(info.started),
          host: String(info.host),
          procStart: info.procStart ?? null,
          token: info.token,
        }
      : null;
  } catch {
    return null;
  }
}

/** The code of a file system error, or undefined. */
function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Reads a file, or gives undefined when it is not there. */
async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** True when a path exists (a dangling link counts). */
async function lexists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null)) !== null;
}

/** Flushes a file or folder to the disk; folders where the system cannot are let be. */
function fsyncPath(file: string, folder = false): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (folder) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!folder) throw error;
  } finally {
    closeSync(fd);
  }
}

/** True when a process with this id exists (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Takes the lock file `file` for this process: made under another name with the holder's
 * details, then hard-linked into place, which fails if a lock is there. A lock whose holder is
 * gone is moved aside (and checked to be the one judged stale) and taken over.
 */
async function takeLock(
  file: string,
  label: string,
  note: (line: string) => void,
): Promise<LockInfo> {
  const mine: LockInfo = {
    pid: process.pid,
    started: new Date().toISOString(),
    host: hostname(),
    procStart: procStart(process.pid),
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(mine)}\n`;
  const temp = `${file}.${process.pid}-${mine.token}`;
  try {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      // The sets folder goes when an ingest that published nothing ends: make it again.
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, text);
      try {
        await link(temp, file);
        heldTokens.add(mine.token);
        return mine;
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const held = await readIfThere(file);
      if (held === undefined) continue;
      const holder = parseLock(held);
      if (holder && holderAlive(holder, mine))
        throw new OutputLockedError(
          `${label} is being written by another ingest (pid ${holder.pid}, started ${holder.started}${holder.host === mine.host ? '' : ` on ${holder.host}`}); nothing was written. Run again once it has finished, or stop that process.`,
        );
      const aside = `${file}.stale-${process.pid}-${mine.token}`;
      try {
        await rename(file, aside);
      } catch (error) {
        if (codeOf(error) === 'ENOENT') continue;
        throw error;
      }
      if ((await readIfThere(aside)) !== held) {
        // Another ingest took the lock over in between: give it back.
        await link(aside, file).catch(() => undefined);
        await rm(aside, { force: true });
        continue;
      }
      await rm(aside, { force: true });
      note(
        holder
          ? `ingest: taking over ${label} from an ingest that is no longer running (pid ${holder.pid}, started ${holder.started})`
          : `ingest: taking over ${label}: its lock file was unreadable`,
      );
    }
    throw new OutputLockedError(`${label}: could not take its lock (too many ingests at once)`);
  } finally {
    await rm(temp, { force: true });
  }
}

/** A SHA-256 of a set's files, names and bytes, cut to 16 hex digits: the set's name. */
async function contentId(folder: string, names: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [...names].sort()) {
    const bytes = await readFile(path.join(folder, name));
    hash.update(name).update('\0').update(String(bytes.length)).update('\0').update(bytes);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * An output folder held by this run (see the top of this file): claim it, stage a set in it and
 * publish the set, or abandon it; either way the lock is given back.
 */
export class OutputDir {
  private stagings: string[] = [];
  private released = false;

  private constructor(
    /** The folder as given, for messages. */
    readonly label: string,
    /** The folder's real path (it may not exist yet). */
    readonly dir: string,
    /** The sets folder beside it. */
    readonly root: string,
    private readonly lock: LockInfo,
  ) {}

  /**
   * Takes the folder's lock (throwing {@link OutputLockedError} when another live ingest holds
   * it), removes what a killed run left and takes over files an earlier version wrote. `note`
   * hears of a stale lock taken over. The folder itself is made only when a set is published.
   */
  static async claim(
    dir: string,
    note: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ): Promise<OutputDir> {
    const absolute = path.resolve(dir);
    const info = await stat(absolute).catch(() => null);
    if (info && !info.isDirectory()) throw new Error(`${dir} is not a folder`);
    let real: string;
    if (info) real = await realpath(absolute);
    else {
      await mkdir(path.dirname(absolute), { recursive: true });
      real = path.join(await realpath(path.dirname(absolute)), path.basename(absolute));
    }
    const root = path.join(path.dirname(real), setsFolderName(path.basename(real)));
    await mkdir(root, { recursive: true });
    const lock = await takeLock(path.join(root, LOCK), dir, note);
    const output = new OutputDir(dir, real, root, lock);
    try {
      pauseAt('locked');
      await output.recover();
      await output.adopt([]);
    } catch (error) {
      await output.abandon();
      throw error;
    }
    return output;
  }

  /** The link text of `DIR/name`: through `current` in the sets folder. */
  private linkText(name: string): string {
    return path.join('..', path.basename(this.root), CURRENT, name);
  }

  /** The set `current` points at, or null. */
  private async currentSet(): Promise<string | null> {
    return readlink(path.join(this.root, CURRENT)).catch(() => null);
  }

  /** True when `DIR/name` is this folder's link for `name`. */
  private async isOurLink(name: string): Promise<boolean> {
    const target = await readlink(path.join(this.dir, name)).catch(() => null);
    return target === this.linkText(name);
  }

  /**
   * Removes what killed runs left: every entry of the sets folder but the lock, `current` and
   * its set (staging sets and databases, old sets, half-made links), temporary links in `DIR`,
   * and links in `DIR` to files the published set does not have. When `DIR` itself is gone, the
   * set it showed is forgotten too, so that it never reappears.
   */
  private async recover(): Promise<void> {
    let current = await this.currentSet();
    if (current !== null && !(await lexists(this.dir))) {
      await unlink(path.join(this.root, CURRENT));
      current = null;
    }
    for (const name of await readdir(this.root)) {
      if (name === LOCK || name === CURRENT || name === current) continue;
      if (this.stagings.includes(path.join(this.root, name))) continue;
      const pid = /^lock\.(?:stale-)?(\d+)-/.exec(name)?.[1];
      if (pid !== undefined && Number(pid) !== process.pid && isRunning(Number(pid))) continue;
      await rm(path.join(this.root, name), { recursive: true, force: true });
    }
    await this.removeStaleLinks();
  }

  /** Removes temporary links of killed runs from `DIR` and our links that point at nothing. */
  private async removeStaleLinks(): Promise<void> {
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const full = path.join(this.dir, name);
      const pid = LINK_TEMP_RE.exec(name)?.[1];
      if (pid !== undefined) {
        if (!isRunning(Number(pid)) || Number(pid) === process.pid) await rm(full, { force: true });
      } else if ((await this.isOurLink(name)) && !(await stat(full).catch(() => null))) {
        await unlink(full);
      }
    }
  }

  /**
   * Takes over the files in `DIR` that a set would publish but that are not our links (written
   * there by an earlier version, or by hand): a new set is made of exactly what `DIR` shows
   * (hard links where it can), published, and each such file then replaced by its link.
   */
  private async adopt(names: readonly string[]): Promise<void> {
    if (!(await lexists(this.dir))) return;
    const current = await this.currentSet();
    const inCurrent = current
      ? await readdir(path.join(this.root, current)).catch(() => [] as string[])
      : [];
    const candidates = [...new Set([...INGEST_FILES, ...inCurrent, ...names])].sort();
    const foreign: string[] = [];
    for (const name of candidates)
      if ((await lexists(path.join(this.dir, name))) && !(await this.isOurLink(name)))
        foreign.push(name);
    if (foreign.length === 0) return;
    const staging = await this.newFolder('adopt');
    const shown: string[] = [];
    for (const name of candidates) {
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (!info) continue;
      if (!info.isFile()) throw new Error(`${path.join(this.label, name)} is not a file`);
      const source = await realpath(file);
      await link(source, path.join(staging, name)).catch(() =>
        copyFile(source, path.join(staging, name)),
      );
      shown.push(name);
    }
    await this.publishFolder(staging, shown);
    for (const [index, name] of foreign.entries()) {
      await this.placeLink(name);
      if (index === 0) pauseAt('adopting');
    }
  }

  /** Makes an empty folder in the sets folder for this run, removed with the run. */
  private async newFolder(kind: string): Promise<string> {
    const folder = path.join(
      this.root,
      `${kind}-${process.pid}-${Date.now()}-${this.stagings.length}`,
    );
    await mkdir(folder);
    this.stagings.push(folder);
    return folder;
  }

  /**
   * A folder for a new set (the caller writes the set's files in it, then {@link publish}es it)
   * and a scratch folder for the run's own files; both are removed when the run ends.
   */
  async stage(): Promise<{ setDir: string; scratchDir: string }> {
    return { setDir: await this.newFolder('new'), scratchDir: await this.newFolder('scratch') };
  }

  /** Puts `DIR/name`'s link in place (unless it is there), renamed over whatever was there. */
  private async placeLink(name: string): Promise<void> {
    if (await this.isOurLink(name)) return;
    const temp = path.join(this.dir, `.ingest-link-${process.pid}-${name}`);
    await rm(temp, { force: true });
    await symlink(this.linkText(name), temp);
    await rename(temp, path.join(this.dir, name));
  }

  /** Points `current` at a set in one rename. */
  private async switchTo(set: string): Promise<void> {
    const temp = path.join(this.root, `${CURRENT}.new-${process.pid}`);
    await rm(temp, { force: true });
    await symlink(set, temp);
    await rename(temp, path.join(this.root, CURRENT));
    fsyncPath(this.root, true);
  }

  /**
   * Publishes the set written in `setDir` (the files `names`): synced, named after its content,
   * linked from `DIR` and made current in one step; the previous set is removed after.
   */
  async publish(setDir: string, names: readonly string[]): Promise<void> {
    for (const name of names) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
        throw new Error(`not a set file name: ${name}`);
      fsyncPath(path.join(setDir, name));
    }
    fsyncPath(setDir, true);
    pauseAt('written');
    if (!(await lexists(this.dir))) {
      await mkdir(this.dir);
      fsyncPath(path.dirname(this.dir), true);
    }
    await this.adopt(names);
    await this.publishFolder(setDir, names);
  }

  /** Names, links and switches to a complete set folder (see {@link publish}). */
  private async publishFolder(setDir: string, names: readonly string[]): Promise<void> {
    await this.checkLock();
    const id = `set-${await contentId(setDir, names)}`;
    const current = await this.currentSet();
    let target: string | null = id;
    if (id === current) {
      // The same files again: nothing to switch, unless the published ones were changed in place.
      const same = await contentId(path.join(this.root, current), names).catch(() => null);
      target = same === id.slice(4) ? null : `${id}-${process.pid}-${Date.now()}`;
    }
    if (target !== null) {
      await rm(path.join(this.root, target), { recursive: true, force: true });
      await rename(setDir, path.join(this.root, target));
      fsyncPath(this.root, true);
    }
    // Links for files the published set lacks (their names show nothing until the switch); a
    // name that holds a file of its own is replaced only once the switch is made (`adopt`).
    for (const name of names)
      if (!(await lexists(path.join(this.dir, name)))) await this.placeLink(name);
    fsyncPath(this.dir, true);
    pauseAt('linked');
    if (target !== null) await this.switchTo(target);
    pauseAt('switched');
    await this.recover();
    pauseAt('cleaned');
  }

  /** Throws unless the lock is still this run's (someone removed it by hand and took it). */
  private async checkLock(): Promise<void> {
    const held = parseLock((await readIfThere(path.join(this.root, LOCK))) ?? '');
    if (held?.token !== this.lock.token)
      throw new Error(`lost the lock on ${this.label} to another ingest; nothing was published`);
  }

  /** Removes this run's staging and scratch folders and gives the lock back. */
  async abandon(): Promise<void> {
    // Best effort: whatever cannot be removed now, the next run removes (`recover`).
    for (const folder of this.stagings)
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    this.stagings = [];
    await this.release().catch(() => undefined);
  }

  /** As {@link abandon}, synchronously: for a signal handler on the way out. */
  abandonSync(): void {
    for (const folder of this.stagings) {
      try {
        rmSync(folder, { recursive: true, force: true });
      } catch {
        // The next run removes it.
      }
    }
    this.stagings = [];
    if (this.released) return;
    this.released = true;
    heldTokens.delete(this.lock.token);
    const file = path.join(this.root, LOCK);
    try {
      if (parseLock(readFileSync(file, 'utf8'))?.token === this.lock.token) unlinkSync(file);
    } catch {
      // Gone already.
    }
  }

  /**
   * Gives the lock back; the sets folder goes too when it holds nothing (no set was ever
   * published here).
   */
  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldTokens.delete(this.lock.token);
    const file = path.join(this.root, LOCK);
    const held = parseLock((await readIfThere(file)) ?? '');
    if (held?.token === this.lock.token) await unlink(file);
    await rmdir(this.root).catch(() => undefined);
  }
}
