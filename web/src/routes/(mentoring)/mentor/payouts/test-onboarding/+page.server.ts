import { requireMentor } from '#lib/server/mentoring.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => ({ user: await requireMentor(event) })) satisfies PageServerLoad;
