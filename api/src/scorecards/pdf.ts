// Printable scorecards: one answer, a mock interview, and progress over a period. Pure functions
// from plain data to PDF bytes (no database, no HTTP), so a route only gathers the input.
import { STAR_PARTS, type AutomaticFeedback, type StarPart } from '@rehearse/analysis';
import { capitalize, clock, competencyLabel, day, dayAndTime, difficultyLabel, excerpt, num, percent, PLACEHOLDER, shortDay, signed } from './format.ts';
import { COLOR, Sheet, type Cell } from './sheet.ts';
import type { AiFeedback, AnswerMetrics, AnswerScorecardInput, MockScorecardInput, ProgressAnswer, ProgressScorecardInput, QuotedPoint, RenderOptions, RubricScore } from './types.ts';

/** Words of the transcript printed; the rest is left to the page in the app. */
export const TRANSCRIPT_EXCERPT_WORDS = 250;

const FRAMEWORKS: Record<string, string> = { star: 'STAR', carl: 'CARL', soar: 'SOAR' };
const TOP_FILLERS = 3;

const withUnit = (value: number | null | undefined, unit: string, digits = 0) => {
  const figure = num(value, digits);
  return figure === PLACEHOLDER ? PLACEHOLDER : `${figure} ${unit}`;
};
/** "4 / 5"; an average keeps its decimal ("4.0 / 5"). */
const outOfFive = (score: number | null | undefined, digits = 0) => {
  const figure = num(score, digits);
  return figure === PLACEHOLDER ? PLACEHOLDER : `${figure} / 5`;
};
const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
const shorten = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
};

export async function answerScorecard(input: AnswerScorecardInput, options: RenderOptions = {}): Promise<Buffer> {
  const timeZone = input.timeZone ?? 'UTC';
  const { question } = input;
  const sheet = await Sheet.create({
    title: `Rehearse scorecard: ${shorten(question.text, 80)}`,
    subject: 'Interview answer scorecard',
    generatedAt: input.generatedAt,
    footer: `Rehearse scorecard · generated ${day(input.generatedAt, timeZone)}`,
    fontDir: options.fontDir,
  });
  sheet.title('Rehearse scorecard', [`Answered ${dayAndTime(input.answeredAt, timeZone)} · length ${clock(seconds(input.durationMs))}`]);

  sheet.heading('Question');
  sheet.paragraph(question.text, { face: 'bold', size: 11 });
  sheet.paragraph(`Competency: ${competencyLabel(question.competency) || PLACEHOLDER}   ·   Framework: ${FRAMEWORKS[question.framework] ?? question.framework}   ·   Difficulty: ${difficultyLabel(question.difficulty)}`, { color: COLOR.muted, size: 9 });

  sheet.heading('Key figures');
  sheet.grid(metricCells(input.metrics));

  sheet.heading('STAR parts heard');
  if (!input.star) sheet.paragraph(PLACEHOLDER);
  else {
    for (const part of STAR_PARTS) {
      const cue = input.star[part];
      sheet.item(cue.heard ? '✓' : '○', cue.heard ? `${capitalize(part)}${cue.at !== null ? ` (from ${clock(cue.at)})` : ''}` : `${capitalize(part)}: not heard`, {
        markerColor: cue.heard ? COLOR.good : COLOR.muted,
        quote: cue.heard ? cue.evidence : null,
      });
    }
  }

  sheet.heading('Feedback');
  const { feedback } = input;
  if (!feedback) sheet.paragraph('No feedback for this answer yet.', { color: COLOR.muted });
  else if (feedback.source === 'ai') aiFeedback(sheet, feedback);
  else automaticFeedback(sheet, feedback);

  if (input.originalityNote?.trim()) {
    sheet.heading('Originality');
    sheet.paragraph(input.originalityNote);
  }

  const transcript = excerpt(input.transcript, TRANSCRIPT_EXCERPT_WORDS);
  sheet.heading(transcript.cut ? 'Transcript (excerpt)' : 'Transcript');
  sheet.paragraph(transcript.cut ? `${transcript.text} …` : transcript.text);
  if (transcript.cut) sheet.paragraph(`Excerpt: the first ${num(TRANSCRIPT_EXCERPT_WORDS)} of ${num(transcript.words)} words.`, { size: 8.5, color: COLOR.muted });

  return sheet.finish();
}

function metricCells(metrics: AnswerMetrics | null): Cell[] {
  const m = metrics;
  const target = m?.targetWpm ?? null;
  const top = (m?.topFillers ?? []).slice(0, TOP_FILLERS).map((f) => `“${f.phrase}” ×${f.count}`);
  const perMinute = num(m?.fillersPerMinute, 1);
  return [
    { label: 'Pace', value: withUnit(m?.wpm, 'wpm'), detail: target ? `target ${target.min}–${target.max} wpm${paceVerdict(m?.wpm ?? null, target)}` : undefined },
    { label: 'Words', value: num(m?.words) },
    {
      label: 'Filler words',
      value: m?.fillers == null ? PLACEHOLDER : `${num(m.fillers)}${perMinute === PLACEHOLDER ? '' : ` · ${perMinute} per minute`}`,
      detail: top.length ? top.join(', ') : undefined,
    },
    { label: 'Pauses', value: num(m?.pauses), detail: m?.longestPauseSeconds != null ? `longest ${num(m.longestPauseSeconds, 1)} s` : undefined },
  ];
}

