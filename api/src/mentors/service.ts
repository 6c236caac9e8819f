// Mentor profiles: applying, the mentor's own profile and availability, the public directory
// (filters, search, next free slot) and profile pages with ratings.
import type { PrismaClient } from '@rehearse/db';
import type { Static } from 'typebox';
import type { AvailabilityInput, MentorProfile, MentorProfileInput } from '@rehearse/protocol';
import { HttpError } from '../plugins/errors.ts';
import { CALL_LENGTHS, freeSlots, isTimeZone, type CallLength } from './availability.ts';

type ProfileRow = NonNullable<Awaited<ReturnType<PrismaClient['mentorProfile']['findUnique']>>>;
type ProfileOut = Static<typeof MentorProfile>;

/** How far ahead the directory and profile pages look for free slots. */
export const SLOT_HORIZON_DAYS = 60;

export function priceOf(profile: Pick<ProfileRow, 'price15' | 'price30' | 'price45'>, minutes: CallLength): number | null {
  return minutes === 15 ? profile.price15 : minutes === 30 ? profile.price30 : profile.price45;
}

/** An exception row as the slot computation and the API read it (the date as the mentor's YYYY-MM-DD). */
function exceptionOf(x: { date: Date; kind: 'off' | 'extra'; startMinute: number | null; endMinute: number | null }) {
  return { date: x.date.toISOString().slice(0, 10), kind: x.kind, startMinute: x.startMinute, endMinute: x.endMinute };
}

function check(condition: boolean, code: string, message: string): asserts condition {
  if (!condition) throw new HttpError(400, code, message);
}

export class MentorService {
  private readonly db: PrismaClient;
  private readonly autoApprove: boolean;
  readonly now: () => Date;

  constructor({ db, autoApprove, now = () => new Date() }: { db: PrismaClient; autoApprove: boolean; now?: () => Date }) {
    this.db = db;
    this.now = now;
    this.autoApprove = autoApprove;
  }

  /** Any signed-up user may apply; the role is granted by an admin (or at once in development). */
  async apply(userId: string, input: Static<typeof MentorProfileInput>): Promise<ProfileOut> {
    const user = await this.db.user.findUniqueOrThrow({ where: { id: userId } });
    if (!user.email) throw new HttpError(409, 'SIGN_UP_FIRST', 'Sign up with an email address before applying to mentor');
    this.validate(input);
    const existing = await this.db.mentorProfile.findUnique({ where: { userId } });
    if (existing) throw new HttpError(409, 'ALREADY_APPLIED', existing.status === 'approved' ? 'You are a mentor already' : 'Your application is waiting for review');
    await this.db.mentorProfile.create({ data: { userId, ...this.fields(input), timezone: input.timezone ?? user.timezone } });
    if (this.autoApprove) await this.approve(userId);
    return this.present(userId);
  }

  /** Grants the mentor role (an admin's action; development does it on applying). */
  async approve(userId: string): Promise<void> {
    await this.db.$transaction([
      this.db.mentorProfile.update({ where: { userId }, data: { status: 'approved', approvedAt: this.now() } }),
      this.db.userRole.upsert({ where: { userId_role: { userId, role: 'mentor' } }, create: { userId, role: 'mentor' }, update: {} }),
    ]);
  }

  /** Out of the directory and the role taken away; booked calls stay. */
  async suspend(userId: string): Promise<void> {
    await this.db.$transaction([
      this.db.mentorProfile.update({ where: { userId }, data: { status: 'suspended' } }),
      this.db.userRole.deleteMany({ where: { userId, role: 'mentor' } }),
    ]);
  }

  async update(userId: string, input: Static<typeof MentorProfileInput>): Promise<ProfileOut> {
    this.validate(input);
    await this.db.mentorProfile.update({ where: { userId }, data: this.fields(input) });
    return this.present(userId);
  }

