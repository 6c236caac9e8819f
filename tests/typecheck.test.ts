// The whole repository type-checks: tsc over the Node packages, svelte-check over the web client.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/product.ts';

const run = promisify(execFile);

async function check(args: string[], cwd = repoRoot): Promise<string> {
  try {
    await run(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`.trim() || String(error);
  }
}

describe('types', () => {
  it('tsc finds no errors in core, prisma, analysis, media, api, deploy, tests and scripts', async () => {
    expect(await check(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'])).toBe('');
  });

  it('svelte-check finds no errors in the web client', async () => {
    const web = path.join(repoRoot, 'web');
    expect(await check([path.join(repoRoot, 'node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], web)).toBe('');
    expect(await check([path.join(repoRoot, 'node_modules/svelte-check/bin/svelte-check'), '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human'], web)).toBe('');
  });
});
