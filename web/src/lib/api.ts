// The API as the browser sees it: same-origin `/api/…` (proxied by hooks.server.ts), so the
// session cookie goes along and the API's CSRF check sees this site's Origin.
import type { Static } from 'typebox';
import type {
  AiFeedback as AiFeedbackSchema,
  AiFeedbackList as AiFeedbackListSchema,
  AiFeedbackReport as AiFeedbackReportSchema,
  AnalysedAnswer,
  FollowUp as FollowUpSchema,
  MockInterview as MockInterviewSchema,
  MockReport as MockReportSchema,
  NewMockInterview,
  Progress as ProgressSchema,
  QuestionSet as QuestionSetSchema,
  Answer as AnswerSchema,
  AnswerListItem as AnswerListItemSchema,
  AnswerStatus as AnswerStatusSchema,
  Join,
  Me as MeSchema,
  PlanBody,
  Playback as PlaybackSchema,
  Profile as ProfileSchema,
  Question as QuestionSchema,
  Report,
  SessionInfo as SessionInfoSchema,
  Usage,
  AvailabilityInput,
  Booking as BookingSchema,
  BookingInput,
  BookingStatus as BookingStatusSchema,
  CallMinutes as CallMinutesSchema,
  MentorProfile as MentorProfileSchema,
  MentorProfileInput as MentorProfileInputSchema,
  MentorReview as MentorReviewSchema,
  ReviewInput,
  SlotList as SlotListSchema,
  AnswerReview as AnswerReviewSchema,
  Earnings as EarningsSchema,
  PaymentLink as PaymentLinkSchema,
  ReviewComment as ReviewCommentSchema,
  ReviewRating as ReviewRatingSchema,
  AiStoryFeedback as AiStoryFeedbackSchema,
} from '@rehearse/protocol';
import type { PlanInput, PrepPlan, ReminderLinks, Story, StoryInput } from './prep/types.ts';

// Every shape the API answers with is its TypeBox schema in @rehearse/protocol, read as a type.
export type Question = Static<typeof QuestionSchema>;
export type AnswerStatus = Static<typeof AnswerStatusSchema>;
export type Answer = Static<typeof AnswerSchema>;
/** What the page needs to open the signaling WebSocket. */
export type JoinInfo = Static<typeof Join>;
/** GET /api/answers/:id/report; the summary and words are analysis' own (the schema keeps them open). */
export type AnswerReport = Omit<Static<typeof Report>, 'summary' | 'words'> & Pick<AnalysedAnswer, 'summary' | 'words'>;
/** A path on this site (the API checks the owner and serves ranges), and the container. */
export type Playback = Static<typeof PlaybackSchema>;
export type Me = Static<typeof MeSchema>;
export type SessionInfo = Static<typeof SessionInfoSchema>;
export type PlanInfo = Static<typeof PlanBody>;
export type Profile = Static<typeof ProfileSchema>;
export type AnswerListItem = Static<typeof AnswerListItemSchema>;
export type AiFeedback = Static<typeof AiFeedbackSchema>;
export type AiFeedbackList = Static<typeof AiFeedbackListSchema>;
export type AiFeedbackReport = Static<typeof AiFeedbackReportSchema>;
export type FollowUp = Static<typeof FollowUpSchema>;
export type QuestionSet = Static<typeof QuestionSetSchema>;
export type MockInterview = Static<typeof MockInterviewSchema>;
export type MockReport = Static<typeof MockReportSchema>;
export type Progress = Static<typeof ProgressSchema>;
export type CallMinutes = Static<typeof CallMinutesSchema>;
export type MentorProfile = Static<typeof MentorProfileSchema>;
export type MentorProfileInput = Static<typeof MentorProfileInputSchema>;
export type MentorReview = Static<typeof MentorReviewSchema>;
/** A mentor's weekly hours, dated exceptions, buffer and notice (GET and PUT /api/mentor/availability). */
export type Availability = Static<typeof AvailabilityInput>;
export type SlotList = Static<typeof SlotListSchema>;
export type Booking = Static<typeof BookingSchema>;
export type BookingStatus = Static<typeof BookingStatusSchema>;
/** Where to pay or onboard: Stripe's page, or (`testMode`) the local stand-in on this site. */
export type PaymentLink = Static<typeof PaymentLinkSchema>;
/** GET /api/mentor/earnings. */
export type Earnings = Static<typeof EarningsSchema>;
/** A recorded-answer review as /api/answer-reviews answers with it, for either party. */
export type AnswerReview = Static<typeof AnswerReviewSchema>;
export type ReviewRating = Static<typeof ReviewRatingSchema>;
export type ReviewComment = Static<typeof ReviewCommentSchema>;

