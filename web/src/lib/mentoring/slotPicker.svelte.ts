// The booking panel's state: the call length, its free slots, the chosen day and start, the agenda,
// and booking it at the price the page showed, or moving a booked call there (a refusal reloads
// the slots).
import { attempt, mentoringApi, type Booking, type CallMinutes, type SlotList } from '../api.ts';
import { SLOT_DAYS } from './format.ts';

export class SlotPicker {
  readonly mentorId: string;
  minutes: CallMinutes;
  list: SlotList;
  /** The chosen day (YYYY-MM-DD in the viewer's zone); null: the first with free slots. */
  day = $state<string | null>(null);
  startsAt = $state<string | null>(null);
  agenda = $state('');
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(mentorId: string, first: SlotList) {
    this.mentorId = mentorId;
    this.minutes = $state(first.minutes);
    this.list = $state(first);
  }

  async showLength(minutes: CallMinutes): Promise<void> {
    this.minutes = minutes;
    this.startsAt = null;
    this.day = null;
    await attempt(async () => (this.list = await mentoringApi.slots(this.mentorId, minutes, SLOT_DAYS)), this);
  }

  /** The booking held, or null with `error` saying why (the slots are fresh again then). */
  book(): Promise<Booking | null> {
    return this.take((startsAt) => mentoringApi.book({ mentorId: this.mentorId, startsAt, minutes: this.list.minutes, priceCents: this.list.priceCents, agenda: this.agenda.trim() || undefined }));
  }

  /** Booking `bookingId` moved to the chosen start, or null with `error` saying why (as `book`). */
  move(bookingId: string): Promise<Booking | null> {
    return this.take((startsAt) => mentoringApi.reschedule(bookingId, startsAt));
  }

  private async take(request: (startsAt: string) => Promise<{ booking: Booking }>): Promise<Booking | null> {
    const { startsAt } = this;
    if (!startsAt) return null;
    let booking: Booking | null = null;
    const done = await attempt(async () => ({ booking } = await request(startsAt)), this);
    if (!done) await this.reload();
    return booking;
  }

  /** After a refusal (taken, price changed, too many holds, too late): the slots and price as they are now. */
  private async reload(): Promise<void> {
    try {
      this.list = await mentoringApi.slots(this.mentorId, this.minutes, SLOT_DAYS);
      if (!this.list.slots.some((slot) => slot.startsAt === this.startsAt)) this.startsAt = null;
    } catch {
      // The error already shown stands; the old list stays.
    }
  }
}
