// A booked call, live: joining the room through the SFU (consent to the recording first), each
// party's side recorded to S3 as an answer row of the booking (the candidate's forked to
// speech-to-text, which the mentor's page receives as the co-pilot), the mentor's timestamped
// markers and notes, ending the call, and the summary both get afterwards.
import type { Config } from '@rehearse/core/config';
import type { PrismaClient } from '@rehearse/db';
import type { TimedWord } from '@rehearse/analysis';
import { joinInfo, stopRecording } from '../answers/mediaServer.ts';
import { internalUrlOf, placeRoom } from '../answers/placement.ts';
import type { BookingService } from '../bookings/service.ts';
import { HttpError } from '../plugins/errors.ts';
import { CALL_SOURCE } from '../questions/service.ts';

export type CallRole = 'candidate' | 'mentor';

/** Longest marker note and how many markers one call may have. */
export const MARKER_NOTE_MAX = 500;
export const MARKERS_PER_CALL = 200;

export class CallService {
  readonly #db: PrismaClient;
  readonly #config: Config;
  readonly #bookings: BookingService;

  constructor({ db, config, bookings }: { db: PrismaClient; config: Config; bookings: BookingService }) {
    this.#db = db;
    this.#config = config;
    this.#bookings = bookings;
  }

  /** The booking and the caller's part in it; anyone else is told it does not exist. */
  async #party(userId: string, bookingId: string) {
    const booking = await this.#db.booking.findUnique({ where: { id: bookingId }, include: { mentor: { include: { user: { select: { name: true } } } }, seeker: { select: { name: true } } } });
    if (!booking || (booking.seekerId !== userId && booking.mentorId !== userId)) throw new HttpError(404, 'BOOKING_NOT_FOUND', 'No such booking');
    return { booking, role: (booking.mentorId === userId ? 'mentor' : 'candidate') as CallRole };
  }

  /** Each party's recording row of the call, made the first time anyone joins. */
  async #recordings(booking: { id: string; seekerId: string; mentorId: string; startsAt: Date }, mentorName: string, seekerName: string) {
    // Both sides of a call are one room, on one media node.
    let mediaUrl: string | null = null;
    const make = async (role: CallRole) => {
      const existing = await this.#db.answer.findUnique({ where: { bookingId_callRole: { bookingId: booking.id, callRole: role } } });
      if (existing) {
        mediaUrl ??= existing.mediaUrl;
        return existing;
      }
      mediaUrl ??= await placeRoom(this.#db, this.#config);
      const userId = role === 'candidate' ? booking.seekerId : booking.mentorId;
      const other = role === 'candidate' ? mentorName : seekerName;
      // Both parties may join at the same instant: an insert that skips an existing slug, then a
      // read, is safe where an upsert (a read, then an insert) races into the unique index.
      const slug = `call-${booking.id}-${role}`;
      await this.#db.question.createMany({
        data: [{ slug, text: `Mentor call with ${other || 'your partner'} on ${booking.startsAt.toISOString().slice(0, 10)}`, source: CALL_SOURCE, ownerId: userId, competency: 'mentor-call' }],
        skipDuplicates: true,
      });
      const question = await this.#db.question.findUniqueOrThrow({ where: { slug } });
      try {
        return await this.#db.answer.create({ data: { userId, questionId: question.id, mediaUrl, bookingId: booking.id, callRole: role } });
      } catch (error) {
        // Both parties joined at once: the other request made it.
        if ((error as { code?: string }).code !== 'P2002') throw error;
        return this.#db.answer.findUniqueOrThrow({ where: { bookingId_callRole: { bookingId: booking.id, callRole: role } } });
      }
    };
    const [candidate, mentor] = [await make('candidate'), await make('mentor')];
    return { candidate, mentor };
  }

  async join(userId: string, bookingId: string, { consent, coaching }: { consent: boolean; coaching?: boolean }) {
    const { booking, role } = await this.#party(userId, bookingId);
    if (booking.status !== 'confirmed') throw new HttpError(409, 'CALL_NOT_ON', booking.status === 'completed' || booking.status === 'no_show' ? 'This call is over' : `This booking is ${booking.status}`);
    if (!booking.roomOpenedAt || booking.roomClosedAt) throw new HttpError(409, 'ROOM_NOT_OPEN', booking.roomClosedAt ? 'The call is over' : 'The room opens 5 minutes before the start', { opensAt: new Date(booking.startsAt.getTime() - 5 * 60_000).toISOString() });
    if (!consent) throw new HttpError(400, 'CONSENT_REQUIRED', 'The call is recorded for both of you; agree to the recording to join');
    const now = this.#bookings.now();
    await this.#db.booking.update({
      where: { id: bookingId },
      data: role === 'mentor' ? { mentorConsentAt: booking.mentorConsentAt ?? now } : { seekerConsentAt: booking.seekerConsentAt ?? now, ...(coaching === undefined ? {} : { seekerCoaching: coaching }) },
    });
    const recordings = await this.#recordings(booking, booking.mentor.user.name, booking.seeker.name);
    const own = recordings[role];
    if (own.status !== 'created' && own.status !== 'recording') throw new HttpError(409, 'CALL_OVER', 'Your side of this call has been finalized');
    const join = await joinInfo(this.#config, {
      userId,
      roomId: booking.id,
      role,
      answerId: own.id,
      mediaUrl: own.mediaUrl,
      call: { bookingId: booking.id, analyse: role === 'candidate', watchAnswerId: role === 'mentor' ? recordings.candidate.id : null },
    });
    return { join, role, recordingAnswerId: own.id, candidateAnswerId: recordings.candidate.id, endsAt: booking.endsAt.toISOString(), closesAt: new Date(booking.endsAt.getTime() + 10 * 60_000).toISOString() };
  }

  /** The mentor marks a moment (time from the candidate's recording's start) with a note. */
  async mark(userId: string, bookingId: string, note: string) {
    const { booking, role } = await this.#party(userId, bookingId);
    if (role !== 'mentor') throw new HttpError(403, 'MENTOR_ONLY', 'Only the mentor drops markers');
    if (!booking.roomOpenedAt || booking.roomClosedAt || booking.status !== 'confirmed') throw new HttpError(409, 'ROOM_NOT_OPEN', 'Markers are dropped during the call');
    if ((await this.#db.callMarker.count({ where: { bookingId } })) >= MARKERS_PER_CALL) throw new HttpError(429, 'TOO_MANY_MARKERS', `A call keeps at most ${MARKERS_PER_CALL} markers`);
    const candidate = await this.#db.answer.findUnique({ where: { bookingId_callRole: { bookingId, callRole: 'candidate' } }, select: { startedAt: true } });
    const zero = candidate?.startedAt ?? booking.roomOpenedAt;
    const atMs = Math.max(0, this.#bookings.now().getTime() - zero.getTime());
    const marker = await this.#db.callMarker.create({ data: { bookingId, authorId: userId, atMs, note: note.trim() } });
    return { id: marker.id, atMs: marker.atMs, note: marker.note, createdAt: marker.createdAt.toISOString() };
  }

  async setNotes(userId: string, bookingId: string, notes: string) {
    const { role } = await this.#party(userId, bookingId);
    if (role !== 'mentor') throw new HttpError(403, 'MENTOR_ONLY', 'Only the mentor writes the notes');
    await this.#db.booking.update({ where: { id: bookingId }, data: { mentorNotes: notes.trim() } });
  }

  /**
   * Either party ends the call once both have been in the room: both recordings are finished and
   * the booking completed (the mentor's payout scheduled). Before the other party has joined,
   * ending is refused: the no-show rule decides 10 minutes in, so a mentor cannot end (and be paid
   * for) a call the seeker never reached.
   */
  async end(userId: string, bookingId: string) {
    const { booking } = await this.#party(userId, bookingId);
    if (booking.status !== 'confirmed' || !booking.roomOpenedAt) throw new HttpError(409, 'CALL_NOT_ON', 'This call is not in progress');
    if (!booking.mentorJoinedAt || !booking.seekerJoinedAt) throw new HttpError(409, 'OTHER_PARTY_NOT_JOINED', 'The call can be ended once both of you have joined; if the other party does not come, the call is settled 10 minutes after the start as a no-show');
    await this.stopRecordings(bookingId);
    await this.#bookings.completeCall(bookingId);
  }

  /** Finishes both sides' recordings (the room's close, or the end of the call). */
  async stopRecordings(bookingId: string): Promise<void> {
    const rows = await this.#db.answer.findMany({ where: { bookingId, status: { in: ['created', 'recording'] } }, select: { id: true, mediaUrl: true } });
    await Promise.all(rows.map(async (r) => stopRecording(this.#config, await internalUrlOf(this.#db, this.#config, r.mediaUrl), r.id)));
  }

  async summary(userId: string, bookingId: string) {
    const { booking, role } = await this.#party(userId, bookingId);
    const [recordings, markers, report] = await Promise.all([
      this.#db.answer.findMany({ where: { bookingId }, select: { id: true, callRole: true, status: true, durationMs: true, container: true, recordingKey: true, startedAt: true, recordingNote: true } }),
      this.#db.callMarker.findMany({ where: { bookingId }, orderBy: { atMs: 'asc' } }),
      this.#db.answerReport.findFirst({ where: { answer: { bookingId, callRole: 'candidate' } } }),
    ]);
    return {
      role,
      booking: await this.#bookings.view(userId, bookingId),
      mentorNotes: booking.mentorNotes,
      seekerCoaching: booking.seekerCoaching,
      recordings: recordings.map((r) => ({
        role: r.callRole as CallRole,
        status: r.status,
        durationMs: r.durationMs,
        note: r.recordingNote,
        // Milliseconds from the candidate's start to this side's (to play both in step).
        url: r.recordingKey ? `/api/calls/${bookingId}/recordings/${r.callRole}` : null,
        container: r.container ?? 'webm',
        startedAt: r.startedAt?.toISOString() ?? null,
      })),
      markers: markers.map((m) => ({ id: m.id, atMs: m.atMs, note: m.note, createdAt: m.createdAt.toISOString() })),
      transcript: report ? (report.words as unknown as TimedWord[]).map((w) => ({ text: w.punctuated ?? w.text, start: w.start, end: w.end })) : [],
      metrics: report ? { wpm: report.wpm, fillers: report.fillerCount, pauses: report.pauseCount, starHeard: report.starHeard } : null,
    };
  }

  /** A side's recording object, for either party of the call. */
  async recording(userId: string, bookingId: string, role: CallRole): Promise<{ key: string; contentType: string }> {
    await this.#party(userId, bookingId);
    const row = await this.#db.answer.findUnique({ where: { bookingId_callRole: { bookingId, callRole: role } } });
    if (!row?.recordingKey) throw new HttpError(409, 'NO_RECORDING', 'This side of the call has no recording yet');
    return { key: row.recordingKey, contentType: row.container === 'mp4' ? 'video/mp4' : 'video/webm' };
  }
}
