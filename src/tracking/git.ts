import { execFileSync } from 'node:child_process';
import type { GitInfo } from '../store/types.js';

const cache = new Map<string, GitInfo>();

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      windowsHide: true,
    }).trim();
  } catch {
    return null;
  }
}

/**
 * Commit, branch and dirty flag of the checkout `cwd` lies in; all `null` outside a git checkout or where
 * git is not installed. Untracked files do not make a checkout dirty. Cached per folder for the process.
 *
 * @example
 *   getGitInfo(process.cwd()); // { commit: '8e013cbf...', branch: 'main', dirty: false }
 */
export function getGitInfo(cwd: string): GitInfo {
  const hit = cache.get(cwd);
  if (hit !== undefined) return hit;
  let info: GitInfo = { commit: null, branch: null, dirty: null };
  if (git(cwd, ['rev-parse', '--is-inside-work-tree']) === 'true') {
    const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
    info = {
      commit: git(cwd, ['rev-parse', 'HEAD']) || null,
      branch: git(cwd, ['symbolic-ref', '--short', '-q', 'HEAD']) || null,
      dirty: status === null ? null : status.length > 0,
    };
  }
  cache.set(cwd, info);
  return info;
}
