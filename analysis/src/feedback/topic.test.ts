import { describe, expect, it } from 'vitest';
import { speak } from '../metrics/fixtures.ts';
import { stem, topicCheck } from './topic.ts';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('topicCheck', () => {
  it('meets inflections and everyday words for the same things', () => {
    expect(stem('disagreed')).toBe(stem('disagreement').slice(0, stem('disagreed').length));
    const answer = speak(`we argued with a colleague about the plan ${filler(60)}`);
    expect(topicCheck({ question: 'Tell me about a time you disagreed with a teammate.', words: answer })).toMatchObject({ offTopic: false });
  });

  it('speaks only about a substantial answer that shares nothing with the question', () => {
    const holiday = speak(`my favourite holiday was a trip to the mountains where we hiked and swam ${filler(60)}`);
    const question = 'Tell me about a time you missed a deadline. What did you do?';
    expect(topicCheck({ question, words: holiday })).toMatchObject({ offTopic: true, overlap: 0 });
    // Too short to judge.
    expect(topicCheck({ question, words: speak('my favourite holiday was a trip to the mountains') }).offTopic).toBe(false);
    // One shared idea is enough to stay quiet.
    const late = speak(`my favourite holiday was late because the schedule slipped ${filler(60)}`);
    expect(topicCheck({ question, words: late }).offTopic).toBe(false);
  });
});
