/**
 * Runs one benchmark by name: `npm run bench -- tracking`. Each benchmark is a module of this folder that
 * prints its own figures.
 */
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts', 'support.ts'].includes(f))
  .map((f) => f.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [...]`);
  process.exit(2);
}
for (const name of names) {
  console.log(`# bench: ${name}`);
  await import(`./${name}.ts`);
}
