import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

// package.json sits one folder above both src/ and dist/, so the same relative URL works from either.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

/** Name and version of the installed BalanceOps package. */
export const PACKAGE: Readonly<PackageJson> = Object.freeze({ name: pkg.name, version: pkg.version });
