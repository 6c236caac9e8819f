import { describe, expect, it } from 'vitest';
import { auditFiltersOf, centsInput, query, utc } from './format.ts';

describe('admin format helpers', () => {
  it('writes times in UTC, the same on server and browser', () => {
    expect(utc('2026-12-03T14:54:17.123Z')).toBe('2026-12-03 14:54 UTC');
    expect(utc(null)).toBe('–');
  });

  it('leaves empty filters out of a query string', () => {
    expect(query({ action: 'share.', actorId: '', targetId: null, before: undefined })).toBe('?action=share.');
    expect(query({ q: '' })).toBe('');
    expect(query({ q: 'a b&c' })).toBe('?q=a+b%26c');
  });

  it('reads the audit filters from the URL, trimmed', () => {
    expect(auditFiltersOf(new URL('http://x/admin/audit?action=%20admin.%20&targetId=t'))).toEqual({ action: 'admin.', actorId: '', targetId: 't' });
  });

  it('reads refund amounts: empty for all, NaN for nonsense', () => {
    expect(centsInput('')).toBeNull();
    expect(centsInput(null)).toBeNull();
    expect(centsInput(undefined)).toBeNull();
    expect(centsInput(250)).toBe(250);
    expect(centsInput('250')).toBe(250);
    expect(centsInput(0)).toBeNaN();
    expect(centsInput(2.5)).toBeNaN();
    expect(centsInput('x')).toBeNaN();
  });
});
