// AI feedback on one take, as the report page shows it while it is written: the server-sent events
// of GET /api/answers/:id/feedback/:feedbackId/stream (the JSON report's text so far, then each
// delta, then the saved feedback), read as a partial report so each part appears as it arrives.
import { Allow, parse } from 'partial-json';
import { coachApi, messageOf, type AiFeedback, type AiFeedbackList, type AiFeedbackReport } from '../api.ts';

/** A report still being written: any part may be missing or cut short. */
export type PartialReport = { [K in keyof AiFeedbackReport]?: AiFeedbackReport[K] extends object ? Partial<AiFeedbackReport[K]> : AiFeedbackReport[K] };

export class FeedbackStream {
  /** The latest AI feedback of this answer (null: none asked for yet). */
  feedback = $state.raw<AiFeedback | null>(null);
  /** What has arrived of the report while it streams. */
  partial = $state.raw<PartialReport | null>(null);
  /** When the first piece arrived (performance.now()), for the page's own latency figure. */
  firstPieceAt = $state<number | null>(null);
  used = $state(0);
  allowed = $state(0);
  available = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  readonly #answerId: string;
  #source: EventSource | null = null;
  #text = '';

  constructor(answerId: string, list: AiFeedbackList) {
    this.#answerId = answerId;
    this.used = list.used;
    this.allowed = list.allowed;
    this.available = list.available;
    this.feedback = list.feedbacks[0] ?? null;
    if (this.feedback?.streamUrl) this.#follow(this.feedback.streamUrl);
  }

  get streaming(): boolean {
    return this.feedback?.status === 'streaming';
  }

  /** The report to show: the saved one, or what has streamed so far. */
  get report(): PartialReport | null {
    return this.feedback?.report ?? this.partial;
  }

  async ask(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const { feedback } = await coachApi.askFeedback(this.#answerId);
      this.feedback = feedback;
      this.partial = null;
      this.firstPieceAt = null;
      this.used += 1;
      if (feedback.streamUrl) this.#follow(feedback.streamUrl);
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  #follow(url: string): void {
    this.#source?.close();
    this.#text = '';
    const source = (this.#source = new EventSource(url));
    source.addEventListener('text', (event) => this.#append((JSON.parse(event.data) as { text: string }).text));
    source.addEventListener('delta', (event) => this.#append((JSON.parse(event.data) as { delta: string }).delta));
    source.addEventListener('done', (event) => {
      source.close();
      const { feedback } = JSON.parse(event.data) as { feedback: AiFeedback };
      this.feedback = feedback;
      this.partial = null;
      // The allowance as the server counts it (a failed one is given back).
      void coachApi.feedbacks(this.#answerId).then((list) => ((this.used = list.used), (this.allowed = list.allowed)), () => {});
    });
    // EventSource reconnects by itself; a stream that cannot be followed leaves the saved state to a reload.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) this.error = 'Lost the connection to the feedback; reload the page to see it.';
    };
  }

  #append(piece: string): void {
    if (!piece) return;
    this.firstPieceAt ??= performance.now();
    this.#text += piece;
    try {
      this.partial = parse(this.#text, Allow.ALL) as PartialReport;
    } catch {
      // Not yet parseable (e.g. mid-escape): the next piece will be.
    }
  }

  close(): void {
    this.#source?.close();
    this.#source = null;
  }
}
