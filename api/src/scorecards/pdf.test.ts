// The scorecards read back as a reader would: rendered, written to a file and turned into text by
// poppler's pdftotext (-layout keeps the grid's columns side by side), plus pdfinfo and pdffonts
// for the document's metadata and fonts, and the raw content streams for the chart's vector paths.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerScorecard, mockScorecard, progressScorecard } from './pdf.ts';
import type { AiFeedback, AnswerScorecardInput, MockScorecardInput, ProgressAnswer, ProgressScorecardInput } from './types.ts';

const run = promisify(execFile);
let dir: string;
let files = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scorecards-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saved(pdf: Buffer): Promise<string> {
  const file = join(dir, `${++files}.pdf`);
  await writeFile(file, pdf);
  return file;
}

/** The text pdftotext -layout reads, pages separated by form feeds. */
async function textOf(pdf: Buffer): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', await saved(pdf), '-'], { maxBuffer: 1 << 26 });
  return stdout;
}

/** The same with every run of white space one space: for text that wraps across lines. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
/** Without any white space: for text a line may break inside ("</" + "script>"). */
const tight = (text: string) => text.replace(/\s+/g, '');

async function infoOf(pdf: Buffer): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', ['-isodates', await saved(pdf)]);
  return Object.fromEntries(stdout.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
}

async function fontsOf(pdf: Buffer): Promise<string> {
  return (await run('pdffonts', [await saved(pdf)])).stdout;
}

/** Every compressed stream inflated (page contents among them), for counting path operators. */
function streams(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // Not deflated (or not a content stream): fonts and metadata do not matter here.
    }
  }
  return out.join('\n');
}
const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

const SCRIPT = '<script>alert("pwned")</script>';

const aiFeedback: AiFeedback = {
  source: 'ai',
  model: 'gpt-4o-mini',
  summary: 'A clear story about a slow release process, let down by a missing result.',
  rubric: {
    structure: { score: 4, comment: 'Situation and action are easy to follow.' },
    specificity: { score: 2, comment: 'Few numbers.' },
    impact: { score: 3, comment: null },
    delivery: { score: 5, comment: 'Calm and steady.' },
  },
  strengths: [{ point: 'You owned the decision to change the pipeline.', quote: 'I proposed we move to trunk-based development', at: 42 }],
  improvements: [{ point: 'Say what changed because of it.', quote: `and then it was kind of better ${SCRIPT}`, at: 65 }],
  missing: [{ part: 'Result', advice: 'A measurable outcome, such as release frequency before and after.' }],
  strongerVersion: { part: 'Result', text: 'Within two months we went from one release a month to three a week, and rollbacks dropped to almost none.' },
};

const TRANSCRIPT = `So at my last company releases took a whole day. I proposed we move to trunk-based development and I wrote the migration plan. ${SCRIPT} And then it was kind of better.`;

function answer(overrides: Partial<AnswerScorecardInput> = {}): AnswerScorecardInput {
  return {
    generatedAt: '2025-03-04T09:30:00.000Z',
    question: { text: `Tell me about a time you improved a process. ${SCRIPT}`, competency: 'process-improvement', framework: 'star', difficulty: 3 },
    answeredAt: '2025-03-03T14:05:00.000Z',
    durationMs: 112_400,
    metrics: {
      words: 286,
      wpm: 142.4,
      targetWpm: { min: 130, max: 175 },
      fillers: 9,
      fillersPerMinute: 4.82,
      topFillers: [
        { phrase: 'um', count: 5 },
        { phrase: 'you know', count: 3 },
        { phrase: 'like', count: 1 },
        { phrase: 'basically', count: 1 },
      ],
      pauses: 3,
      longestPauseSeconds: 4.23,
    },
    star: {
      situation: { heard: true, at: 1.2, evidence: 'at my last company releases took a whole day' },
      task: { heard: false, at: null, evidence: null },
      action: { heard: true, at: 20.5, evidence: 'I proposed we move to trunk-based development' },
      result: { heard: false, at: null, evidence: null },
    },
    feedback: aiFeedback,
    originalityNote: 'Close to a sample answer published online: tell it in your own words.',
    transcript: TRANSCRIPT,
    ...overrides,
  };
}