/** An API error: `code` is stable, `message` is written for people, `details` facts to act on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Reads an API error body (`{ error: { code, message, details? } }`). */
  static async from(response: Response): Promise<ApiError> {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
    return new ApiError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `The server answered ${response.status}`, body?.error?.details);
  }
}

/** What to tell a person about a failed call. */
export function messageOf(cause: unknown): string {
  return cause instanceof ApiError ? cause.message : String(cause);
}

/**
 * Runs a form's action: `busy` while it runs, the failure's message for people on error.
 * Returns whether it succeeded.
 */
export async function attempt(action: () => Promise<unknown>, state: { busy?: boolean; error: string | null }): Promise<boolean> {
  state.busy = true;
  state.error = null;
  try {
    await action();
    return true;
  } catch (cause) {
    state.error = messageOf(cause);
    return false;
  } finally {
    state.busy = false;
  }
}

/** One JSON call to the API (also for the API clients of other folders, e.g. `#lib/calls/api.ts`). */
export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    // POSTs carry a JSON body, which is what the API speaks.
    response = await fetch(path, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `Could not reach the server: ${(error as Error).message}`);
  }
  if (!response.ok) throw await ApiError.from(response);
  return (response.status === 204 ? null : await response.json()) as T;
}

export const accountApi = {
  /** A guest account for this browser (the API limits how many one address may make). */
  startAsGuest: () => call<Me>('POST', '/api/auth/guest'),
  signup: (email: string, password: string, name: string) => call<Me>('POST', '/api/auth/signup', { email, password, name }),
  login: (email: string, password: string) => call<Me>('POST', '/api/auth/login', { email, password }),
  logout: () => call<null>('POST', '/api/auth/logout'),
  verifyEmail: (token: string) => call<Me>('POST', '/api/auth/verify-email', { token }),
  resendVerification: () => call<{ message: string }>('POST', '/api/auth/verify-email/resend'),
  requestReset: (email: string) => call<{ message: string }>('POST', '/api/auth/password-reset/request', { email }),
  resetPassword: (token: string, password: string) => call<Me>('POST', '/api/auth/password-reset', { token, password }),
  sessions: () => call<{ sessions: SessionInfo[] }>('GET', '/api/auth/sessions'),
  revokeSession: (id: string) => call<null>('DELETE', `/api/auth/sessions/${id}`),
  revokeOtherSessions: () => call<{ revoked: number }>('POST', '/api/auth/sessions/revoke-others'),
  deleteAccount: (password: string) => call<null>('DELETE', '/api/me', { password }),
};

export const profileApi = {
  get: () => call<Profile>('GET', '/api/me/profile'),
  update: (patch: Partial<Pick<Profile, 'name' | 'headline' | 'timezone'>>) => call<Profile>('PATCH', '/api/me/profile', patch),
  /** The image file itself is the body; the API checks what it really is. */
  async uploadAvatar(file: File): Promise<Profile> {
    const response = await fetch('/api/me/avatar', { method: 'PUT', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file });
    if (!response.ok) throw await ApiError.from(response);
    return (await response.json()) as Profile;
  },
};

export const billingApi = {
  plans: () => call<{ plans: PlanInfo[] }>('GET', '/api/billing/plans'),
  usage: () => call<Static<typeof Usage>>('GET', '/api/billing/usage'),
  checkout: (plan: 'pro' | 'recruiter') => call<{ url: string; testMode: boolean }>('POST', '/api/billing/checkout', { plan }),
  portal: () => call<{ url: string; testMode: boolean }>('POST', '/api/billing/portal'),
  completeTestCheckout: (plan: 'pro' | 'recruiter') => call<{ plan: string }>('POST', '/api/billing/test-checkout/complete', { plan }),
  cancelTestSubscription: () => call<{ plan: string }>('POST', '/api/billing/test-checkout/cancel'),
};

