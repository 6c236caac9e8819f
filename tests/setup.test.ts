// The promise of the two commands: once set up, a second run redoes nothing (no npm install, no
// worker build, no client build) and goes straight to the product.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildOutputToShow } from '../scripts/setup/build-output.mjs';
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

  it('passes on the web build warnings, not the advice to run a script this project does not have', () => {
    const output = ['\x1b[2m> Using @sveltejs/adapter-node\x1b[22m', '  \x1b[32m✔ done\x1b[39m', '', '(!) Some chunks are larger than 500 kB', '', 'Run \x1b[1m\x1b[36mnpm run preview\x1b[39m\x1b[22m to preview your production build locally.'].join('\n');
    expect(buildOutputToShow(output)).toEqual(['(!) Some chunks are larger than 500 kB']);
  });
});
