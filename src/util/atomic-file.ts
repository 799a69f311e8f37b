import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Windows refuses to rename over a file another process holds open for a moment (antivirus, indexer, a
// reader): these codes are transient there, so the rename is retried briefly before giving up.
const TRANSIENT_RENAME_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 20;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function renameWithRetry(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !TRANSIENT_RENAME_CODES.has(code) || attempt >= RENAME_ATTEMPTS) {
        throw err;
      }
      sleepSync(Math.min(100, 5 * attempt));
    }
  }
}

/**
 * First half of an atomic write: the bytes go to a temporary file beside `path` and are flushed to disk.
 * Returns the temporary path, to be renamed over `path` by {@link commitStaged} (or removed).
 */
export function stageFile(path: string, data: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return tmp;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Second half: renames a staged file over its target in one step. */
export function commitStaged(tmp: string, path: string): void {
  try {
    renameWithRetry(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes a file so that readers see either the old content or the new, never a part: the bytes go to a
 * temporary file in the same folder, are flushed to disk, then renamed over the target.
 *
 * @example
 *   writeFileAtomic('artifacts/runs/_latest.json', JSON.stringify(pointer));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  commitStaged(stageFile(path, data), path);
}

/** {@link writeFileAtomic} for a JSON document, pretty-printed with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files a killed process left beside `path` (`<name>.<pid>.<hex>.tmp` whose process is
 * gone). Files of live processes are left alone: they may be mid-write.
 */
export function sweepStaleTemps(path: string): number {
  const prefix = `${basename(path)}.`;
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed++;
  }
  return removed;
}
