// How figures, dates and user text read on a printed scorecard. A missing or non-finite figure
// prints as PLACEHOLDER rather than "null" or "NaN".

export const PLACEHOLDER = '–';

const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** m:ss, e.g. 95 → "1:35". */
export function clock(seconds: number | null | undefined): string {
  if (!finite(seconds) || seconds < 0) return PLACEHOLDER;
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Grouped, with `digits` decimals: 3012 → "3,012", (2.345, 1) → "2.3". */
export function num(n: number | null | undefined, digits = 0): string {
  if (!finite(n)) return PLACEHOLDER;
  return n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A 0–1 share as a whole percentage. */
export function percent(share: number | null | undefined): string {
  return finite(share) ? `${Math.round(share * 100)}%` : PLACEHOLDER;
}

/** A change with its sign: +8, −0.4, 0 (a minus sign, not a hyphen). */
export function signed(n: number | null | undefined, digits = 0, unit = ''): string {
  if (!finite(n)) return PLACEHOLDER;
  const rounded = Number(n.toFixed(digits));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '';
  return `${sign}${num(Math.abs(rounded), digits)}${unit}`;
}

const parseDate = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** "3 March 2025", in the reader's time zone. */
export function day(iso: string | null | undefined, timeZone = 'UTC'): string {
  const date = iso ? parseDate(iso) : null;
  return date ? date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }) : PLACEHOLDER;
}

/** "3 March 2025, 14:05". */
export function dayAndTime(iso: string | null | undefined, timeZone = 'UTC'): string {
  const date = iso ? parseDate(iso) : null;
  if (!date) return PLACEHOLDER;
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return `${day(iso, timeZone)}, ${time}`;
}

/** "3 Mar", for chart axes. */
export function shortDay(date: Date, timeZone = 'UTC'): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone });
}

/** The PDF's CreationDate: the given time, or the epoch for a malformed one (never "now": output stays reproducible). */
export function creationDate(iso: string): Date {
  return parseDate(iso) ?? new Date(0);
}

export function difficultyLabel(difficulty: number): string {
  return ({ 1: 'Easy', 2: 'Medium', 3: 'Hard' } as Record<number, string>)[difficulty] ?? (finite(difficulty) ? String(difficulty) : PLACEHOLDER);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The bank's slugs read as words ("customer-focus" → "Customer focus"); anything else as written. */
export function competencyLabel(competency: string): string {
  const trimmed = competency.trim();
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(trimmed) ? capitalize(trimmed.replaceAll('-', ' ')) : trimmed;
}

export interface Excerpt {
  text: string;
  /** Words in the whole text, and whether the excerpt stops short of them. */
  words: number;
  cut: boolean;
}

/** The first `limit` words, line breaks kept as spaces. */
export function excerpt(text: string, limit: number): Excerpt {
  const words = text.split(/\s+/).filter(Boolean);
  return { text: words.slice(0, limit).join(' '), words: words.length, cut: words.length > limit };
}

/** Text printed as given: no control characters, surrogate halves made whole, composed (é, not e + ◌́). */
export function clean(text: string): string {
  return text
    .toWellFormed()
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '');
}

// What Windows-1252 adds in 0x80–0x9F; with printable ASCII and Latin-1 that is all Helvetica's
// standard encoding can print.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SUBSTITUTES: Record<string, string> = { '✓': '[x]', '○': '[ ]', '→': '->', '←': '<-', '−': '-', '≤': '<=', '≥': '>=', '‐': '-', '‑': '-', '\u2009': ' ', '\u202F': ' ' };

const winAnsi = (char: string) => {
  const code = char.codePointAt(0)!;
  return char === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
};

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** `clean` text limited to what the built-in fonts print: "ő" → "o", "✓" → "[x]", "日" or "👍🏽" → "?". */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const { segment } of graphemes.segment(clean(text))) {
    const chars = [...segment];
    if (chars.every(winAnsi)) out += segment;
    else if (SUBSTITUTES[segment] !== undefined) out += SUBSTITUTES[segment];
    else {
      const bare = segment.normalize('NFKD').replace(/\p{M}/gu, '');
      out += bare !== '' && [...bare].every(winAnsi) ? bare : '?';
    }
  }
  return out;
}
