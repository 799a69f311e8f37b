import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path as stored in manifests and pointers: forward slashes on every platform. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** True when `child` (resolved against `cwd`) is `root` itself or lies inside it. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(resolve(root), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
