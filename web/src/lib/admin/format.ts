// Pure helpers for the admin pages.
import type { AuditFilters } from './types.ts';

/** "2026-12-03 14:54 UTC": the same on the server and in the browser (no hydration mismatch). */
export function utc(iso: string | null): string {
  if (!iso) return '–';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A query string of the filters that are set (empty ones are left out), with extra pairs. */
export function query(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The audit filters as the page's URL carries them (trimmed; missing ones empty). */
export function auditFiltersOf(url: URL): AuditFilters {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? '';
  return { action: get('action'), actorId: get('actorId'), targetId: get('targetId') };
}

/** Whole numbers of cents typed into a field: null when empty, NaN when not a positive whole number. */
export function centsInput(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : Number.NaN;
}
