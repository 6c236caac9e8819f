import { redirect } from '@sveltejs/kit';
import type { Progress } from '#lib/api.ts';
import { parsePeriod, periodStart } from '#lib/progress/period.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The API's limit on a competency's length (ProgressQuery). */
const COMPETENCY_MAX = 40;

export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    // Nothing to chart without a session: answering a question makes one.
    if (!user) redirect(303, '/practice');
    const now = new Date();
    const period = parsePeriod(event.url.searchParams.get('period'));
    const from = periodStart(period, now);
    const competency = event.url.searchParams.get('competency')?.trim().slice(0, COMPETENCY_MAX) ?? '';
    const progress = (filter: { from?: string | null; competency?: string }) => {
      const params = new URLSearchParams();
      if (filter.from) params.set('from', filter.from);
      if (filter.competency) params.set('competency', filter.competency);
      return userApi<Progress>(event, `/api/progress${params.size ? `?${params}` : ''}`);
    };
    // The whole period names the competencies to choose from and fills the table; the chosen
    // competency's own query draws the charts.
    const [inPeriod, chosen] = await Promise.all([progress({ from }), competency ? progress({ from, competency }) : null]);
    // Nothing in this period is not the same as never having answered.
    const answered = inPeriod.points.length > 0 || (from !== null && (await progress({})).points.length > 0);
    return {
      period: period.value,
      competency,
      from,
      to: now.toISOString(),
      points: (chosen ?? inPeriod).points,
      competencies: inPeriod.competencies,
      answered,
    };
  } catch (cause) {
    if (cause && typeof cause === 'object' && 'status' in cause && 'location' in cause) throw cause;
    failLoad(cause);
  }
}) satisfies PageServerLoad;
