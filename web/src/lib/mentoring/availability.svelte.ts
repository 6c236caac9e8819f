// The availability editor's state: the mentor's week as HH:MM windows per weekday, and dated
// exceptions, turned into what PUT /api/mentor/availability takes (minutes from midnight).
import type { Availability } from '../api.ts';
import { WEEKDAYS, clockOf, minuteOf } from './format.ts';

export interface WindowDraft {
  start: string;
  end: string;
}

/** `off`: the whole day; `off-window`: time off within the day; `extra`: hours beyond the week's. */
export type ExceptionKind = 'off' | 'off-window' | 'extra';

export interface ExceptionDraft extends WindowDraft {
  date: string;
  kind: ExceptionKind;
}

export const EXCEPTION_KINDS: { value: ExceptionKind; label: string }[] = [
  { value: 'off', label: 'Day off' },
  { value: 'off-window', label: 'Time off' },
  { value: 'extra', label: 'Extra hours' },
];

const windowOf = (start: number | null, end: number | null): WindowDraft => ({ start: start === null ? '' : clockOf(start), end: end === null ? '' : clockOf(end) });

export class AvailabilityDraft {
  timezone = $state('');
  bufferMinutes = $state<number | null>(0);
  noticeHours = $state<number | null>(0);
  /** Index 0 is Monday (ISO weekday 1). */
  week = $state<WindowDraft[][]>(WEEKDAYS.map(() => []));
  exceptions = $state<ExceptionDraft[]>([]);

  constructor(saved: Availability) {
    this.load(saved);
  }

  load(saved: Availability): void {
    this.timezone = saved.timezone;
    this.bufferMinutes = saved.bufferMinutes;
    this.noticeHours = saved.minNoticeMinutes / 60;
    this.week = WEEKDAYS.map((_, i) => saved.rules.filter((r) => r.weekday === i + 1).map((r) => windowOf(r.startMinute, r.endMinute)));
    this.exceptions = saved.exceptions.map((x) => ({ date: x.date, kind: x.kind === 'extra' ? 'extra' : x.startMinute === null ? 'off' : 'off-window', ...windowOf(x.startMinute, x.endMinute) }));
  }

  addWindow(day: number): void {
    const last = this.week[day]!.at(-1);
    this.week[day]!.push(last ? { start: last.end === '24:00' ? '23:00' : last.end, end: '24:00' } : { start: '09:00', end: '17:00' });
  }

  removeWindow(day: number, index: number): void {
    this.week[day]!.splice(index, 1);
  }

  addException(): void {
    this.exceptions.push({ date: '', kind: 'off', start: '', end: '' });
  }

  removeException(index: number): void {
    this.exceptions.splice(index, 1);
  }

  /** What the API takes; throws an Error saying which time is not HH:MM. */
  toInput(): Availability {
    const minutes = (clock: string, what: string): number => {
      const minute = minuteOf(clock);
      if (minute === null) throw new Error(`${what}: "${clock}" is not a time like 09:30`);
      return minute;
    };
    return {
      timezone: this.timezone.trim(),
      bufferMinutes: this.bufferMinutes ?? 0,
      minNoticeMinutes: Math.round((this.noticeHours ?? 0) * 60),
      rules: this.week.flatMap((windows, i) =>
        windows.map((w) => ({ weekday: i + 1, startMinute: minutes(w.start, `${WEEKDAYS[i]}'s start`), endMinute: minutes(w.end, `${WEEKDAYS[i]}'s end`) })),
      ),
      exceptions: this.exceptions.map((x) =>
        x.kind === 'off'
          ? { date: x.date, kind: 'off' as const, startMinute: null, endMinute: null }
          : { date: x.date, kind: x.kind === 'extra' ? ('extra' as const) : ('off' as const), startMinute: minutes(x.start, `The start on ${x.date}`), endMinute: minutes(x.end, `The end on ${x.date}`) },
      ),
    };
  }
}
