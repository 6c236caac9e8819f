// Mentoring: mentor profiles and the directory, availability, bookings and their payment, calls'
// markers, reviews (api/src/mentors, api/src/bookings).
import { Type } from 'typebox';
import { Join } from './answers.ts';

const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^<>]+$' });
const Tags = Type.Array(Tag, { maxItems: 12 });
// Null first: the API's Ajv coerces types, and would read null as 0 for an integer tried first.
const Price = Type.Union([Type.Null(), Type.Integer({ minimum: 100, maximum: 100_000 })]);
export const CallMinutes = Type.Union([Type.Literal(15), Type.Literal(30), Type.Literal(45)]);

/** What a mentor writes about themselves and sells; every field optional on update. */
export const MentorProfileInput = Type.Object(
  {
    headline: Type.Optional(Type.String({ maxLength: 120 })),
    bio: Type.Optional(Type.String({ maxLength: 4000 })),
    topics: Type.Optional(Tags),
    competencies: Type.Optional(Tags),
    hiresFor: Type.Optional(Tags),
    languages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 }), { maxItems: 12 })),
    price15: Type.Optional(Price),
    price30: Type.Optional(Price),
    price45: Type.Optional(Price),
    currency: Type.Optional(Type.Union([Type.Literal('usd'), Type.Literal('eur'), Type.Literal('gbp')])),
    /** Reviewing one recorded answer: the price (null: not offered) and the hours to deliver. */
    reviewPrice: Type.Optional(Price),
    reviewHours: Type.Optional(Type.Integer({ minimum: 12, maximum: 14 * 24 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const MentorProfile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  photoUrl: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('applied'), Type.Literal('approved'), Type.Literal('suspended')]),
  headline: Type.String(),
  bio: Type.String(),
  topics: Type.Array(Type.String()),
  competencies: Type.Array(Type.String()),
  hiresFor: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  prices: Type.Object({ 15: Type.Union([Type.Integer(), Type.Null()]), 30: Type.Union([Type.Integer(), Type.Null()]), 45: Type.Union([Type.Integer(), Type.Null()]) }),
  currency: Type.String(),
  timezone: Type.String(),
  review: Type.Object({ price: Type.Union([Type.Integer(), Type.Null()]), hours: Type.Integer() }),
  rating: Type.Object({ average: Type.Union([Type.Number(), Type.Null()]), count: Type.Integer() }),
  /** The next free slot of the shortest length offered, in the directory. */
  nextFreeSlot: Type.Union([Type.String(), Type.Null()]),
  payoutsEnabled: Type.Boolean(),
});

export const MentorReview = Type.Object({ id: Type.String(), rating: Type.Integer(), comment: Type.String(), createdAt: Type.String(), seekerName: Type.String() });

export const Minute = Type.Integer({ minimum: 0, maximum: 24 * 60 });
export const AvailabilityRuleInput = Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7 }), startMinute: Minute, endMinute: Minute }, { additionalProperties: false });
export const AvailabilityExceptionInput = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    kind: Type.Union([Type.Literal('off'), Type.Literal('extra')]),
    startMinute: Type.Union([Type.Null(), Minute]),
    endMinute: Type.Union([Type.Null(), Minute]),
  },
  { additionalProperties: false },
);
export const AvailabilityInput = Type.Object(
  {
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    bufferMinutes: Type.Integer({ minimum: 0, maximum: 120 }),
    minNoticeMinutes: Type.Integer({ minimum: 0, maximum: 60 * 24 * 30 }),
    rules: Type.Array(AvailabilityRuleInput, { maxItems: 70 }),
    exceptions: Type.Array(AvailabilityExceptionInput, { maxItems: 200 }),
  },
  { additionalProperties: false },
);

export const SlotList = Type.Object({
  minutes: CallMinutes,
  priceCents: Type.Integer(),
  currency: Type.String(),
  slots: Type.Array(Type.Object({ startsAt: Type.String(), endsAt: Type.String() })),
});

