import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { invokedAs } from '../../src/cli/usage.js';

describe('invokedAs: the CLI named as the person started it', () => {
  const root = path.resolve('/srv/timesheet-export');
  test('npm run cli and npm run export both hint with npm run cli --', () => {
    assert.equal(
      invokedAs({ npm_lifecycle_event: 'cli' }, path.join(root, 'src/cli/main.ts'), root),
      'npm run cli --',
    );
    assert.equal(
      invokedAs({ npm_lifecycle_event: 'export' }, path.join(root, 'src/cli/main.ts'), root),
      'npm run cli --',
    );
  });

  test('the built file by its path, relative when run from the project', () => {
    const built = path.join(root, 'dist/cli/main.js');
    assert.equal(invokedAs({}, built, root), 'node dist/cli/main.js');
    assert.equal(invokedAs({}, built, '/home/ana'), `node ${built}`);
  });

  test('another npm script (npm test) or npm link: the command name', () => {
    assert.equal(
      invokedAs({ npm_lifecycle_event: 'test' }, path.join(root, 'src/cli/main.ts'), root),
      'timesheet-export',
    );
    assert.equal(invokedAs({}, '/usr/local/bin/timesheet-export', root), 'timesheet-export');
  });
});
