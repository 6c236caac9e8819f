import { describe, expect, it } from 'vitest';
import { feeOf, noShowOf, paymentPlan, refundOnCancel, refundOnNoShow, roomClosesAt, roomOpensAt } from './policy.ts';

const call = { startsAt: new Date('2027-05-10T15:00:00Z'), endsAt: new Date('2027-05-10T15:30:00Z') };
const hoursBefore = (h: number) => new Date(call.startsAt.getTime() - h * 3600_000);

describe('booking policy', () => {
  it('refunds a seeker in full until 24 h before, nothing after; a mentor cancelling refunds in full', () => {
    const paid = { ...call, paidCents: 5000 };
    expect(refundOnCancel(paid, 'seeker', hoursBefore(24))).toBe(5000);
    expect(refundOnCancel(paid, 'seeker', hoursBefore(23.99))).toBe(0);
    expect(refundOnCancel(paid, 'seeker', hoursBefore(0.5))).toBe(0);
    expect(refundOnCancel(paid, 'mentor', hoursBefore(0.5))).toBe(5000);
    expect(refundOnCancel({ ...call, paidCents: 0 }, 'seeker', hoursBefore(48))).toBe(0);
  });

  it('pays at once within six days and saves the card for later calls, charged 48 h before', () => {
    expect(paymentPlan(call, hoursBefore(6 * 24))).toEqual({ kind: 'pay_now' });
    expect(paymentPlan(call, hoursBefore(6 * 24 + 1))).toEqual({ kind: 'save_card', chargeAt: hoursBefore(48) });
  });

  it('names the party absent ten minutes in, and refunds unless the seeker alone was absent', () => {
    const at = (m: number) => new Date(call.startsAt.getTime() + m * 60_000);
    expect(noShowOf({ mentorJoinedAt: at(-3), seekerJoinedAt: at(2) }, call)).toBeNull();
    expect(noShowOf({ mentorJoinedAt: at(-3), seekerJoinedAt: null }, call)).toBe('seeker');
    expect(noShowOf({ mentorJoinedAt: at(11), seekerJoinedAt: at(0) }, call)).toBe('mentor');
    expect(noShowOf({ mentorJoinedAt: null, seekerJoinedAt: null }, call)).toBe('both');
    // Came and went before the check without coming back: absent; left after it, or back since: present.
    expect(noShowOf({ mentorJoinedAt: at(-3), seekerJoinedAt: at(0), mentorLeftAt: at(1) }, call)).toBe('mentor');
    expect(noShowOf({ mentorJoinedAt: at(-3), seekerJoinedAt: at(0), mentorLeftAt: at(11) }, call)).toBeNull();
    expect(noShowOf({ mentorJoinedAt: at(-3), seekerJoinedAt: at(0), mentorLeftAt: null, seekerLeftAt: at(9) }, call)).toBe('seeker');
    expect(refundOnNoShow('mentor', 4000)).toBe(4000);
    expect(refundOnNoShow('both', 4000)).toBe(4000);
    expect(refundOnNoShow('seeker', 4000)).toBe(0);
  });

  it('opens the room five minutes early and closes it ten after the end; the fee rounds to a cent', () => {
    expect(roomOpensAt(call).toISOString()).toBe('2027-05-10T14:55:00.000Z');
    expect(roomClosesAt(call).toISOString()).toBe('2027-05-10T15:40:00.000Z');
    expect(feeOf(4999, 15)).toBe(750);
    expect(feeOf(5000, 0)).toBe(0);
  });
});
