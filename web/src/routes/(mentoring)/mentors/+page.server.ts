import type { MentorProfile } from '#lib/api.ts';
import { currentUser, failLoad } from '#lib/server/api.ts';
import { publicApi } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

/** The directory's filters as the page's form sends them (the price in major units). */
export interface DirectoryFilters {
  q?: string;
  topic?: string;
  language?: string;
  maxPrice?: string;
  minutes?: string;
  freeWithinDays?: string;
  /** "true": only mentors who review recorded answers. */
  reviews?: string;
}

/** The form's values as GET /api/mentors takes them; what cannot be one is left out. */
function apiQuery(filters: DirectoryFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ['q', 'topic', 'language'] as const) if (filters[name]) query.set(name, filters[name]);
  const maxPrice = Number(filters.maxPrice);
  if (filters.maxPrice && Number.isFinite(maxPrice) && maxPrice >= 0) query.set('maxPrice', String(Math.round(maxPrice * 100)));
  if (['15', '30', '45'].includes(filters.minutes ?? '')) query.set('minutes', filters.minutes!);
  const days = Number(filters.freeWithinDays);
  if (Number.isInteger(days) && days >= 1 && days <= 60) query.set('freeWithinDays', String(days));
  if (filters.reviews === 'true') query.set('reviews', 'true');
  return query;
}

export const load = (async (event) => {
  const filters: DirectoryFilters = {};
  for (const name of ['q', 'topic', 'language', 'maxPrice', 'minutes', 'freeWithinDays', 'reviews'] as const) {
    const value = event.url.searchParams.get(name)?.trim();
    if (value) filters[name] = value.slice(0, 100);
  }
  const query = apiQuery(filters);
  try {
    const [user, { mentors }] = await Promise.all([currentUser(event), publicApi<{ mentors: MentorProfile[] }>(event, `/api/mentors${query.size ? `?${query}` : ''}`)]);
    return { user, mentors, filters };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
