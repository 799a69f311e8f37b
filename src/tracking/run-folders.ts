import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayDatabase, displayPath, type Settings } from '../config.js';
import { BalanceOpsError, describeError } from '../errors.js';
import type { GitInfo, RunStatus } from '../store/types.js';
import { writeJsonAtomic } from '../util/atomic-file.js';
import { isPlausibleRunId } from '../util/ids.js';
import { isInside } from '../util/paths.js';

/** `manifest.json` in every run folder (contract: "Files on disk"). */
export interface RunManifest {
  run_id: string;
  run_dir_name: string;
  created_at: string;
  kind: string;
  status: RunStatus;
  artifacts_dir: string;
  db_path: string;
  metrics: Record<string, number>;
  finished_at: string | null;
  note: string | null;
  git: GitInfo;
}

/** `_latest.json` and `_by_id/<run_id>.json`. */
export interface RunPointer {
  run_id: string;
  run_dir_name: string;
  manifest_path: string;
  created_at: string;
}

const STAMP_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/;

/**
 * `YYYYMMDD_HHMMSS_<kind>_<shortid>`: UTC time, kind slugged to `[0-9A-Za-z_]`, and the first eight
 * alphanumerics of the run id.
 *
 * @example
 *   runDirName('2026-01-26T09:21:43.120Z', 'demo', '8e013cbf-...'); // '20260126_092143_demo_8e013cbf'
 */
export function runDirName(createdAtIso: string, kind: string, runId: string): string {
  const m = STAMP_PARTS.exec(createdAtIso);
  if (m === null) throw new BalanceOpsError('VALIDATION_ERROR', `not an ISO 8601 UTC time: ${createdAtIso}`);
  const slug = kind.replace(/[^0-9A-Za-z_]/g, '_') || 'run';
  const shortId = runId.replace(/[^0-9A-Za-z]/g, '').slice(0, 8);
  return `${m[1]}${m[2]}${m[3]}_${m[4]}${m[5]}${m[6]}_${slug}_${shortId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The run folders under `<artifacts>/runs` and their pointer files. Everything is written atomically;
 * everything read from disk is checked, and a path a pointer names is only followed inside the artifacts
 * root, so a tampered pointer cannot make BalanceOps read elsewhere.
 */
export class RunFolders {
  readonly runsRoot: string;

  constructor(private readonly settings: Settings) {
    this.runsRoot = join(settings.artifactsDir, 'runs');
  }

  runDir(dirName: string): string {
    return join(this.runsRoot, dirName);
  }

  latestPointerPath(): string {
    return join(this.runsRoot, '_latest.json');
  }

  byIdPointerPath(runId: string): string {
    if (!isPlausibleRunId(runId)) throw new BalanceOpsError('RUN_NOT_FOUND', `run not found: ${runId}`);
    return join(this.runsRoot, '_by_id', `${runId}.json`);
  }

  /** Writes `manifest.json` into the run's folder and returns its absolute path. */
  writeManifest(manifest: Omit<RunManifest, 'artifacts_dir' | 'db_path'>): string {
    const dir = this.runDir(manifest.run_dir_name);
    const path = join(dir, 'manifest.json');
    const full: RunManifest = {
      run_id: manifest.run_id,
      run_dir_name: manifest.run_dir_name,
      created_at: manifest.created_at,
      kind: manifest.kind,
      status: manifest.status,
      artifacts_dir: displayPath(this.settings, dir),
      db_path: displayDatabase(this.settings),
      metrics: manifest.metrics,
      finished_at: manifest.finished_at,
      note: manifest.note,
      git: manifest.git,
    };
    writeJsonAtomic(path, full);
    return path;
  }

  /**
   * Writes `_by_id/<run_id>.json`, and `_latest.json` unless it already names a run created later (so a
   * slow process finishing after a newer run started does not move the pointer backwards).
   */
  writePointers(runId: string, dirName: string, createdAt: string): void {
    const pointer: RunPointer = {
      run_id: runId,
      run_dir_name: dirName,
      manifest_path: displayPath(this.settings, join(this.runDir(dirName), 'manifest.json')),
      created_at: createdAt,
    };
    writeJsonAtomic(this.byIdPointerPath(runId), pointer);
    let latest: RunPointer | null = null;
    try {
      latest = this.readPointerFile(this.latestPointerPath());
    } catch {
      latest = null; // a corrupt latest pointer is replaced by a good one
    }
    if (latest === null || latest.created_at <= createdAt) writeJsonAtomic(this.latestPointerPath(), pointer);
  }

  /** Reads a pointer file: `null` when absent, `POINTER_INVALID` naming the file when it is not a pointer. */
  readPointerFile(path: string): RunPointer | null {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new BalanceOpsError('POINTER_INVALID', `cannot read pointer ${path}: ${describeError(err)}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new BalanceOpsError(
        'POINTER_INVALID',
        `pointer ${path} is not valid JSON (${describeError(err)})`,
        {
          hint: 'The file is ignored; the database is used instead.',
        },
      );
    }
    const fields = ['run_id', 'run_dir_name', 'manifest_path', 'created_at'] as const;
    if (!isRecord(value) || fields.some((f) => typeof value[f] !== 'string')) {
      throw new BalanceOpsError('POINTER_INVALID', `pointer ${path} lacks one of ${fields.join(', ')}`, {
        hint: 'The file is ignored; the database is used instead.',
      });
    }
    const pointer = value as unknown as RunPointer;
    if (!isPlausibleRunId(pointer.run_id)) {
      throw new BalanceOpsError('POINTER_INVALID', `pointer ${path} names an invalid run id`);
    }
    return pointer;
  }

  readLatestPointer(): RunPointer | null {
    return this.readPointerFile(this.latestPointerPath());
  }

  readByIdPointer(runId: string): RunPointer | null {
    return this.readPointerFile(this.byIdPointerPath(runId));
  }

  /**
   * Where a run's manifest is: the path its pointer names when that lies inside the artifacts root and
   * exists, else its named folder, else the legacy folder named by the bare run id; `null` if none exists.
   */
  findManifest(runId: string, pointer: RunPointer | null, runDirNameHint: string | null): string | null {
    const root = this.settings.artifactsDir;
    const candidates: string[] = [];
    if (pointer !== null) {
      candidates.push(resolve(this.settings.cwd, pointer.manifest_path));
      candidates.push(join(this.runsRoot, pointer.run_dir_name, 'manifest.json'));
    }
    if (runDirNameHint !== null) candidates.push(join(this.runsRoot, runDirNameHint, 'manifest.json'));
    if (isPlausibleRunId(runId)) candidates.push(join(this.runsRoot, runId, 'manifest.json'));
    for (const candidate of candidates) {
      if (!isInside(root, candidate)) continue;
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not there: try the next place
      }
    }
    return null;
  }

  /** Reads a manifest; `POINTER_INVALID` naming the file when it is unreadable or not an object. */
  readManifest(path: string): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isRecord(value)) throw new Error('not a JSON object');
      return value;
    } catch (err) {
      throw new BalanceOpsError('POINTER_INVALID', `manifest ${path} is unreadable: ${describeError(err)}`);
    }
  }
}
