// Every rate limit and cap the API enforces, in one place (README, "Security", lists them). Each
// has a test that attacks it from outside. Per-address limits key on the client address the API
// believes: the connection's own, or what the web server in front of it set (TRUSTED_PROXIES).

/** Sign-up and log-in attempts per client address per window: enough for people, too few for guessing. */
export const AUTH_RATE_LIMIT = { max: 10, timeWindow: 60 * 1000 };

/**
 * Failed log-ins per account, from any number of addresses: a botnet guessing one password gets
 * this many tries per window. Counted for unknown addresses too, so it tells nobody who has an account.
 */
export const ACCOUNT_LOGIN_LIMIT = { max: 10, timeWindow: 15 * 60 * 1000 };

/** Reset mails per address per window, so nobody can flood someone's inbox. */
export const ACCOUNT_RESET_LIMIT = { max: 3, timeWindow: 60 * 60 * 1000 };

/**
 * Guest accounts one client address may make per window: a household or a classroom behind one
 * address practises freely; a script making accounts by the hundred does not.
 */
export const GUEST_RATE_LIMIT = { max: 20, timeWindow: 60 * 60 * 1000 };

/** Answers one user may start per window (three times as many per client address, across guests). */
export const ANSWER_START_LIMIT = { max: 20, timeWindow: 10 * 60 * 1000 };

/** An answer that has not received media this long after it was created is given up. */
export const UNSTARTED_ANSWER_TTL_MS = 5 * 60 * 1000;

/** Questions of their own one account may keep. */
export const OWN_QUESTIONS_MAX = 200;

/** How long a delivery may work on a Stripe event before another may take it over. */
export const WEBHOOK_LEASE_MS = 60_000;

/**
 * The coach's requests, per user per window. The plan's monthly allowances bound what AI costs;
 * these bound how fast anyone can hammer the routes that call it.
 */
export const COACH_LIMITS = {
  feedback: { max: 20, timeWindow: 10 * 60 * 1000 },
  questionSets: { max: 20, timeWindow: 10 * 60 * 1000 },
  /** A pasted job description is a few KB; the field takes 20,000 characters (UTF-8: up to 80 KB). */
  questionSetBodyBytes: 96 * 1024,
  mockInterviews: { max: 20, timeWindow: 10 * 60 * 1000 },
} as const;

/** Mentoring: unpaid holds one seeker may have at once (a flood of holds would empty a calendar). */
export const MAX_ACTIVE_HOLDS = 3;
/** Booking attempts per seeker, and directory/slot reads per visitor. */
export const BOOKING_LIMIT = { max: 30, timeWindow: 10 * 60 * 1000 };
export const DIRECTORY_LIMIT = { max: 120, timeWindow: 60 * 1000 };
/** How far ahead a call can be booked. */
export const BOOKING_HORIZON_DAYS = 90;

/**
 * Openings of share links per client address per window (each opening is a recorded view): a
 * recruiter going through candidates is far below it; someone guessing tokens or inflating a
 * candidate's view count is not. A link's video requests are not counted (seeking makes many).
 */
export const SHARE_OPEN_LIMIT = { max: 60, timeWindow: 60 * 1000 };
/** Reports one account may file per window, so reporting cannot be used to flood the admins. */
export const MODERATION_REPORT_LIMIT = { max: 10, timeWindow: 60 * 60 * 1000 };
