import { describe, expect, it } from 'vitest';
import { speak } from '../metrics/fixtures.ts';
import { summarizeAnswer } from '../metrics/summary.ts';
import type { TimedWord } from '../transcript/types.ts';
import { automaticFeedback } from './automatic.ts';

const feedbackOf = (words: TimedWord[], durationSeconds = (words.at(-1)?.end ?? 0) + 1) => automaticFeedback({ words, summary: summarizeAnswer(words, { duration: durationSeconds }), durationSeconds });
const topics = (f: ReturnType<typeof automaticFeedback>, kind: 'strength' | 'improvement') => f.points.filter((p) => p.kind === kind).map((p) => p.topic);

// A strong answer: every STAR part, numbers, "I" for what the speaker did, a steady pace (~137 wpm).
const STRONG = speak(
  `At my last job I worked on the checkout team at an online store. The checkout page was really slow and customers
   were leaving before they paid. My task was to cut the load time before the holiday sale. I started by profiling
   the API, and I found three slow queries. I rewrote them, I added a cache, and I asked the frontend team to lazy load
   the images. As a result, the load time fell from eight seconds to two and sales went up by twelve percent. The other
   teams adopted the same approach, and I now measure before I optimise anything. I also wrote a short guide so the
   next person could do the same without me, and I presented it at our engineering meeting.`,
  { start: 1 },
);

// A weak one: all "we", hedged, no numbers, no result.
const VAGUE = speak(
  `So we had this project, and I think we were kind of behind. We talked about it a lot and we maybe changed the plan
   a bit. We sort of worked on the backlog together and we tried to move faster. I guess we probably did our best and
   we kept going with the team. We had meetings every day and we looked at the tickets, and we talked to the
   stakeholders about what we could do next, and we kept the team informed about everything we were doing.`,
  { start: 1 },
);

describe('automatic feedback', () => {
  it('praises a strong answer for what it does well and finds nothing to fix in its structure', () => {
    const feedback = feedbackOf(STRONG, 70);
    expect(feedback.source).toBe('automatic');
    expect(feedback.missing).toEqual([]);
    expect(topics(feedback, 'strength')).toEqual(expect.arrayContaining(['structure', 'specificity', 'ownership', 'pace', 'length', 'fillers']));
    expect(topics(feedback, 'improvement')).toEqual([]);
    const specific = feedback.points.find((p) => p.topic === 'specificity')!;
    expect(specific.quote).toMatch(/three|eight|twelve/);
    expect(specific.at).toBeGreaterThan(0);
  });

  it('tells a vague answer to say "I", to drop the hedges, to give numbers and to end with a result', () => {
    const feedback = feedbackOf(VAGUE, 60);
    const improvements = topics(feedback, 'improvement');
    expect(improvements).toEqual(expect.arrayContaining(['ownership', 'hedging', 'specificity', 'structure']));
    expect(feedback.missing).toContain('result');
    expect(feedback.points.find((p) => p.topic === 'ownership')!.message).toMatch(/"we" \d+ times and "I" \d+ times/);
    const hedging = feedback.points.find((p) => p.topic === 'hedging')!;
    expect(hedging.message).toMatch(/^\d+ hedges such as "i think"/);
    expect(hedging.at).toBe(VAGUE.find((w) => w.text === 'think')!.start - 0.375);
    // Improvements come first.
    expect(feedback.points[0]!.kind).toBe('improvement');
  });

  it('notes a long silence with its time, and fillers with the one said most', () => {
    const words = speak(
      `At my last job my task was to fix the build. ~Um I, like, started with the logs and, like, I found the problem, um,
       in the cache. [6] Then I, like, fixed it and, like, the build took four minutes instead of twenty, you know, which, like,
       helped the whole team a lot.`,
      { start: 0 },
    );
    const feedback = feedbackOf(words, 45);
    const pause = feedback.points.find((p) => p.topic === 'pauses')!;
    expect(pause.kind).toBe('improvement');
    expect(pause.message).toMatch(/^A 6\.0 s silence at 0:\d\d/);
    expect(pause.at).toBeCloseTo(words.find((w) => w.text === 'then')!.start - 6, 5);
    const fillers = feedback.points.find((p) => p.topic === 'fillers')!;
    expect(fillers.kind).toBe('improvement');
    expect(fillers.message).toContain('"like"');
    expect(fillers.quote).toContain('like');
  });

  it('says when the pace is too fast or the answer too short or too long', () => {
    const fast = speak(STRONG.map((w) => w.punctuated ?? w.text).join(' '), { word: 0.2, gap: 0.05 });
    expect(feedbackOf(fast).points.find((p) => p.topic === 'pace')).toMatchObject({ kind: 'improvement', message: expect.stringContaining('faster than') });
    const short = speak('My task was to fix the build. I fixed it and the build took four minutes instead of twenty. As a result the team shipped faster.');
    expect(feedbackOf(short, 12).points.find((p) => p.topic === 'length')).toMatchObject({ kind: 'improvement', message: expect.stringContaining('too short') });
    expect(feedbackOf(STRONG, 240).points.find((p) => p.topic === 'length')).toMatchObject({ kind: 'improvement', message: expect.stringContaining('three minutes') });
  });

  it('has one thing to say about a silent or nearly silent answer', () => {
    expect(feedbackOf([], 30).points).toEqual([expect.objectContaining({ kind: 'improvement', topic: 'length', message: expect.stringContaining('No speech') })]);
    expect(feedbackOf(speak('Yes I did that once.'), 30).points).toEqual([expect.objectContaining({ topic: 'length', message: expect.stringContaining('Only 5 words') })]);
  });

  it('does not flag a team story told with "I" for the speaker\'s own part, or a plain "I think" once', () => {
    const words = speak(
      `Our team was behind on a launch and we had two weeks left. My task was to get the payments service ready. I split the
       work into three parts, I paired with a junior engineer on the hardest one, and I think that was the right call. I
       reviewed every change myself. As a result we launched on time and the payments error rate fell to one in ten thousand.`,
    );
    const feedback = feedbackOf(words, 60);
    expect(topics(feedback, 'improvement')).not.toContain('ownership');
    expect(topics(feedback, 'improvement')).not.toContain('hedging');
  });
});
