import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect.ts';

const at = (redirect: string) => new URL(`https://rehearse.example/login?redirect=${encodeURIComponent(redirect)}`);

describe('safeRedirect', () => {
  it('returns a path on this site', () => {
    expect(safeRedirect(at('/s/abc?x=1'), '/account')).toBe('/s/abc?x=1');
    expect(safeRedirect(at('/interviews/invite/tok'), '/account')).toBe('/interviews/invite/tok');
  });
  it('refuses other origins and odd forms', () => {
    for (const evil of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/ x', '']) expect(safeRedirect(at(evil), '/account')).toBe('/account');
    expect(safeRedirect(new URL('https://rehearse.example/login'), '/account')).toBe('/account');
  });
});
