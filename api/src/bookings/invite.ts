// A booked call as a calendar invite (RFC 5545, written by ical-generator): one UID per booking,
// SEQUENCE raised on every change, so a reschedule updates and a cancellation removes the same
// event in the recipient's calendar; both parties named as attendees; alarms a day and 15 minutes
// before.
import ical, { ICalAlarmType, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface InviteFacts {
  bookingId: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  mentorName: string;
  seekerName: string;
  /** The two parties' addresses: a REQUEST or CANCEL names its attendees (RFC 5546). */
  mentorEmail: string | null;
  seekerEmail: string | null;
  url: string;
  organizerEmail: string;
  canceled: boolean;
}

/** The invite's UID: stable for the booking's whole life. */
export function inviteUid(bookingId: string, host: string): string {
  return `booking-${bookingId}@${host}`;
}

export function bookingInvite(facts: InviteFacts): { method: 'REQUEST' | 'CANCEL'; content: string } {
  const host = new URL(facts.url).hostname;
  const method = facts.canceled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Rehearse', product: 'mentor-calls' }, method });
  calendar.createEvent({
    id: inviteUid(facts.bookingId, host),
    sequence: facts.sequence,
    start: facts.startsAt,
    end: facts.endsAt,
    stamp: new Date(),
    summary: `Mentor call: ${facts.mentorName} and ${facts.seekerName}`,
    description: `Join from ${facts.url} (the room opens 5 minutes before the start).`,
    url: facts.url,
    location: facts.url,
    organizer: { name: 'Rehearse', email: facts.organizerEmail },
    attendees: [
      { name: facts.mentorName, email: facts.mentorEmail },
      { name: facts.seekerName, email: facts.seekerEmail },
    ]
      .filter((a): a is { name: string; email: string } => a.email !== null)
      .map((a) => ({ ...a, role: ICalAttendeeRole.REQ, status: facts.canceled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED })),
    status: facts.canceled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    alarms: facts.canceled
      ? []
      : [
          { type: ICalAlarmType.display, trigger: 24 * 3600, description: 'Mentor call tomorrow' },
          { type: ICalAlarmType.display, trigger: 15 * 60, description: 'Mentor call in 15 minutes' },
        ],
  });
  return { method: facts.canceled ? 'CANCEL' : 'REQUEST', content: calendar.toString() };
}
