// The promise of the two commands: once set up, a second run redoes nothing (no npm install, no
// worker build, no client build) and goes straight to the product.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/product.ts';

const run = promisify(execFile);

describe('scripts/setup', () => {
  it('skips every finished step on a repeated run', async () => {
    // `npm test` has just run the set-up. Ask it, without running anything (a real run here could
    // reinstall node_modules under the tests' feet), which steps `npm test` would redo now.
    const { stdout, stderr } = await run(process.execPath, ['scripts/setup/index.mjs', '--with-test-tools', '--check'], { cwd: repoRoot, env: process.env });
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n')).toEqual(['[setup] nothing to do']);
  });
});