function paceVerdict(wpm: number | null, target: { min: number; max: number }): string {
  if (wpm === null || !Number.isFinite(wpm)) return '';
  return wpm < target.min ? ': slower' : wpm > target.max ? ': faster' : ': within';
}

function note(sheet: Sheet, marker: string, { text, quote, at }: { text: string; quote: string | null; at: number | null }): void {
  sheet.item(marker, text, { quote, at: at === null ? null : clock(at) });
}

function aiFeedback(sheet: Sheet, feedback: AiFeedback): void {
  sheet.paragraph(`AI feedback (${feedback.model})`, { face: 'bold', color: COLOR.muted });
  if (feedback.summary?.trim()) sheet.paragraph(feedback.summary);
  const { structure, specificity, impact, delivery } = feedback.rubric;
  const cell = (label: string, { score, comment }: RubricScore): Cell => ({ label, value: outOfFive(score, Number.isInteger(score) ? 0 : 1), detail: comment?.trim() || undefined });
  sheet.grid([cell('Structure', structure), cell('Specificity', specificity), cell('Impact', impact), cell('Delivery', delivery)]);
  const points = (title: string, marker: string, list: QuotedPoint[]) => {
    if (list.length === 0) return;
    sheet.subheading(title);
    for (const p of list) note(sheet, marker, { text: p.point, quote: p.quote, at: p.at });
  };
  points('Strengths', '+', feedback.strengths);
  points('To improve', '–', feedback.improvements);
  if (feedback.missing.length) {
    sheet.subheading('What was missing');
    for (const { part, advice } of feedback.missing) sheet.item('•', advice.trim() ? `${part}: ${advice}` : part);
  }
  if (feedback.strongerVersion) {
    sheet.subheading(`A stronger version of the ${feedback.strongerVersion.part.toLowerCase()}`);
    sheet.paragraph(feedback.strongerVersion.text, { face: 'italic', indent: 14 });
  }
}

function automaticFeedback(sheet: Sheet, feedback: AutomaticFeedback): void {
  sheet.paragraph('Automatic feedback', { face: 'bold', color: COLOR.muted });
  if (feedback.points.length === 0) sheet.paragraph(PLACEHOLDER);
  for (const point of feedback.points) note(sheet, point.kind === 'strength' ? '+' : '–', { text: point.message, quote: point.quote, at: point.at });
}

const mean = (values: ReadonlyArray<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
};

/** "S A R" and "3 of 4" for situation, action and result heard. */
const starCell = (heard: StarPart[] | null): Cell => {
  if (!heard) return { label: 'STAR heard', value: PLACEHOLDER };
  const parts = STAR_PARTS.filter((p) => heard.includes(p));
  return { label: 'STAR heard', value: parts.length ? parts.map((p) => p[0]!.toUpperCase()).join(' ') : 'none', detail: `${parts.length} of ${STAR_PARTS.length}` };
};

export async function mockScorecard(input: MockScorecardInput, options: RenderOptions = {}): Promise<Buffer> {
  const timeZone = input.timeZone ?? 'UTC';
  const { questions } = input;
  const sheet = await Sheet.create({
    title: `Rehearse mock interview: ${shorten(input.role, 80) || PLACEHOLDER}`,
    subject: 'Mock interview scorecard',
    generatedAt: input.generatedAt,
    footer: `Rehearse mock interview · generated ${day(input.generatedAt, timeZone)}`,
    fontDir: options.fontDir,
  });
  const durations = questions.map((q) => seconds(q.durationMs));
  const total = durations.some((d) => d !== null) ? durations.reduce<number>((a, d) => a + (d ?? 0), 0) : null;
  sheet.title('Rehearse mock interview', [
    `Role: ${input.role.trim() || PLACEHOLDER}`,
    `${dayAndTime(input.date, timeZone)} · ${questions.length} ${questions.length === 1 ? 'question' : 'questions'} · ${clock(total)} in all`,
  ]);

  sheet.heading('Questions');
  if (questions.length === 0) sheet.paragraph(PLACEHOLDER);
  questions.forEach((q, i) => {
    sheet.subheading(`${i + 1}. ${q.question}`);
    if (q.competency.trim()) sheet.paragraph(`Competency: ${competencyLabel(q.competency)}`, { size: 8.5, color: COLOR.muted, gap: 2 });
    sheet.grid(
      [
        { label: 'Length', value: clock(seconds(q.durationMs)) },
        { label: 'Pace', value: withUnit(q.wpm, 'wpm') },
        { label: 'Fillers / min', value: num(q.fillersPerMinute, 1) },
        starCell(q.starHeard),
        { label: 'Score', value: outOfFive(q.score, 1) },
      ],
      5,
    );
  });

  sheet.heading('Overall');
  sheet.grid([
    { label: 'Average length', value: clock(mean(durations)) },
    { label: 'Average pace', value: withUnit(mean(questions.map((q) => q.wpm)), 'wpm') },
    { label: 'Average fillers per minute', value: num(mean(questions.map((q) => q.fillersPerMinute)), 1) },
    { label: 'Average STAR completeness', value: percent(mean(questions.map((q) => (q.starHeard ? new Set(q.starHeard).size / STAR_PARTS.length : null)))) },
    { label: 'Average score', value: outOfFive(mean(questions.map((q) => q.score)), 1) },
  ]);
  return sheet.finish();
}

