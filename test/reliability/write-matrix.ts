/**
 * Writes the fault matrix of `fault-matrix.cells.ts` into docs/RELIABILITY.md, between its markers.
 * Run after changing a cell: `npx tsx test/reliability/write-matrix.ts`. The fault-matrix test fails
 * while the document and the cells disagree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { withMatrix } from './fault-matrix.cells.js';

const target = new URL('../../docs/RELIABILITY.md', import.meta.url);
const before = existsSync(target) ? readFileSync(target, 'utf8') : '# Reliability\n';
const after = withMatrix(before);
if (after === before) {
  process.stdout.write('docs/RELIABILITY.md is up to date\n');
} else {
  writeFileSync(target, after);
  process.stdout.write('docs/RELIABILITY.md updated\n');
}
