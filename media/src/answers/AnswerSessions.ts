import type { Logger } from '@rehearse/core/logger';
import type { Peer } from '../Peer.ts';
import { answersFinished } from '../metrics.ts';
import { Recorder } from '../Recorder.ts';
import type { Room } from '../Room.ts';
import type { LiveUpdate } from '@rehearse/analysis';
import type { NotificationData, RecordingState } from '@rehearse/protocol/signaling';

/** Sends the candidate's page one of the answer's notifications. */
export type AnswerNotify = <N extends 'recording' | 'analysis' | 'report'>(notification: N, data: NotificationData[N]) => void;
import { AnswerSession, recordingColumns, recordingKeyPrefix, type AnswerSessionDeps } from './AnswerSession.ts';

/** The answers this media server is recording, by answer id. */
export class AnswerSessions {
  readonly #deps: AnswerSessionDeps;
  readonly #sessions = new Map<string, AnswerSession>();
  /** Pages watching an answer they do not own (a mentor's co-pilot), by answer id. */
  readonly #watchers = new Map<string, Set<(update: LiveUpdate) => void>>();

  constructor(deps: AnswerSessionDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(answerId: string): AnswerSession | undefined {
    return this.#sessions.get(answerId);
  }

  /**
   * Whether the user may (re)join the answer's room: theirs, and not ended. An answer this server
   * is not running may only be joined while it has not started (after a restart, one that was
   * recording is being finalized as interrupted).
   */
  async canJoin(answerId: string, userId: string): Promise<boolean> {
    const session = this.#sessions.get(answerId);
    if (session && !session.closed) return session.userId === userId && session.state.state !== 'stopped';
    const row = await this.#deps.db.answer.findUnique({ where: { id: answerId }, select: { userId: true, status: true } });
    return row !== null && row.userId === userId && row.status === 'created';
  }

  /** The candidate joined the answer's room; returns the recording state for the page. */
  attach({
    answerId,
    room,
    peer,
    notify,
    analyse = true,
    reconnectGraceMs,
    liveCoaching = true,
    maxRecordingMs = null,
  }: {
    answerId: string;
    room: Room;
    peer: Peer;
    notify: AnswerNotify;
    analyse?: boolean;
    reconnectGraceMs?: number;
    /** Whether the page gets the live analysis (a one-way interview's recruiter may say no; the report is made either way). */
    liveCoaching?: boolean;
    /** The recording stops by itself this long after it started (a one-way interview's answer time). */
    maxRecordingMs?: number | null;
  }): RecordingState {
    let session = this.#sessions.get(answerId);
    if (!session || session.closed) {
      session = new AnswerSession({ answerId, userId: peer.userId, deps: this.#deps, analyse, reconnectGraceMs, maxRecordingMs });
      this.#sessions.set(answerId, session);
      const created = session;
      const forward = (update: LiveUpdate) => {
        for (const watcher of this.#watchers.get(answerId) ?? []) watcher(update);
      };
      created.on('analysis', forward);
      session.once('close', () => {
        created.off('analysis', forward);
        if (this.#sessions.get(answerId) === created) this.#sessions.delete(answerId);
      });
    }
    if (session.userId !== peer.userId) throw new Error('answer joined by a user who does not own it');
    const onState = (state: RecordingState) => notify('recording', state);
    const onAnalysis = (update: LiveUpdate) => notify('analysis', update);
    const onReport = ({ ready }: { ready: boolean }) => notify('report', { answerId, ready });
    session.on('state', onState);
    if (liveCoaching) session.on('analysis', onAnalysis);
    session.on('report', onReport);
    peer.once('close', () => {
      session.off('state', onState);
      session.off('analysis', onAnalysis);
      session.off('report', onReport);
    });
    session.attach(room, peer);
    // A page that rejoins mid-answer may have missed updates: it gets every final word again.
    const snapshot = liveCoaching ? session.liveSnapshot() : null;
    if (snapshot) queueMicrotask(() => notify('analysis', snapshot));
    return session.state;
  }

  /**
   * Another page follows an answer's live analysis (the mentor's co-pilot in a call), whether the
   * answer's session exists yet or not; it gets everything so far at once. Returns the unsubscribe.
   */
  watch(answerId: string, listener: (update: LiveUpdate) => void): () => void {
    let set = this.#watchers.get(answerId);
    if (!set) this.#watchers.set(answerId, (set = new Set()));
    set.add(listener);
    const snapshot = this.#sessions.get(answerId)?.liveSnapshot();
    if (snapshot) queueMicrotask(() => listener(snapshot));
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#watchers.get(answerId) === set) this.#watchers.delete(answerId);
    };
  }

  /** Stops an answer (the API's stop): resolves once the recording is complete in S3. */
  async stop(answerId: string): Promise<boolean> {
    const session = this.#sessions.get(answerId);
    if (!session) return false;
    await session.finish('ready');
    return true;
  }

  /**
   * After a crash or restart: answers the node at `mediaUrl` (this one, or a dead one being taken
   * over) was still recording are finalized from what the spool (if it is this node's) and S3
   * hold, and marked interrupted. Each answer is claimed first (`recovering_by`), so two nodes
   * never finalize the same one; a claim by a node that is gone since may be taken again.
   */
  async recoverInterrupted(mediaUrl: string, log: Logger, nodeId: string): Promise<number> {
    const { db, s3, bucket, spoolRoot, ffmpegPath } = this.#deps;
    const orphans = await db.answer.findMany({ where: { mediaUrl, status: { in: ['recording', 'processing'] } } });
    let recovered = 0;
    for (const answer of orphans) {
      if (this.#sessions.has(answer.id)) continue;
      const live = (await db.mediaNode.findMany({ where: { status: { not: 'dead' } }, select: { id: true } })).map((n) => n.id);
      const claimed = await db.answer.updateMany({
        where: { id: answer.id, status: { in: ['recording', 'processing'] }, OR: [{ recoveringBy: null }, { recoveringBy: nodeId }, { recoveringBy: { notIn: live } }] },
        data: { recoveringBy: nodeId },
      });
      if (claimed.count === 0) continue;
      recovered++;
      try {
        const result = await Recorder.recover({ s3, bucket, keyPrefix: recordingKeyPrefix(answer.userId, answer.id), spoolDir: `${spoolRoot}/${answer.id}`, ffmpegPath });
        await db.answer.update({
          where: { id: answer.id },
          data: {
            status: 'interrupted',
            stoppedAt: answer.stoppedAt ?? new Date(),
            ...recordingColumns(result),
            recordingNote: 'The media server stopped during this answer; what was received is kept.',
          },
        });
        answersFinished.inc({ outcome: 'recovered' });
        log.info({ answerId: answer.id }, 'recovered an interrupted recording');
      } catch (error) {
        log.error({ err: error, answerId: answer.id }, 'could not recover an interrupted recording');
        await db.answer.update({ where: { id: answer.id }, data: { status: 'failed', recordingNote: 'The media server stopped during this answer and nothing could be recovered.' } });
      }
    }
    return recovered;
  }

  /** Finalizes every answer in flight, e.g. when the server is asked to stop. */
  async finishAll(note: string): Promise<void> {
    await Promise.allSettled([...this.#sessions.values()].map((session) => session.finish('interrupted', note)));
  }

  closeAll(): void {
    for (const session of [...this.#sessions.values()]) session.close();
  }
}
