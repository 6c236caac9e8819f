// The labelled scripts of `npm run eval` (scripts/*.txt): one line per sentence, tagged with the
// STAR part it tells (S/T/A/R, or - for none), fillers and hesitations in braces where spoken.
// The labels come from the script as its author wrote it, never from the product's output.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { STAR_PARTS, type StarPart } from '../src/metrics/star.ts';

/** What the harness scores fillers by. Hesitations are one type: no engine tells um from uh reliably. */
export const FILLER_TYPES = ['um/uh', 'like', 'you know', 'i mean', 'actually', 'literally', 'basically', 'kind of', 'so', 'well'] as const;
export type FillerType = (typeof FILLER_TYPES)[number];

const TYPE_OF: Record<string, FillerType> = {
  um: 'um/uh', uh: 'um/uh', like: 'like', 'you know': 'you know', 'i mean': 'i mean', actually: 'actually',
  literally: 'literally', basically: 'basically', 'kind of': 'kind of', 'sort of': 'kind of', so: 'so', well: 'well',
};

/** The filler type of a phrase as the product names it ("kind of like" is a "kind of"), or null. */
export function fillerTypeOf(phrase: string): FillerType | null {
  const words = phrase.toLowerCase().split(/\s+/);
  for (let n = Math.min(2, words.length); n >= 1; n--) {
    const type = TYPE_OF[words.slice(0, n).join(' ')];
    if (type) return type;
  }
  return null;
}

export interface ScriptWord {
  /** Lower case, no punctuation: what a transcript is compared with. */
  text: string;
  /** The filler this word belongs to, if any. */
  filler: FillerType | null;
  /** Index of the first word of that filler (a two-word filler is one label). */
  fillerStart: number | null;
  part: StarPart | null;
}

export interface Script {
  name: string;
  question: string;
  /** The text to speak: the lines joined, braces removed. */
  text: string;
  words: ScriptWord[];
  /** The STAR parts the script tells. */
  parts: StarPart[];
}

const TAGS: Record<string, StarPart | null> = { S: 'situation', T: 'task', A: 'action', R: 'result', '-': null };

export class ScriptError extends Error {}

export function parseScript(name: string, source: string): Script {
  let question = '';
  const lines: string[] = [];
  const words: ScriptWord[] = [];
  const parts = new Set<StarPart>();
  source.split('\n').forEach((raw, n) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${name}:${n + 1}`;
    if (line.startsWith('#')) {
      const match = /^#\s*question:\s*(.+)$/i.exec(line);
      if (match) question = match[1]!;
      return;
    }
    const tagged = /^([STAR-]):\s+(.+)$/.exec(line);
    if (!tagged) throw new ScriptError(`${where}: a line starts with S:, T:, A:, R: or -:`);
    const part = TAGS[tagged[1]!]!;
    if (part) parts.add(part);
    const body = tagged[2]!;
    if (/[0-9"()\-–—/&%$]/.test(body.replace(/\{[^}]*\}/g, ''))) throw new ScriptError(`${where}: spell numbers and symbols out`);
    // Split into plain runs and {filler} runs.
    for (const piece of body.split(/(\{[^}]*\})/)) {
      if (piece === '') continue;
      const braced = piece.startsWith('{');
      const inner = braced ? piece.slice(1, -1) : piece;
      // A label is exactly one filler phrase: "{um so}" would label "so" as part of a hesitation.
      if (braced && !Object.hasOwn(TYPE_OF, inner)) throw new ScriptError(`${where}: unknown filler {${inner}} (one of: ${Object.keys(TYPE_OF).join(', ')})`);
      const type = braced ? fillerTypeOf(inner) : null;
      const tokens = inner.toLowerCase().replace(/[^a-z'\s]/g, ' ').split(/\s+/).filter(Boolean);
      if (braced && tokens.join(' ') !== inner.trim().toLowerCase()) throw new ScriptError(`${where}: {${inner}} holds one filler, no punctuation`);
      const first = words.length;
      for (const text of tokens) words.push({ text, filler: type, fillerStart: braced ? first : null, part });
    }
    lines.push(body.replace(/[{}]/g, ''));
  });
  if (words.length === 0) throw new ScriptError(`${name}: no lines`);
  return { name, question, text: lines.join(' '), words, parts: STAR_PARTS.filter((p) => parts.has(p)) };
}

export async function loadScripts(dir: string): Promise<Script[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
  return Promise.all(files.map(async (f) => parseScript(f.replace(/\.txt$/, ''), await readFile(path.join(dir, f), 'utf8'))));
}