export const questionsApi = {
  create: (question: { text: string; competency?: string }) => call<{ question: Question }>('POST', '/api/questions', question),
  remove: (id: string) => call<null>('DELETE', `/api/questions/${id}`),
};

export const answersApi = {
  /** `link`: answering an answer's follow-up (parentAnswerId), or as part of a mock interview. */
  start: (questionId: string, link: { parentAnswerId?: string; mockInterviewId?: string; prepItemId?: string; cheatSheet?: 'off' | 'bullets' | 'script' } = {}) => call<{ answer: Answer; join: JoinInfo }>('POST', '/api/answers', { questionId, ...link }),
  /** A fresh join token after the signaling socket dropped. */
  rejoin: (answerId: string) => call<{ answer: Answer; join: JoinInfo }>('POST', `/api/answers/${answerId}/join`),
  /** Resolves once the recording is complete in storage. */
  stop: (answerId: string) => call<{ answer: Answer }>('POST', `/api/answers/${answerId}/stop`),
  get: (answerId: string) => call<{ answer: Answer }>('GET', `/api/answers/${answerId}`),
  playback: (answerId: string) => call<Playback>('GET', `/api/answers/${answerId}/playback`),
  /** Deletes the answer with its recording and report. */
  remove: (answerId: string) => call<null>('DELETE', `/api/answers/${answerId}`),
};

export const coachApi = {
  /** Asks for AI feedback on this take (201: started; 200: one was already being written). */
  askFeedback: (answerId: string) => call<{ feedback: AiFeedback }>('POST', `/api/answers/${answerId}/feedback`),
  feedbacks: (answerId: string) => call<AiFeedbackList>('GET', `/api/answers/${answerId}/feedback`),
  followUp: (answerId: string) => call<{ followUp: FollowUp }>('POST', `/api/answers/${answerId}/follow-up`),
  questionSet: (input: { role: string; company?: string; jobDescription?: string }) => call<{ questionSet: QuestionSet }>('POST', '/api/question-sets', input),
};

export const mocksApi = {
  create: (input: Static<typeof NewMockInterview>) => call<{ mockInterview: MockInterview }>('POST', '/api/mock-interviews', input),
  get: (id: string) => call<{ mockInterview: MockInterview }>('GET', `/api/mock-interviews/${id}`),
  finish: (id: string) => call<{ mockInterview: MockInterview }>('POST', `/api/mock-interviews/${id}/finish`),
};

/** Prep plans and the story bank (types in `#lib/prep/types.ts` until the protocol has their schemas). */
export const prepApi = {
  plans: () => call<{ plans: PrepPlan[] }>('GET', '/api/prep-plans'),
  create: (input: PlanInput) => call<{ plan: PrepPlan }>('POST', '/api/prep-plans', input),
  get: (id: string) => call<{ plan: PrepPlan }>('GET', `/api/prep-plans/${id}`),
  /** Moving the date or changing the rhythm plans again what is not done. */
  update: (id: string, patch: Partial<Pick<PrepPlan, 'interviewDate' | 'perDay' | 'weekdays'>>) => call<{ plan: PrepPlan }>('PATCH', `/api/prep-plans/${id}`, patch),
  remove: (id: string) => call<null>('DELETE', `/api/prep-plans/${id}`),
  /** Reminder mails at a local time on some days (null: off); answers with new secret links. */
  setReminders: (id: string, minute: number | null, days: number[]) => call<ReminderLinks>('PUT', `/api/prep-plans/${id}/reminders`, { minute, days }),
  complete: (id: string, itemId: string, answerId: string) => call<{ plan: PrepPlan }>('POST', `/api/prep-plans/${id}/items/${itemId}/done`, { answerId }),
  stories: () => call<{ stories: Story[] }>('GET', '/api/stories'),
  story: (id: string) => call<{ story: Story }>('GET', `/api/stories/${id}`),
  createStory: (story: StoryInput) => call<{ story: Story }>('POST', '/api/stories', story),
  updateStory: (id: string, story: StoryInput) => call<{ story: Story }>('PUT', `/api/stories/${id}`, story),
  removeStory: (id: string) => call<null>('DELETE', `/api/stories/${id}`),
  /** The AI coach's comments on a story (409 AI_NOT_CONFIGURED without an OpenAI key). */
  aiStoryFeedback: (id: string) => call<{ feedback: AiStoryFeedback }>('POST', `/api/stories/${id}/ai-feedback`),
};