describe('answerScorecard', () => {
  it('prints the question, the figures, STAR, the AI feedback and the transcript', async () => {
    const pdf = await answerScorecard(answer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    const all = flat(text);

    expect(text).toContain('Rehearse scorecard');
    expect(tight(text)).toContain(tight(`Question Tell me about a time you improved a process. ${SCRIPT} Competency:`));
    expect(all).toContain('Competency: Process improvement · Framework: STAR · Difficulty: Hard');
    expect(all).toContain('Answered 3 March 2025, 14:05 · length 1:52');

    // The grid pairs cells side by side: label row, then value row.
    expect(text).toMatch(/Pace +Words\n +142 wpm +286\n +target 130–175 wpm: within/);
    expect(text).toMatch(/Filler words +Pauses\n +9 · 4\.8 per minute +3\n +“um” ×5, “you know” ×3, “like” ×1 +longest 4\.2 s/);
    expect(all).not.toContain('basically');

    expect(text).toMatch(/✓ +Situation \(from 0:01\)\n +“at my last company releases took a whole day”/);
    expect(text).toMatch(/○ +Task: not heard/);
    expect(text).toMatch(/✓ +Action \(from 0:20\)/);
    expect(text).toMatch(/○ +Result: not heard/);

    expect(all).toContain('AI feedback (gpt-4o-mini)');
    // (pdftotext -layout drops the spaces of a lone "4 / 5".)
    expect(text).toMatch(/Structure +Specificity\n +4 ?\/ ?5 +2 ?\/ ?5\n +Situation and action are easy to follow\. +Few numbers\./);
    expect(text).toMatch(/Impact +Delivery\n +3 ?\/ ?5 +5 ?\/ ?5\n +Calm and steady\./);
    expect(all).toContain('+ You owned the decision to change the pipeline. “I proposed we move to trunk-based development” at 0:42');
    expect(tight(text)).toContain(tight(`– Say what changed because of it. “and then it was kind of better ${SCRIPT}” at 1:05`));
    expect(all).toContain('What was missing • Result: A measurable outcome, such as release frequency before and after.');
    expect(all).toContain('A stronger version of the result Within two months we went from one release a month to three a week');
    expect(all).toContain('Originality Close to a sample answer published online');

    expect(tight(text)).toContain(tight(`Transcript ${TRANSCRIPT}`));
    expect(all).not.toContain('excerpt');
  });

  it('sets the title, author and creation date, and renders the same input to the same bytes', async () => {
    const pdf = await answerScorecard(answer());
    const info = await infoOf(pdf);
    expect(info.Title).toBe(`Rehearse scorecard: Tell me about a time you improved a process. ${SCRIPT}`);
    expect(info.Author).toBe('Rehearse');
    expect(info.CreationDate).toBe('2025-03-04T09:30:00Z');
    const pages = Number(info.Pages);
    expect(pages).toBeGreaterThanOrEqual(1);
    const text = await textOf(pdf);
    expect(text.split('\f').filter((page) => page.trim()).length).toBe(pages);
    for (let page = 1; page <= pages; page++) expect(text).toMatch(new RegExp(`Rehearse scorecard · generated 4 March 2025 +Page ${page} of ${pages}\n`));
    expect((await answerScorecard(answer())).equals(pdf)).toBe(true);
    expect((await answerScorecard(answer({ generatedAt: '2025-03-05T09:30:00.000Z' }))).equals(pdf)).toBe(false);
  });

  it('prints automatic feedback points with their quotes and times', async () => {
    const pdf = await answerScorecard(
      answer({
        feedback: {
          source: 'automatic',
          points: [
            { kind: 'improvement', topic: 'fillers', message: '4.8 filler words a minute; "um" 5 times.', at: 12.7, quote: 'and um we had to' },
            { kind: 'strength', topic: 'pace', message: 'An easy pace to follow: 142 words a minute.', at: null, quote: null },
          ],
          missing: ['task', 'result'],
        },
      }),
    );
    const all = flat(await textOf(pdf));
    expect(all).toContain('Feedback Automatic feedback');
    expect(all).toContain('– 4.8 filler words a minute; "um" 5 times. “and um we had to” at 0:12');
    expect(all).toContain('+ An easy pace to follow: 142 words a minute.');
    expect(all).not.toContain('AI feedback');
  });

  it('cuts a 20-minute transcript to a marked excerpt and flows long feedback over pages', async () => {
    const sentence = 'I led the migration of our billing service and I measured every step of it carefully'.split(' ');
    const words = Array.from({ length: 3000 }, (_, i) => sentence[i % sentence.length]!);
    words[249] = 'lastprinted';
    words[250] = 'firstleftout';
    words[2999] = 'finalword';
    const long = (n: number) => Array.from({ length: 6 }, (_, i) => ({ point: `Point ${n}.${i + 1}: ${'a long explanation of what to do differently next time '.repeat(10)}`, quote: `quote ${n}.${i + 1}`, at: 60 * i + 5 }));
    const pdf = await answerScorecard(answer({ durationMs: 20 * 60_000, transcript: words.join(' '), feedback: { ...aiFeedback, strengths: long(1), improvements: long(2) } }));

    const text = await textOf(pdf);
    const all = flat(text);
    expect(all).toContain('Transcript (excerpt) I led the migration');
    expect(all).toContain('lastprinted …');
    expect(all).not.toContain('firstleftout');
    expect(all).not.toContain('finalword');
    expect(all).toContain('Excerpt: the first 250 of 3,000 words.');
    expect(all).toContain('length 20:00');

    const pages = Number((await infoOf(pdf)).Pages);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text.split('\f').filter((page) => page.trim()).length).toBe(pages);
    expect(all).toContain(`Page ${pages} of ${pages}`);
    // Nothing is lost at a page break: every point and its quote is there, in order.
    const order = [1, 2].flatMap((n) => Array.from({ length: 6 }, (_, i) => all.indexOf(`“quote ${n}.${i + 1}” at ${i}:05`)));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('ends a rubric comment too long for its box with "…"', async () => {
    const comment = `Startofcomment ${'far too much to say about the structure '.repeat(60)}endofcomment`;
    const feedback = { ...aiFeedback, rubric: { ...aiFeedback.rubric, structure: { score: 4, comment } } };
    const all = flat(await textOf(await answerScorecard(answer({ feedback }))));
    expect(all).toMatch(/Structure Specificity 4 ?\/ ?5 2 ?\/ ?5 Startofcomment far too much/);
    expect(all).toMatch(/to say about the structure[^…]{0,40}… /);
    expect(all).not.toContain('endofcomment');
    expect(all).toMatch(/Impact Delivery 3 ?\/ ?5 5 ?\/ ?5/);
  });

  it('prints "–" where there is no report, no transcript and no feedback', async () => {
    const pdf = await answerScorecard(answer({ durationMs: null, metrics: null, star: null, feedback: null, originalityNote: null, transcript: '   ' }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    const all = flat(text);
    expect(all).toContain('length –');
    expect(text).toMatch(/Pace +Words\n +– +–\n/);
    expect(text).toMatch(/Filler words +Pauses\n +– +–\n/);
    expect(all).toContain('STAR parts heard – Feedback No feedback for this answer yet.');
    expect(text).toMatch(/Transcript\n+ *–\n[\s]*Rehearse scorecard · generated 4 March 2025 +Page 1 of 1/);
    expect(all).not.toContain('Originality');
    expect(all).not.toMatch(/null|NaN|undefined/);
  });

  it('prints "–" for the figures a report lacks', async () => {
    const metrics = { words: 4, wpm: null, targetWpm: { min: 130, max: 175 }, fillers: 0, fillersPerMinute: null, topFillers: [], pauses: 0, longestPauseSeconds: null };
    const text = await textOf(await answerScorecard(answer({ metrics, transcript: 'Hello I am here' })));
    expect(text).toMatch(/Pace +Words\n +– +4\n +target 130–175 wpm\n/);
    expect(text).toMatch(/Filler words +Pauses\n +0 +0\n/);
    expect(flat(text)).not.toMatch(/null|NaN|undefined|longest/);
  });

  it('prints any script with DejaVu Sans, embedded', async () => {
    const intl = 'Zoë’s café in Kraków — Ελληνικά, Привет, שלום ✓';
    const pdf = await answerScorecard(answer({ transcript: intl, question: { ...answer().question, text: `Naïve question: ${intl}` } }));
    expect(await fontsOf(pdf)).toMatch(/DejaVuSans .*yes +yes/);
    const all = flat(await textOf(pdf));
    expect(all).toContain('Zoë’s café in Kraków — Ελληνικά, Привет,');
    expect(all).toContain('Naïve question: Zoë’s café');
  });

  it('falls back to Helvetica without the DejaVu files, replacing what WinAnsi cannot encode', async () => {
    const intl = 'Zoë’s café costs €5 – Kraków, Erdős, Привет, 日本 👍🏽';
    for (const fontDir of [null, join(dir, 'no-fonts-here')]) {
      const pdf = await answerScorecard(answer({ transcript: intl, question: { ...answer().question, text: `Asked: ${intl}` } }), { fontDir });
      // The metadata is no font's: it keeps every character.
      expect((await infoOf(pdf)).Title).toBe(`Rehearse scorecard: Asked: ${intl}`);
      const fonts = await fontsOf(pdf);
      expect(fonts).toContain('Helvetica');
      expect(fonts).not.toContain('DejaVu');
      const text = await textOf(pdf);
      const all = flat(text);
      expect(all).toContain('Asked: Zoë’s café costs €5 – Kraków, Erdos, ??????, ?? ?');
      expect(all).toContain('Transcript Zoë’s café costs €5 – Kraków, Erdos, ??????, ?? ?');
      expect(text).toMatch(/\[x\] +Situation/);
      expect(text).toMatch(/\[ ?\] +Task: not heard/);
      expect(tight(text)).toContain(tight(SCRIPT));
    }
  });
});

const mock: MockScorecardInput = {
  generatedAt: '2025-03-10T12:00:00.000Z',
  timeZone: 'Europe/Berlin',
  role: 'Product manager',
  date: '2025-03-10T10:15:00.000Z',
  questions: [
    { question: `Tell me about a conflict in your team. ${SCRIPT}`, competency: 'teamwork', durationMs: 90_000, wpm: 138, fillersPerMinute: 2.44, starHeard: ['situation', 'action', 'result'], score: 3.8 },
    { question: 'Describe a product you launched.', competency: 'delivery', durationMs: 150_000, wpm: 162, fillersPerMinute: 1.2, starHeard: ['situation', 'task', 'action', 'result'], score: 4.2 },
    { question: 'Why this company?', competency: '', durationMs: null, wpm: null, fillersPerMinute: null, starHeard: null, score: null },
  ],
};

describe('mockScorecard', () => {
  it('prints each question with its figures, then the averages', async () => {
    const pdf = await mockScorecard(mock);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    const all = flat(text);
    expect(all).toContain('Rehearse mock interview Role: Product manager');
    // 10:15 UTC is 11:15 in Berlin.
    expect(all).toContain('10 March 2025, 11:15 · 3 questions · 4:00 in all');

    expect(tight(text)).toContain(tight(`1. Tell me about a conflict in your team. ${SCRIPT} Competency: Teamwork`));
    // (pdftotext -layout drops the spaces between lone letters: "S A R" reads "SAR".)
    expect(text).toMatch(/Length +Pace +Fillers \/ min +STAR heard +Score\n +1:30 +138 wpm +2\.4 +S ?A ?R +3\.8 \/ 5\n +3 of 4\n/);
    expect(all).toContain('2. Describe a product you launched. Competency: Delivery');
    expect(text).toMatch(/2:30 +162 wpm +1\.2 +S ?T ?A ?R +4\.2 \/ 5\n +4 of 4\n/);
    expect(all).toContain('3. Why this company?');
    expect(text).toMatch(/3\. Why this company\?\n+ +Length +Pace +Fillers \/ min +STAR heard +Score\n +– +– +– +– +–\n/);

    // Averages leave out what is missing: (90 + 150) / 2 s, (138 + 162) / 2 wpm, (3/4 + 4/4) / 2.
    expect(text).toMatch(/Average length +Average pace\n +2:00 +150 wpm/);
    expect(text).toMatch(/Average fillers per minute +Average STAR completeness\n +1\.8 +88%/);
    expect(text).toMatch(/Average score\n +4\.0 \/ 5/);
    expect((await infoOf(pdf)).Title).toBe('Rehearse mock interview: Product manager');
  });

  it('renders a mock interview without questions', async () => {
    const all = flat(await textOf(await mockScorecard({ ...mock, role: '', questions: [] })));
    expect(all).toContain('Role: – 10 March 2025, 11:15 · 0 questions · – in all Questions –');
    expect(all).toMatch(/Average length Average pace – –/);
  });
});

const point = (at: string, competency: string, fillersPerMinute: number | null, rest: Partial<ProgressAnswer> = {}): ProgressAnswer => ({
  at,
  competency,
  wpm: 150,
  fillersPerMinute,
  pauses: 2,
  starCompleteness: 0.75,
  score: null,
  ...rest,
});

const progress: ProgressScorecardInput = {
  generatedAt: '2025-04-01T08:00:00.000Z',
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-31T23:59:59.000Z',
  // Out of order on purpose: first and last are by time.
  answers: [
    point('2025-03-20T10:00:00.000Z', 'leadership', 3.1, { wpm: 160, pauses: 1, starCompleteness: 1, score: 4 }),
    point('2025-03-03T10:00:00.000Z', 'leadership', 6.2, { wpm: 121, pauses: 5, starCompleteness: 0.5, score: 3 }),
    point('2025-03-10T10:00:00.000Z', 'conflict', 4.4, { wpm: 140, pauses: 3, starCompleteness: 0.75 }),
    point('2025-03-28T10:00:00.000Z', ' Conflict ', 1.9, { wpm: 151, pauses: 2, starCompleteness: 1, score: 4.6 }),
  ],
};

describe('progressScorecard', () => {
  it('prints averages, first-to-last changes and the competency rows', async () => {
    const pdf = await progressScorecard(progress);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    const all = flat(text);
    expect(all).toContain('Rehearse progress 1 March 2025 – 31 March 2025 4 answers');
    expect(text).toMatch(/Metric +Average +First → last +Change\n/);
    expect(text).toMatch(/Pace \(wpm\) +143 +121 → 151 +\+30\n/);
    expect(text).toMatch(/Fillers per minute +3\.9 +6\.2 → 1\.9 +−4\.3\n/);
    expect(text).toMatch(/Pauses per answer +2\.8 +5\.0 → 2\.0 +−3\.0\n/);
    expect(text).toMatch(/STAR completeness +81% +50% → 100% +\+50 pts\n/);
    expect(text).toMatch(/AI score \(1–5\) +3\.9 +3\.0 → 4\.6 +\+1\.6\n/);

    expect(text).toMatch(/Competency +Answers +STAR completeness +Average score\n/);
    expect(text).toMatch(/Conflict +2 +88% +4\.6 \/ 5\n/);
    expect(text).toMatch(/Leadership +2 +75% +3\.5 \/ 5\n/);

    // The chart's axes: 0 to a round ceiling over 6.2 fillers a minute, first and last day.
    expect(all).toContain('Fillers per minute over time');
    expect(text).toMatch(/10\n[\s\S]*5\n[\s\S]*0\n/);
    expect(text).toMatch(/3 Mar +28 Mar/);
    expect((await infoOf(pdf)).Title).toBe('Rehearse progress: 1 March 2025 – 31 March 2025');
  });

  it('draws the chart as vector paths, one segment and one dot per answer', async () => {
    const ops = async (input: ProgressScorecardInput) => {
      const content = streams(await progressScorecard(input));
      return { lines: count(content, /^[-\d.]+ [-\d.]+ l$/gm), curves: count(content, /^(?:[-\d.]+ ){6}c$/gm) };
    };
    const four = await ops(progress);
    const later = progress.answers.map((a) => ({ ...a, at: a.at.replace('2025-03', '2025-04') }));
    const eight = await ops({ ...progress, to: '2025-04-30T00:00:00.000Z', answers: [...progress.answers, ...later] });
    expect(eight.lines - four.lines).toBe(4);
    // A circle is four Bézier curves.
    expect(eight.curves - four.curves).toBe(16);
  });

  it('renders a period without answers, and an open period from the answers', async () => {
    const empty = flat(await textOf(await progressScorecard({ ...progress, answers: [] })));
    expect(empty).toContain('0 answers');
    expect(empty).toContain('Pace (wpm) – – –');
    expect(empty).toContain('By competency – Fillers per minute over time –');
    expect(empty).not.toMatch(/null|NaN|undefined|Infinity/);

    const open = flat(await textOf(await progressScorecard({ ...progress, from: null, to: null })));
    expect(open).toContain('Rehearse progress 3 March 2025 – 28 March 2025 4 answers');

    const one = await textOf(await progressScorecard({ ...progress, answers: [progress.answers[0]!] }));
    expect(flat(one)).toContain('1 answer');
    expect(one).toMatch(/Pace \(wpm\) +160 +– +–\n/);
    expect(one).toMatch(/\n {20,}20 Mar\n/);
  });
});
