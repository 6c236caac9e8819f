import { recruiterOnly, signedIn } from '#lib/recruiting/load.server.ts';
import type { DiscoveredCandidate } from '#lib/recruiting/types.ts';
import { userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const FIELDS = ['q', 'role', 'skill', 'location'] as const;
const LIMITS = { q: 120, role: 60, skill: 60, location: 120 };

// The recruiter's home: searching the candidates who opted in to discovery (Recruiter plan).
export const load = (async (event) => {
  await signedIn(event);
  const query = Object.fromEntries(FIELDS.map((f) => [f, (event.url.searchParams.get(f) ?? '').trim().slice(0, LIMITS[f])])) as Record<(typeof FIELDS)[number], string>;
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
  const found = await recruiterOnly(() => userApi<{ candidates: DiscoveredCandidate[] }>(event, `/api/discovery${params.size ? `?${params}` : ''}`));
  return { query, searched: params.size > 0, planRequired: found === null, candidates: found?.candidates ?? [] };
}) satisfies PageServerLoad;