/** POST /api/stories/:id/ai-feedback. */
export type AiStoryFeedback = Static<typeof AiStoryFeedbackSchema>;

export const mentoringApi = {
  /** A mentor's free slots of one length over the next `days` (public). */
  slots: (mentorId: string, minutes: CallMinutes, days = 14) => call<SlotList>('GET', `/api/mentors/${mentorId}/slots?minutes=${minutes}&days=${days}`),
  /** Holds the slot until it is paid or the hold runs out; `priceCents` is the price the page showed. */
  book: (input: Static<typeof BookingInput>) => call<{ booking: Booking }>('POST', '/api/bookings', input),
  checkout: (bookingId: string) => call<PaymentLink>('POST', `/api/bookings/${bookingId}/checkout`),
  completeTestCheckout: (bookingId: string) => call<{ booking: Booking }>('POST', `/api/bookings/${bookingId}/test-checkout/complete`),
  cancel: (bookingId: string) => call<{ booking: Booking }>('POST', `/api/bookings/${bookingId}/cancel`),
  review: (bookingId: string, review: Static<typeof ReviewInput>) => call<null>('POST', `/api/bookings/${bookingId}/review`, review),
  apply: (profile: MentorProfileInput) => call<{ mentor: MentorProfile }>('POST', '/api/mentor/apply', profile),
  updateProfile: (profile: MentorProfileInput) => call<{ mentor: MentorProfile }>('PATCH', '/api/mentor/profile', profile),
  /** Replaces the weekly hours and exceptions at once. */
  setAvailability: (availability: Availability) => call<Availability>('PUT', '/api/mentor/availability', availability),
  onboardPayouts: () => call<PaymentLink>('POST', '/api/mentor/payouts/onboard'),
  completeTestOnboarding: () => call<{ payoutsEnabled: boolean }>('POST', '/api/mentor/payouts/test-onboarding/complete'),
  /** Moves a held or confirmed call to another of the mentor's free slots, until 24 h before it. */
  reschedule: (bookingId: string, startsAt: string) => call<{ booking: Booking }>('POST', `/api/bookings/${bookingId}/reschedule`, { startsAt }),
};

export const reviewsApi = {
  /** Mentors who review recorded answers, with their price and hours (public). */
  mentors: () => call<{ mentors: MentorProfile[] }>('GET', '/api/mentors?reviews=true'),
  /** Asks `mentorId` to review a recorded answer at `priceCents`, the price the page showed; paid next. */
  request: (input: { answerId: string; mentorId: string; priceCents: number; request?: string }) => call<{ review: AnswerReview }>('POST', '/api/answer-reviews', input),
  list: () => call<{ reviews: AnswerReview[] }>('GET', '/api/answer-reviews'),
  checkout: (reviewId: string) => call<PaymentLink>('POST', `/api/answer-reviews/${reviewId}/checkout`),
  completeTestCheckout: (reviewId: string) => call<{ review: AnswerReview }>('POST', `/api/answer-reviews/${reviewId}/test-checkout/complete`),
  /** Withdraws a review not paid yet. */
  cancel: (reviewId: string) => call<{ review: AnswerReview }>('POST', `/api/answer-reviews/${reviewId}/cancel`),
  comment: (reviewId: string, comment: { atMs: number; text: string }) => call<{ comment: ReviewComment }>('POST', `/api/answer-reviews/${reviewId}/comments`, comment),
  deliver: (reviewId: string, review: { ratings: ReviewRating[]; summary: string }) => call<{ review: AnswerReview }>('POST', `/api/answer-reviews/${reviewId}/deliver`, review),
};

export const adminApi = {
  /** Approving grants the mentor role and lists the profile (also to reinstate a suspended one). */
  approveMentor: (userId: string) => call<{ mentor: MentorProfile }>('POST', `/api/admin/mentors/${userId}/approve`),
  suspendMentor: (userId: string) => call<{ mentor: MentorProfile }>('POST', `/api/admin/mentors/${userId}/suspend`),
};

/** "Collaboration · STAR", for lists and headings. */
export function questionMeta({ competency, framework }: Pick<Question, 'competency' | 'framework'>): string {
  const name = competency.replace(/-/g, ' ');
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} · ${framework.toUpperCase()}`;
}
