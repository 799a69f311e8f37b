import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { BalanceOpsError, describeError } from './errors.js';
import { toPosix } from './util/paths.js';

export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Every setting BalanceOps reads from its environment, resolved once. */
export interface Settings {
  /** `BALANCEOPS_DB` as given: a SQLite file path or a `postgres://` URL. */
  dbUrl: string;
  db: DatabaseLocation;
  /** `BALANCEOPS_ARTIFACTS`, absolute: root of run folders and models. */
  artifactsDir: string;
  /** `BALANCEOPS_CURRENT_MODEL`, absolute: canonical copy of the served model. */
  currentModelPath: string;
  /** `BALANCEOPS_API_URL`: where the dashboard and `smoke` find the API. */
  apiUrl: string;
  /** `BALANCEOPS_POLICY`: promotion policy file; `undefined` means the built-in default. */
  policyPath: string | undefined;
  /** `BALANCEOPS_API_TOKEN`: bearer token for mutating HTTP endpoints. */
  apiToken: string | undefined;
  /** The working directory relative paths were resolved against. */
  cwd: string;
}

export const DEFAULTS = {
  BALANCEOPS_DB: 'data/balanceops.db',
  BALANCEOPS_ARTIFACTS: 'artifacts',
  BALANCEOPS_CURRENT_MODEL: 'artifacts/models/current.json',
  BALANCEOPS_API_URL: 'http://127.0.0.1:8000',
} as const;

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

function parseDatabase(value: string, cwd: string): DatabaseLocation {
  const scheme = URL_SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', path: resolve(cwd, value) };
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: value };
  throw new BalanceOpsError(
    'CONFIG_INVALID',
    `BALANCEOPS_DB has an unsupported scheme '${scheme}://' (use a SQLite file path or a postgres:// URL)`,
  );
}

/** Reads `.env` in `cwd` when there is one; a malformed file is an error that names it. */
function readDotEnv(cwd: string): Record<string, string> {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return {};
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new BalanceOpsError('CONFIG_INVALID', `cannot read ${path}: ${describeError(err)}`);
  }
}

/**
 * Resolves the settings from the process environment, then `.env` in the working directory, then the
 * defaults of the contract. The environment wins over `.env`; an empty value counts as unset.
 *
 * @example
 *   const settings = loadSettings();
 *   settings.db; // { kind: 'sqlite', path: 'data/balanceops.db' }
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Settings {
  const fromFile = readDotEnv(cwd);
  const read = (name: string): string | undefined => {
    const value = env[name] ?? fromFile[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const dbUrl = read('BALANCEOPS_DB') ?? DEFAULTS.BALANCEOPS_DB;
  return {
    dbUrl,
    db: parseDatabase(dbUrl, cwd),
    artifactsDir: resolve(cwd, read('BALANCEOPS_ARTIFACTS') ?? DEFAULTS.BALANCEOPS_ARTIFACTS),
    currentModelPath: resolve(cwd, read('BALANCEOPS_CURRENT_MODEL') ?? DEFAULTS.BALANCEOPS_CURRENT_MODEL),
    apiUrl: (read('BALANCEOPS_API_URL') ?? DEFAULTS.BALANCEOPS_API_URL).replace(/\/+$/, ''),
    policyPath: read('BALANCEOPS_POLICY'),
    apiToken: read('BALANCEOPS_API_TOKEN'),
    cwd,
  };
}

/**
 * How a path is written into manifests, pointers and the database: relative to the working directory with
 * forward slashes when it lies inside it (`artifacts/runs/...`, as the original wrote them), else absolute.
 */
export function displayPath(settings: Pick<Settings, 'cwd'>, path: string): string {
  const rel = relative(settings.cwd, resolve(settings.cwd, path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : toPosix(resolve(path));
}

/** The database location for messages and manifests: the file path, or the URL without its password. */
export function displayDatabase(settings: Settings): string {
  if (settings.db.kind === 'sqlite') return displayPath(settings, settings.db.path);
  try {
    const url = new URL(settings.db.url);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Finds a file whose path BalanceOps stored (in the database, a manifest or a pointer) from any working
 * directory: as written (relative to `cwd`), then under the artifacts root, then by its part after the last
 * `models/` or `runs/` folder under the artifacts root (a root that moved, or a process started elsewhere).
 * Returns the first that exists, else the path as written, resolved.
 */
export function resolveStoredPath(settings: Pick<Settings, 'cwd' | 'artifactsDir'>, stored: string): string {
  const candidates = [resolve(settings.cwd, stored), resolve(settings.artifactsDir, stored)];
  const posix = stored.replace(/\\/g, '/');
  for (const marker of ['/models/', '/runs/']) {
    const at = posix.lastIndexOf(marker);
    if (at >= 0) candidates.push(resolve(settings.artifactsDir, posix.slice(at + 1)));
  }
  return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
}