export const BookingInput = Type.Object(
  {
    mentorId: Type.String({ format: 'uuid' }),
    startsAt: Type.String({ format: 'date-time' }),
    minutes: CallMinutes,
    /** The price the seeker was shown: a booking at any other price is refused. */
    priceCents: Type.Integer({ minimum: 0 }),
    agenda: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const BookingStatus = Type.Union([Type.Literal('held'), Type.Literal('confirmed'), Type.Literal('completed'), Type.Literal('expired'), Type.Literal('canceled'), Type.Literal('no_show')]);

export const Booking = Type.Object({
  id: Type.String(),
  status: BookingStatus,
  /** Whether the viewer is the mentor or the seeker of this booking. */
  as: Type.Union([Type.Literal('mentor'), Type.Literal('seeker')]),
  mentor: Type.Object({ id: Type.String(), name: Type.String() }),
  seeker: Type.Object({ id: Type.String(), name: Type.String() }),
  startsAt: Type.String(),
  endsAt: Type.String(),
  minutes: Type.Integer(),
  priceCents: Type.Integer(),
  currency: Type.String(),
  agenda: Type.String(),
  holdExpiresAt: Type.Union([Type.String(), Type.Null()]),
  paid: Type.Boolean(),
  /** A card saved to be charged closer to the call (far-off bookings). */
  cardSaved: Type.Boolean(),
  refundedCents: Type.Integer(),
  canceledBy: Type.Union([Type.String(), Type.Null()]),
  noShow: Type.Union([Type.String(), Type.Null()]),
  testMode: Type.Boolean(),
  room: Type.Object({ opensAt: Type.String(), closesAt: Type.String(), open: Type.Boolean() }),
  /** What canceling now would refund the seeker. */
  refundIfCanceled: Type.Integer(),
  reviewed: Type.Boolean(),
});
export const BookingBody = Type.Object({ booking: Booking });

export const ReviewInput = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

/** Where to pay or onboard: Stripe's page, or (`testMode`) the local stand-in on this site. */
export const PaymentLink = Type.Object({ url: Type.String(), testMode: Type.Boolean() });

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
/** GET /api/mentor/earnings: the connected account's balance and payouts, and what is still owed. */
export const Earnings = Type.Object({
  testMode: Type.Boolean(),
  onboarded: Type.Boolean(),
  payoutsEnabled: Type.Boolean(),
  available: Type.Array(Money),
  pending: Type.Array(Money),
  payouts: Type.Array(Type.Object({ id: Type.String(), amount: Type.Integer(), currency: Type.String(), status: Type.String(), arrivalDate: Type.String() })),
  /** Work done and not paid out yet: waiting for the dispute window or for onboarding. */
  owed: Type.Array(Type.Object({ bookingId: Type.String(), amount: Type.Integer(), currency: Type.String(), payableFrom: Type.String() })),
});

export const ReviewRating = Type.Object({ competency: Type.String({ minLength: 1, maxLength: 40 }), score: Type.Integer({ minimum: 1, maximum: 5 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const ReviewComment = Type.Object({ id: Type.String(), atMs: Type.Integer(), text: Type.String(), createdAt: Type.String() });
const TimedText = Type.Object({ text: Type.String(), start: Type.Number(), end: Type.Number() });

/** A recorded-answer review, for either party. */
export const AnswerReview = Type.Object({
  id: Type.String(),
  /** Whether the viewer asked for the review or is its mentor. */
  as: Type.Union([Type.Literal('seeker'), Type.Literal('mentor')]),
  /** requested: not paid yet; open: paid, the mentor has until `dueAt`; refunded: not delivered in time. */
  status: Type.Union([Type.Literal('requested'), Type.Literal('open'), Type.Literal('delivered'), Type.Literal('refunded'), Type.Literal('canceled')]),
  mentor: Type.Object({ id: Type.String(), name: Type.String() }),
  seeker: Type.Object({ id: Type.String(), name: Type.String() }),
  request: Type.String(),
  priceCents: Type.Integer(),
  currency: Type.String(),
  /** The hours to deliver, as agreed when it was asked for. */
  hours: Type.Integer(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  testMode: Type.Boolean(),
  refundedCents: Type.Integer(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  summary: Type.String(),
  ratings: Type.Array(ReviewRating),
  comments: Type.Array(ReviewComment),
  answer: Type.Object({
    id: Type.String(),
    question: Type.String(),
    competency: Type.String(),
    durationMs: Type.Union([Type.Integer(), Type.Null()]),
    /** Null for the mentor until the review is paid. */
    recordingUrl: Type.Union([Type.String(), Type.Null()]),
    /** Seconds from the recording's start. */
    transcript: Type.Array(TimedText),
  }),
});
export const AnswerReviewBody = Type.Object({ review: AnswerReview });

/** A booked call's join: the media server's token for my side, and the call's times. */
export const CallJoin = Type.Object({
  join: Join,
  role: Type.Union([Type.Literal('candidate'), Type.Literal('mentor')]),
  recordingAnswerId: Type.String(),
  candidateAnswerId: Type.String(),
  endsAt: Type.String(),
  closesAt: Type.String(),
});
export const CallMarker = Type.Object({ id: Type.String(), atMs: Type.Integer(), note: Type.String(), createdAt: Type.String() });
/** After a call, for both parties. */
export const CallSummary = Type.Object({
  role: Type.Union([Type.Literal('candidate'), Type.Literal('mentor')]),
  booking: Booking,
  mentorNotes: Type.String(),
  seekerCoaching: Type.Boolean(),
  recordings: Type.Array(
    Type.Object({
      role: Type.Union([Type.Literal('candidate'), Type.Literal('mentor')]),
      status: Type.String(),
      durationMs: Type.Union([Type.Integer(), Type.Null()]),
      note: Type.Union([Type.String(), Type.Null()]),
      url: Type.Union([Type.String(), Type.Null()]),
      container: Type.String(),
      startedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  markers: Type.Array(CallMarker),
  transcript: Type.Array(TimedText),
  metrics: Type.Union([Type.Object({ wpm: Type.Union([Type.Number(), Type.Null()]), fillers: Type.Integer(), pauses: Type.Integer(), starHeard: Type.Array(Type.String()) }), Type.Null()]),
});