type ProgressMetric = 'wpm' | 'fillersPerMinute' | 'pauses' | 'starCompleteness' | 'score';

const PROGRESS_ROWS: Array<{ metric: ProgressMetric; label: string; show: (n: number | null) => string; change: (n: number | null) => string }> = [
  { metric: 'wpm', label: 'Pace (wpm)', show: (n) => num(n), change: (n) => signed(n) },
  { metric: 'fillersPerMinute', label: 'Fillers per minute', show: (n) => num(n, 1), change: (n) => signed(n, 1) },
  { metric: 'pauses', label: 'Pauses per answer', show: (n) => num(n, 1), change: (n) => signed(n, 1) },
  { metric: 'starCompleteness', label: 'STAR completeness', show: percent, change: (n) => signed(n === null ? null : n * 100, 0, ' pts') },
  { metric: 'score', label: 'AI score (1–5)', show: (n) => num(n, 1), change: (n) => signed(n, 1) },
];

const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

export async function progressScorecard(input: ProgressScorecardInput, options: RenderOptions = {}): Promise<Buffer> {
  const timeZone = input.timeZone ?? 'UTC';
  const answers = [...input.answers].sort((a, b) => timeOf(a.at) - timeOf(b.at));
  // An open end of the period reaches the first or last answer.
  const period = `${day(input.from ?? answers.at(0)?.at, timeZone)} – ${day(input.to ?? answers.at(-1)?.at, timeZone)}`;
  const sheet = await Sheet.create({ title: `Rehearse progress: ${period}`, subject: 'Interview practice progress', generatedAt: input.generatedAt, footer: `Rehearse progress · generated ${day(input.generatedAt, timeZone)}`, fontDir: options.fontDir });
  sheet.title('Rehearse progress', [period, `${answers.length} ${answers.length === 1 ? 'answer' : 'answers'}`]);

  sheet.heading('Averages and change');
  sheet.table(
    [
      { header: 'Metric', width: 0.34 },
      { header: 'Average', width: 0.18, align: 'right' },
      { header: 'First → last', width: 0.28, align: 'right' },
      { header: 'Change', width: 0.2, align: 'right' },
    ],
    PROGRESS_ROWS.map(({ metric, label, show, change }) => {
      const values = answers.map((a) => a[metric]).filter((v): v is number => v !== null && Number.isFinite(v));
      const first = values.at(0) ?? null;
      const last = values.at(-1) ?? null;
      const moved = values.length >= 2 ? last! - first! : null;
      return [label, show(mean(values)), values.length >= 2 ? `${show(first)} → ${show(last)}` : PLACEHOLDER, change(moved)];
    }),
  );

  sheet.heading('By competency');
  const byCompetency = Map.groupBy(answers, (a) => competencyLabel(a.competency));
  const rows = [...byCompetency.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .map(([competency, group]: [string, ProgressAnswer[]]) => [
      competency || 'No competency',
      num(group.length),
      percent(mean(group.map((a) => a.starCompleteness))),
      outOfFive(mean(group.map((a) => a.score)), 1),
    ]);
  if (rows.length === 0) sheet.paragraph(PLACEHOLDER);
  else
    sheet.table(
      [
        { header: 'Competency', width: 0.4 },
        { header: 'Answers', width: 0.16, align: 'right' },
        { header: 'STAR completeness', width: 0.24, align: 'right' },
        { header: 'Average score', width: 0.2, align: 'right' },
      ],
      rows,
    );

  sheet.heading('Fillers per minute over time');
  const points = answers
    .filter((a) => a.fillersPerMinute !== null && Number.isFinite(a.fillersPerMinute) && Number.isFinite(timeOf(a.at)))
    .map((a) => ({ x: timeOf(a.at), y: a.fillersPerMinute! }));
  if (points.length === 0) sheet.paragraph(PLACEHOLDER);
  else sheet.lineChart(points, { yFormat: (y) => num(y, Number.isInteger(y) ? 0 : 1), xFormat: (x) => shortDay(new Date(x), timeZone) });

  return sheet.finish();
}
