// Discovery: candidates who opt in (target roles, skills, location, a public video resume) can be
// found by recruiters on the Recruiter plan, who may watch that resume and ask to get in touch.
// Nothing else — not even the address — is shared until the candidate accepts. Opting out (or
// an admin hiding the profile) removes them from every search and resume view at once: each
// request reads the profile again.
import type { FastifyRequest } from 'fastify';
import type { PrismaClient } from '@rehearse/db';
import type { Static } from 'typebox';
import type { DiscoveryProfileInput, DiscoveryQuery } from '@rehearse/protocol';
import { audit } from '../audit/log.ts';
import { requireRecruiterPlan } from '../billing/plans.ts';
import { extendRetention } from '../retention/policy.ts';
import type { Mailer } from '../mail/mailer.ts';
import { HttpError } from '../plugins/errors.ts';
import type { ShareService } from '../shares/service.ts';

/** What a found candidate's resume shows: the video and transcript with the key figures. */
const RESUME_INCLUDE = { metrics: true, feedback: false, originality: false };

export class DiscoveryService {
  readonly #db: PrismaClient;
  readonly #shares: ShareService;
  readonly #mailer: Mailer;
  readonly #publicUrl: string;
  readonly #now: () => Date;

  constructor({ db, shares, mailer, publicUrl, now = () => new Date() }: { db: PrismaClient; shares: ShareService; mailer: Mailer; publicUrl: string; now?: () => Date }) {
    this.#db = db;
    this.#shares = shares;
    this.#mailer = mailer;
    this.#publicUrl = publicUrl;
    this.#now = now;
  }

  // ----- the candidate's profile -----

  async profile(userId: string) {
    const row = await this.#db.candidateProfile.findUnique({ where: { userId } });
    return { discoverable: row?.discoverable ?? false, targetRoles: row?.targetRoles ?? [], skills: row?.skills ?? [], location: row?.location ?? '', resumeId: row?.resumeId ?? null, hidden: !!row?.hiddenAt };
  }

