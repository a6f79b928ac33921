/**
 * Compiles the app, the fakes and the benchmarks with tsc (the same compiler and options as
 * `npm run build`) into node_modules/.cache, so that measured processes run as production runs them:
 * plain `node file.js`, without tsx's loader (which adds tens of MB of RSS and start-up time).
 * run-all builds once and passes the folder on in BENCH_BUILD_DIR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './child.js';

export const BUILD_DIR_ENV = 'BENCH_BUILD_DIR';

export function ensureBuild(): string {
  const given = process.env[BUILD_DIR_ENV];
  if (given && existsSync(path.join(given, 'src', 'main.js'))) return given;
  const outDir = path.join(ROOT, 'node_modules', '.cache', 'timesheet-export-bench');
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.json',
      '--noEmit',
      'false',
      '--outDir',
      outDir,
      '--rootDir',
      '.',
      '--sourceMap',
      'false',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  // Type errors in files other helpers are still writing do not stop emitting; a missing entry point does.
  if (!existsSync(path.join(outDir, 'src', 'main.js'))) {
    throw new Error(`tsc did not build src/main.js:\n${result.stdout}\n${result.stderr}`);
  }
  // Under node_modules, node looks for no package.json above: say these files are ES modules.
  writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  process.env[BUILD_DIR_ENV] = outDir;
  process.stderr.write(
    `built into ${path.relative(ROOT, outDir)} in ${Date.now() - started} ms${result.status === 0 ? '' : ' (tsc reported type errors; see npm run typecheck)'}\n`,
  );
  return outDir;
}

/** The compiled path of a file of the repository (`src/main.ts` → `<build>/src/main.js`). */
export function compiled(buildDir: string, file: string): string {
  return path.join(buildDir, file.replace(/\.ts$/, '.js'));
}
