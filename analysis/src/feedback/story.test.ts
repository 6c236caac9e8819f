import { describe, expect, it } from 'vitest';
import { storyFeedback } from './story.ts';

const good = {
  situation: 'At my last job our checkout page kept timing out during sales.',
  task: 'I had to make it reliable before the next big sale in six weeks.',
  action: 'I profiled the service, I moved the price lookups into a cache and I added load tests to the release pipeline.',
  result: 'Checkout errors fell from 4 percent to 0.1 percent and the sale ran without an incident.',
};

describe('story feedback', () => {
  it('praises a complete, measurable story that fits in two minutes', () => {
    const { points, seconds } = storyFeedback('star', good);
    expect(points.filter((p) => p.kind === 'improvement')).toEqual([]);
    expect(points.map((p) => p.message)).toContain('The result is measurable: it has a number.');
    expect(seconds).toBeLessThan(120);
  });

  it('names missing and thin parts for the framework used', () => {
    const star = storyFeedback('star', { ...good, task: '', situation: 'Sales time.' });
    expect(star.points.filter((p) => p.kind === 'improvement').map((p) => p.part)).toEqual(['situation', 'task']);
    const carl = storyFeedback('carl', { context: good.situation, action: good.action, result: good.result });
    expect(carl.points.find((p) => p.part === 'learning')?.message).toMatch(/Learning is missing/);
  });

  it('asks for a number when the result has none, and for "I" when the actions say "we"', () => {
    const vague = storyFeedback('star', { ...good, result: 'Things got a lot better and everyone was happy with it.' });
    expect(vague.points.find((p) => p.part === 'result')!.message).toMatch(/No measurable result/);
    const words = storyFeedback('star', { ...good, result: 'Errors were halved within a month.' });
    expect(words.points.find((p) => p.part === 'result')!.kind).toBe('strength');
    const team = storyFeedback('star', { ...good, action: 'We met, we planned the work and we shipped the cache together.' });
    expect(team.points.some((p) => p.part === 'action' && /"we" more than "I"/.test(p.message))).toBe(true);
  });

  it('flags a story too long to tell in two minutes', () => {
    const long = storyFeedback('star', { ...good, action: `${good.action} `.repeat(12) });
    expect(long.seconds).toBeGreaterThan(120);
    expect(long.points.some((p) => p.part === null && /trim it to two minutes/.test(p.message))).toBe(true);
  });
});