  async setProfile(userId: string, input: Static<typeof DiscoveryProfileInput>) {
    if (input.resumeId && !(await this.#db.videoResume.findFirst({ where: { id: input.resumeId, userId }, select: { id: true } }))) throw new HttpError(404, 'RESUME_NOT_FOUND', 'No such video resume');
    const user = await this.#db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    if (input.discoverable && !user.email) throw new HttpError(409, 'ACCOUNT_REQUIRED', 'Sign up first: recruiters contact you through your account');
    const data = { discoverable: input.discoverable, targetRoles: clean(input.targetRoles), skills: clean(input.skills), location: input.location.trim(), resumeId: input.resumeId };
    await this.#db.candidateProfile.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    return this.profile(userId);
  }

  // ----- the recruiter's side -----

  /** Found while opted in and not hidden, and their account is not suspended. */
  #visible(extra: object = {}) {
    return { discoverable: true, hiddenAt: null, user: { suspendedAt: null, email: { not: null } }, ...extra };
  }

  async search(recruiterId: string, query: Static<typeof DiscoveryQuery>) {
    await requireRecruiterPlan(this.#db, recruiterId, this.#now());
    const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    const rows = await this.#db.candidateProfile.findMany({
      where: this.#visible({
        userId: { not: recruiterId },
        ...(query.role ? { targetRoles: { has: query.role.trim().toLowerCase() } } : {}),
        ...(query.skill ? { skills: { has: query.skill.trim().toLowerCase() } } : {}),
        ...(query.location ? { location: { contains: query.location.trim(), mode: 'insensitive' as const } } : {}),
        ...(words.length ? { AND: words.map((w) => ({ OR: [{ skills: { has: w } }, { targetRoles: { has: w } }, { user: { headline: { contains: w, mode: 'insensitive' as const } } }, { resume: { headline: { contains: w, mode: 'insensitive' as const } } }, { resume: { profile: { contains: w, mode: 'insensitive' as const } } }] })) } : {}),
      }),
      include: { user: { select: { name: true, headline: true } }, resume: true },
      orderBy: { updatedAt: 'desc' },
      take: 50,
    });
    const contacts = new Map((await this.#db.contactRequest.findMany({ where: { recruiterId, candidateId: { in: rows.map((r) => r.userId) } } })).map((c) => [c.candidateId, c.status]));
    return rows.map((r) => present(r, contacts.get(r.userId) ?? null));
  }

  async #found(recruiterId: string, candidateId: string) {
    await requireRecruiterPlan(this.#db, recruiterId, this.#now());
    const row = await this.#db.candidateProfile.findFirst({ where: this.#visible({ userId: candidateId }), include: { user: { select: { name: true, headline: true, email: true } }, resume: true } });
    // Not opted in is exactly as unknown as no such person.
    if (!row || candidateId === recruiterId) throw new HttpError(404, 'CANDIDATE_NOT_FOUND', 'No such candidate');
    return row;
  }

  async candidate(request: FastifyRequest, candidateId: string) {
    const recruiterId = request.session!.user.id;
    const row = await this.#found(recruiterId, candidateId);
    const contact = await this.#db.contactRequest.findUnique({ where: { recruiterId_candidateId: { recruiterId, candidateId } } });
    const answers = row.resume ? await this.#shares.sharedAnswers(candidateId, row.resume.answerIds, RESUME_INCLUDE, (id) => `/api/discovery/${candidateId}/answers/${id}/recording`) : [];
    await audit(this.#db, request, { action: 'discovery.view', targetType: 'candidate_profile', targetId: candidateId });
    // A recruiter watching the public resume counts as a look, as a share view does: kept longer.
    if (row.resume) await extendRetention(this.#db, candidateId, row.resume.answerIds, this.#now());
    return { candidate: present(row, contact?.status ?? null), answers, email: contact?.status === 'accepted' ? row.user.email : null };
  }

  async recording(recruiterId: string, candidateId: string, answerId: string) {
    const row = await this.#found(recruiterId, candidateId);
    return this.#shares.recordingOf(candidateId, row.resume?.answerIds ?? [], answerId);
  }

  async requestContact(request: FastifyRequest, candidateId: string, message: string) {
    const recruiterId = request.session!.user.id;
    const row = await this.#found(recruiterId, candidateId);
    const existing = await this.#db.contactRequest.findUnique({ where: { recruiterId_candidateId: { recruiterId, candidateId } } });
    // Asking once: a declined request is not asked again (the candidate said no).
    if (existing) throw new HttpError(409, 'ALREADY_REQUESTED', existing.status === 'declined' ? 'The candidate declined' : 'You asked already');
    const created = await this.#db.contactRequest.create({ data: { recruiterId, candidateId, message: message.trim() } });
    if (row.user.email) {
      await this.#mailer.send({
        to: row.user.email,
        subject: `${request.session!.user.name || 'A recruiter'} would like to get in touch`,
        text: `A recruiter found your profile on Rehearse and wrote:\n\n${message.trim()}\n\nNothing else is shared with them unless you accept: ${this.#publicUrl}/discovery`,
      });
    }
    await audit(this.#db, request, { action: 'discovery.contact', targetType: 'candidate_profile', targetId: candidateId, details: { requestId: created.id } });
    return (await this.#presentRequests({ id: created.id }))[0]!;
  }

  /** The recruiter's requests (with the address once accepted) or the candidate's (with the recruiter's). */
  async requests(userId: string, side: 'recruiter' | 'candidate') {
    return this.#presentRequests(side === 'recruiter' ? { recruiterId: userId } : { candidateId: userId });
  }

  async decide(request: FastifyRequest, requestId: string, accept: boolean) {
    const candidateId = request.session!.user.id;
    const row = await this.#db.contactRequest.findUnique({ where: { id: requestId } });
    if (!row || row.candidateId !== candidateId) throw new HttpError(404, 'REQUEST_NOT_FOUND', 'No such contact request');
    if (row.status !== 'pending') throw new HttpError(409, 'ALREADY_DECIDED', `You ${row.status} this already`);
    await this.#db.contactRequest.update({ where: { id: requestId }, data: { status: accept ? 'accepted' : 'declined', decidedAt: this.#now() } });
    const recruiter = await this.#db.user.findUnique({ where: { id: row.recruiterId }, select: { email: true } });
    if (accept && recruiter?.email) {
      await this.#mailer.send({ to: recruiter.email, subject: 'A candidate accepted your contact request', text: `${request.session!.user.name || 'The candidate'} accepted. Their address is on ${this.#publicUrl}/recruiter/contacts` });
    }
    await audit(this.#db, request, { action: `discovery.contact.${accept ? 'accept' : 'decline'}`, targetType: 'contact_request', targetId: requestId });
    return (await this.#presentRequests({ id: requestId }))[0]!;
  }

  async #presentRequests(where: { id?: string; recruiterId?: string; candidateId?: string }) {
    const rows = await this.#db.contactRequest.findMany({ where, orderBy: { createdAt: 'desc' }, take: 200 });
    const people = new Map((await this.#db.user.findMany({ where: { id: { in: rows.flatMap((r) => [r.recruiterId, r.candidateId]) } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]));
    return rows.map((r) => ({
      id: r.id,
      status: r.status as 'pending' | 'accepted' | 'declined',
      message: r.message,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      recruiter: { name: people.get(r.recruiterId)?.name ?? '', email: people.get(r.recruiterId)?.email ?? '' },
      candidate: { id: r.candidateId, name: people.get(r.candidateId)?.name ?? '', email: r.status === 'accepted' ? (people.get(r.candidateId)?.email ?? null) : null },
    }));
  }
}

/** Tags compared case-insensitively: stored lower-cased, trimmed, once each. */
function clean(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

function present(r: { userId: string; targetRoles: string[]; skills: string[]; location: string; user: { name: string; headline: string }; resume: { headline: string; profile: string; answerIds: string[] } | null }, contact: string | null) {
  return {
    id: r.userId,
    name: r.user.name,
    headline: r.user.headline,
    targetRoles: r.targetRoles,
    skills: r.skills,
    location: r.location,
    resume: r.resume ? { headline: r.resume.headline, profile: r.resume.profile, answers: r.resume.answerIds.length } : null,
    contact: contact as 'pending' | 'accepted' | 'declined' | null,
  };
}
