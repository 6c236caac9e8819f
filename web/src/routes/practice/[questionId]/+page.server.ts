import { error, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import type { MockInterview, Question } from '#lib/api.ts';
import type { CheatSheetLine, CheatSheetLevel, PrepPlan, Story } from '#lib/prep/types.ts';
import type { CandidateInterview } from '#lib/recruiting/types.ts';
import { ApiError, currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f-]{36}$/i;
const NOT_FOUND: Record<string, string> = { MOCK_NOT_FOUND: 'No such mock interview.', PLAN_NOT_FOUND: 'No such prep plan.', STORY_NOT_FOUND: 'No such story.', INVITE_NOT_FOUND: 'No such interview invitation.' };

/** What the answer is started with (POST /api/answers): a follow-up, a mock's, a prep item's or an interview's. */
interface AnswerLink {
  parentAnswerId?: string;
  mockInterviewId?: string;
  prepItemId?: string;
  interviewInviteId?: string;
}

/** Answering a question of a one-way interview (?invite=): its times, and whether the coaching panel shows. */
interface InterviewSlot {
  inviteId: string;
  position: number;
  count: number;
  thinkSeconds: number;
  answerSeconds: number;
  coaching: boolean;
  title: string;
}

export const load = (async (event) => {
  if (!UUID.test(event.params.questionId)) error(404, { message: 'No such question. Pick one from the list.', code: 'QUESTION_NOT_FOUND' });
  // Answering the interviewer's follow-up to an answer (?after=) and/or as part of a mock interview (?mock=).
  const after = event.url.searchParams.get('after');
  const mockId = event.url.searchParams.get('mock');
  const parentAnswerId = after && UUID.test(after) ? after : undefined;
  const mockInterviewId = mockId && UUID.test(mockId) ? mockId : undefined;
  // Answering an item of a prep plan (?prepItem=&plan=): its story can sit beside the camera.
  const prepItem = event.url.searchParams.get('prepItem');
  const planId = event.url.searchParams.get('plan');
  // Answering a recruiter's one-way interview (?invite=): the question is the interview's (the
  // candidate cannot read it through /api/questions), with its think and answer times.
  const invite = event.url.searchParams.get('invite');
  const inviteId = invite && UUID.test(invite) ? invite : undefined;
  try {
    // Looking creates nothing: a guest account is made when the visitor starts an answer.
    const user = await currentUser(event);
    if (inviteId) {
      // An invitation is an account's: no guest is made for it.
      if (!user || user.guest) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname + event.url.search)}`);
      const { invitation } = await userApi<{ invitation: CandidateInterview }>(event, `/api/interview-invites/${inviteId}`);
      const position = invitation.questions.findIndex((q) => q.questionId === event.params.questionId);
      const slot = invitation.questions[position];
      if (!slot) error(404, { message: 'No such question in this interview.', code: 'QUESTION_NOT_FOUND' });
      const interview: InterviewSlot = { inviteId: invitation.inviteId, position, count: invitation.questions.length, thinkSeconds: slot.thinkSeconds, answerSeconds: slot.answerSeconds, coaching: invitation.coaching, title: invitation.title };
      return { user, question: slot.question, link: { interviewInviteId: invitation.inviteId } as AnswerLink, mock: null, prep: null, interview };
    }
    const { question } = await userApi<{ question: Question }>(event, `/api/questions/${event.params.questionId}`);
    let mock: { id: string; position: number; count: number; thinkSeconds: number } | null = null;
    if (mockInterviewId) {
      const { mockInterview } = await userApi<{ mockInterview: MockInterview }>(event, `/api/mock-interviews/${mockInterviewId}`);
      const position = mockInterview.items.find((item) => item.question.id === question.id)?.position ?? mockInterview.current ?? 0;
      mock = { id: mockInterview.id, position, count: mockInterview.items.length, thinkSeconds: parentAnswerId ? 0 : mockInterview.thinkSeconds };
    }
    let prep: { planId: string; itemId: string; competency: string; cheatSheetLevel: CheatSheetLevel; cheatSheetStarts: CheatSheetLevel; story: { id: string; title: string; bullets: CheatSheetLine[]; script: CheatSheetLine[] } | null } | null = null;
    if (prepItem && UUID.test(prepItem) && planId && UUID.test(planId)) {
      const { plan } = await userApi<{ plan: PrepPlan }>(event, `/api/prep-plans/${planId}`);
      const item = plan.items.find((i) => i.id === prepItem && i.question.id === question.id);
      if (!item) error(404, { message: 'No such item in this prep plan.', code: 'ITEM_NOT_FOUND' });
      const story = item.story ? (await userApi<{ story: Story }>(event, `/api/stories/${item.story.id}`)).story : null;
      prep = { planId: plan.id, itemId: item.id, competency: item.competency, cheatSheetLevel: plan.cheatSheetLevel, cheatSheetStarts: plan.cheatSheetStarts, story: story && { id: story.id, title: story.title, ...story.cheatSheet } };
    }
    return { user, question, link: { parentAnswerId, mockInterviewId, ...(prep ? { prepItemId: prep.itemId } : {}) } as AnswerLink, mock, prep, interview: null as InterviewSlot | null };
  } catch (cause) {
    if (isHttpError(cause) || isRedirect(cause)) throw cause;
    if (cause instanceof ApiError && cause.status === 404) error(404, { message: NOT_FOUND[cause.code] ?? 'No such question. Pick one from the list.', code: cause.code });
    failLoad(cause);
  }
}) satisfies PageServerLoad;