  async availability(userId: string): Promise<Static<typeof AvailabilityInput>> {
    const profile = await this.db.mentorProfile.findUniqueOrThrow({ where: { userId }, include: { rules: { orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }] }, exceptions: { orderBy: { date: 'asc' } } } });
    return {
      timezone: profile.timezone,
      bufferMinutes: profile.bufferMinutes,
      minNoticeMinutes: profile.minNoticeMinutes,
      rules: profile.rules.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
      exceptions: profile.exceptions.map(exceptionOf),
    };
  }

  /** Replaces the weekly rules and exceptions at once (one transaction). */
  async setAvailability(userId: string, input: Static<typeof AvailabilityInput>): Promise<Static<typeof AvailabilityInput>> {
    check(isTimeZone(input.timezone), 'INVALID_TIMEZONE', `"${input.timezone}" is not an IANA time zone (e.g. Europe/Berlin)`);
    for (const r of input.rules) check(r.startMinute < r.endMinute, 'INVALID_WINDOW', 'Each window must end after it starts');
    for (const x of input.exceptions) {
      if (x.kind === 'extra') check(x.startMinute !== null && x.endMinute !== null && x.startMinute < x.endMinute, 'INVALID_WINDOW', `The extra window on ${x.date} needs a start before its end`);
      else check((x.startMinute === null) === (x.endMinute === null) && (x.startMinute === null || x.startMinute < x.endMinute!), 'INVALID_WINDOW', `The time off on ${x.date} is a whole day (no times) or a start before an end`);
    }
    await this.db.$transaction([
      this.db.mentorProfile.update({ where: { userId }, data: { timezone: input.timezone, bufferMinutes: input.bufferMinutes, minNoticeMinutes: input.minNoticeMinutes } }),
      this.db.availabilityRule.deleteMany({ where: { mentorId: userId } }),
      this.db.availabilityException.deleteMany({ where: { mentorId: userId } }),
      this.db.availabilityRule.createMany({ data: input.rules.map((r) => ({ mentorId: userId, ...r })) }),
      this.db.availabilityException.createMany({ data: input.exceptions.map((x) => ({ mentorId: userId, ...x, date: new Date(`${x.date}T00:00:00Z`) })) }),
    ]);
    return this.availability(userId);
  }

  /** A mentor's free slots of one length in [from, to) (or offered ones, with `ignoreBookings`). */
  async slots(mentorId: string, minutes: CallLength, from: Date, to: Date, now = this.now(), { ignoreBookings = false } = {}) {
    const profile = await this.db.mentorProfile.findUnique({ where: { userId: mentorId }, include: { rules: true, exceptions: true } });
    if (!profile || profile.status !== 'approved') throw new HttpError(404, 'MENTOR_NOT_FOUND', 'No such mentor');
    const price = priceOf(profile, minutes);
    if (price === null) throw new HttpError(409, 'LENGTH_NOT_OFFERED', `This mentor does not offer ${minutes}-minute calls`);
    const bookings = ignoreBookings ? [] : await this.db.booking.findMany({
      where: { mentorId, status: { in: ['held', 'confirmed', 'completed'] }, startsAt: { lt: new Date(to.getTime() + 24 * 3600_000) }, blockedUntil: { gt: new Date(from.getTime() - 24 * 3600_000) } },
      select: { startsAt: true, blockedUntil: true, status: true, holdExpiresAt: true },
    });
    const slots = freeSlots({
      timezone: profile.timezone,
      rules: profile.rules,
      exceptions: profile.exceptions.map(exceptionOf),
      // A hold that ran out no longer keeps its slot, even before the job marks it expired.
      bookings: bookings.filter((b) => !(b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now)),
      bufferMinutes: profile.bufferMinutes,
      minNoticeMinutes: profile.minNoticeMinutes,
      minutes,
      from,
      to,
      now,
    });
    return { profile, priceCents: price, slots };
  }

  async present(userId: string, withNextSlot = false): Promise<ProfileOut> {
    const profile = await this.db.mentorProfile.findUnique({ where: { userId }, include: { user: true } });
    if (!profile) throw new HttpError(404, 'MENTOR_NOT_FOUND', 'No such mentor');
    const [rating] = await this.ratings([userId]);
    return this.shape(profile, rating!, withNextSlot ? await this.nextFreeSlot(profile) : null);
  }

  /** The public directory: approved mentors, filtered and searched. */
  async directory(filter: { q?: string; topic?: string; language?: string; maxPriceCents?: number; minutes?: CallLength; freeBefore?: Date; reviews?: boolean }): Promise<ProfileOut[]> {
    const q = filter.q?.trim();
    const rows = await this.db.mentorProfile.findMany({
      where: {
        status: 'approved',
        ...(filter.reviews ? { reviewPrice: { not: null } } : {}),
        ...(filter.topic ? { OR: [{ topics: { has: filter.topic } }, { competencies: { has: filter.topic } }] } : {}),
        ...(filter.language ? { languages: { has: filter.language } } : {}),
        ...(q
          ? { AND: [{ OR: [{ headline: { contains: q, mode: 'insensitive' as const } }, { bio: { contains: q, mode: 'insensitive' as const } }, { user: { name: { contains: q, mode: 'insensitive' as const } } }, { topics: { has: q.toLowerCase() } }, { hiresFor: { has: q.toLowerCase() } }] }] }
          : {}),
      },
      include: { user: true },
      orderBy: { approvedAt: 'asc' },
      take: 200,
    });
    const priced = rows.filter((p) => {
      const lengths = filter.minutes ? [filter.minutes] : CALL_LENGTHS;
      const prices = lengths.map((m) => priceOf(p, m)).filter((x): x is number => x !== null);
      // A mentor who only reviews recorded answers is listed too (unless a call length is asked for).
      if (prices.length === 0 && !filter.minutes && p.reviewPrice !== null) prices.push(p.reviewPrice);
      return prices.length > 0 && (filter.maxPriceCents === undefined || Math.min(...prices) <= filter.maxPriceCents);
    });
    const ratings = await this.ratings(priced.map((p) => p.userId));
    const out = await Promise.all(priced.map(async (p, i) => this.shape(p, ratings[i]!, await this.nextFreeSlot(p, filter.minutes))));
    return filter.freeBefore ? out.filter((m) => m.nextFreeSlot !== null && new Date(m.nextFreeSlot) < filter.freeBefore!) : out;
  }

  async reviews(mentorId: string) {
    const rows = await this.db.mentorReview.findMany({ where: { mentorId, hiddenAt: null }, orderBy: { createdAt: 'desc' }, take: 50, include: { booking: { include: { seeker: { select: { name: true } } } } } });
    return rows.map((r) => ({ id: r.bookingId, rating: r.rating, comment: r.comment, createdAt: r.createdAt.toISOString(), seekerName: r.booking.seeker.name.split(' ')[0] || 'A candidate' }));
  }

  private async nextFreeSlot(profile: ProfileRow, minutes?: CallLength): Promise<string | null> {
    const length = minutes ?? CALL_LENGTHS.find((m) => priceOf(profile, m) !== null);
    if (!length || priceOf(profile, length) === null || profile.status !== 'approved') return null;
    const now = this.now();
    // One read of the mentor's rules and bookings for the whole horizon; the slots are cheap to compute.
    const { slots } = await this.slots(profile.userId, length, now, new Date(now.getTime() + SLOT_HORIZON_DAYS * 86_400_000), now);
    return slots[0]?.startsAt.toISOString() ?? null;
  }

  private async ratings(mentorIds: string[]): Promise<{ average: number | null; count: number }[]> {
    const groups = await this.db.mentorReview.groupBy({ by: ['mentorId'], where: { mentorId: { in: mentorIds }, hiddenAt: null }, _avg: { rating: true }, _count: { _all: true } });
    const byId = new Map(groups.map((g) => [g.mentorId, { average: g._avg.rating === null ? null : Math.round(g._avg.rating * 10) / 10, count: g._count._all }]));
    return mentorIds.map((id) => byId.get(id) ?? { average: null, count: 0 });
  }

  private shape(p: ProfileRow & { user: { name: string; avatarKey: string | null } }, rating: { average: number | null; count: number }, nextFreeSlot: string | null): ProfileOut {
    return {
      id: p.userId,
      name: p.user.name || 'Mentor',
      photoUrl: p.user.avatarKey ? `/api/mentors/${p.userId}/photo?v=${encodeURIComponent(p.user.avatarKey.slice(p.user.avatarKey.lastIndexOf('/') + 1))}` : null,
      status: p.status,
      headline: p.headline,
      bio: p.bio,
      topics: p.topics,
      competencies: p.competencies,
      hiresFor: p.hiresFor,
      languages: p.languages,
      prices: { 15: p.price15, 30: p.price30, 45: p.price45 },
      currency: p.currency,
      timezone: p.timezone,
      review: { price: p.reviewPrice, hours: p.reviewHours },
      rating,
      nextFreeSlot,
      payoutsEnabled: p.payoutsEnabled,
    };
  }

  private validate(input: Static<typeof MentorProfileInput>): void {
    if (input.timezone !== undefined) check(isTimeZone(input.timezone), 'INVALID_TIMEZONE', `"${input.timezone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }

  private fields(input: Static<typeof MentorProfileInput>) {
    const lower = (tags?: string[]) => (tags === undefined ? undefined : [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))]);
    return {
      headline: input.headline?.trim(),
      bio: input.bio?.trim(),
      topics: lower(input.topics),
      competencies: lower(input.competencies),
      hiresFor: lower(input.hiresFor),
      languages: input.languages,
      price15: input.price15,
      price30: input.price30,
      price45: input.price45,
      currency: input.currency,
      timezone: input.timezone,
      reviewPrice: input.reviewPrice,
      reviewHours: input.reviewHours,
    };
  }
}
