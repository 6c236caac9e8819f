import { describe, expect, it } from 'vitest';
import { checkPocketSphinx } from './index.ts';

describe('embedded PocketSphinx engine', () => {
  it('loads the Debian library and en-US model in a child process', async () => {
    const check = await checkPocketSphinx();
    expect(check).toEqual({ ok: true, detail: expect.stringMatching(/^PocketSphinx en-US model loaded in \d+ ms/) });
  });
});
