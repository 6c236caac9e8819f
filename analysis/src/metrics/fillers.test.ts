import { describe, expect, it } from 'vitest';
import { detectFillers, findBursts, measureFillers } from './fillers.ts';
import { phrases, speak, type SpeakOptions } from './fixtures.ts';

// Fillers in a script spoken without pauses between words (as engines time running speech; "[0.2]"
// is a pause), judged long after it ended (so the last word's follower is settled).
const found = (script: string, options: SpeakOptions = {}, fillerOptions = {}) =>
  phrases(detectFillers(speak(script, { gap: 0.02, ...options }), { now: 1000 }, fillerOptions));
const raw = { punctuate: false }; // PocketSphinx: no punctuation, only pauses

describe('hesitations', () => {
  it('counts hesitation sounds, tagged by the engine or known by their spelling', () => {
    expect(found('I ~um built uh a er cache hmm mhm ah')).toEqual(['um', 'uh', 'er', 'hmm', 'mhm', 'ah']);
    expect(found('~hmmm okay')).toEqual(['hmmm']);
    expect(found('hmmm okay')).toEqual([]);
  });

  it('leaves out yes/no sounds, which carry meaning', () => {
    expect(found('uh-huh that is right mm-mm not that uh-uh')).toEqual([]);
  });

  it('can be turned off for engines that cannot hear them', () => {
    expect(found('I ~um built ah it', {}, { hesitations: false })).toEqual([]);
  });
});

describe('basically, actually and literally', () => {
  it('counts basically wherever it is', () => {
    expect(found('It basically worked, basically, and it was basically done')).toEqual(['basically', 'basically', 'basically']);
  });

  it('counts actually at the edge of a clause', () => {
    expect(found('Actually, I let her work in my classroom')).toEqual(['actually']);
    expect(found('the drivers were happier too, actually, because they finished early')).toEqual(['actually']);
    expect(found('I have been a customer for years actually', raw)).toEqual(['actually']);
    expect(found('we opened a store near the border actually for the loads', raw)).toEqual(['actually']);
    expect(found('and actually we shipped it', raw)).toEqual(['actually']);
  });

  it('does not count actually inside a clause, where it means "in fact"', () => {
    expect(found('we actually shipped it on time', raw)).toEqual([]);
    expect(found('I asked what actually happened', raw)).toEqual([]);
    expect(found('it was actually faster', raw)).toEqual([]);
    expect(found('my manager actually trusted me', raw)).toEqual([]);
  });

  it('counts literally as an intensifier inside a clause', () => {
    expect(found('I literally called every hotel', raw)).toEqual(['literally']);
    expect(found('even though I was literally terrified', raw)).toEqual(['literally']);
    expect(found('the reviews were literally all about the login page', raw)).toEqual(['literally']);
    expect(found('Literally everyone agreed')).toEqual(['literally']);
  });

  it('does not count literally where it means "to the letter"', () => {
    expect(found('please do not take it literally')).toEqual([]);
    expect(found('if I read the policy literally, he was outside it')).toEqual([]);
    expect(found('he followed instructions very literally', raw)).toEqual([]);
    expect(found('the name literally means warm oven', raw)).toEqual([]);
  });
});

describe('like', () => {
  it('counts like as a filler', () => {
    expect(found('the page was like really slow')).toEqual(['like']);
    expect(found("it's really like hard")).toEqual(['like']);
    expect(found('I like, like, really need it')).toEqual(['like']);
  });

  it('is a verb after a subject or auxiliary, also with an adverb between', () => {
    expect(found('I like Go')).toEqual([]);
    expect(found('I would like to lead')).toEqual([]);
    expect(found("we don't like flaky tests")).toEqual([]);
    expect(found('I really like Go')).toEqual([]);
    expect(found("I'd like that")).toEqual([]);
    // the subject lost (an engine's slip) but the verb plain from the adverb and the object
    expect(found('a developer who really like working with', raw)).toEqual([]);
    expect(found("it's really like hard", raw)).toEqual(['like']);
  });

  it('compares after look, feel, something, just and the like', () => {
    expect(found('it looks like rain')).toEqual([]);
    expect(found('it felt like a test')).toEqual([]);
    expect(found('something like that')).toEqual([]);
    expect(found('it was just like before')).toEqual([]);
    expect(found('I know what it was like')).toEqual([]);
    // straight into a noun phrase with no break: a comparison, not a filler
    expect(found('it was basically like a to do list', raw)).toEqual(['basically']);
    expect(found('I enjoy like a bit of competition', raw)).toEqual([]);
  });

  it('is a filler when set off before a noun phrase', () => {
    expect(found('we also had, like, a big release')).toEqual(['like']);
    expect(found('a couple [0.15] like [0.15] sent it back', raw)).toEqual(['like']);
  });

  it('means "about" before a number', () => {
    expect(found('it took like 20 minutes')).toEqual([]);
    expect(found('it took like twenty minutes')).toEqual([]);
    expect(found('it took like 40% longer')).toEqual([]);
  });

  it('waits for the next word (or a pause) before deciding', () => {
    const words = speak('it took like'); // "like" ends at 1.0
    expect(detectFillers(words, { now: 1.25 })).toEqual([]);
    expect(phrases(detectFillers(words, { now: 1.5 }))).toEqual(['like']);
  });
});

describe('you know', () => {
  it('counts you know as a filler', () => {
    expect(found('we talked about, you know, lazy loading')).toEqual(['you know']);
    expect(found('it was you know really hard')).toEqual(['you know']);
  });

  it('is a real clause before that/how/what/… and a real verb before an object', () => {
    expect(found('you know that it works')).toEqual([]);
    expect(found('you know how it is')).toEqual([]);
    expect(found('you know the codebase better')).toEqual([]);
  });

  it('is a real verb after do, if, let and the like', () => {
    expect(found('do you know the answer')).toEqual([]);
    expect(found('I will let you know')).toEqual([]);
    expect(found('if you know Go it helps')).toEqual([]);
  });

  it('is a filler when a comma or a pause follows, whatever comes next', () => {
    expect(found('you know, the team agreed')).toEqual(['you know']);
    expect(found('you know, that was hard')).toEqual(['you know']);
    expect(found('you know [0.75] the team agreed', raw)).toEqual(['you know']);
    expect(found('you know [0.15] the team agreed', raw)).toEqual(['you know']);
    expect(found('you know the codebase better than me', raw)).toEqual([]);
  });
});

describe('I mean', () => {
  it('counts I mean as a filler', () => {
    expect(found('I mean, it was hard')).toEqual(['i mean']);
    expect(found('I mean we shipped it')).toEqual(['i mean']);
  });

  it('is a real verb after what/which/that and before it/to/that/by', () => {
    expect(found('that is what I mean')).toEqual([]);
    expect(found('I mean it')).toEqual([]);
    expect(found('I mean to ship it')).toEqual([]);
    expect(found('I mean that we failed')).toEqual([]);
  });
});

describe('kind of and sort of', () => {
  it('count before an adjective, adverb, verb or determiner: hedging', () => {
    expect(found('it was kind of hard')).toEqual(['kind of']);
    expect(found('I sort of started over')).toEqual(['sort of']);
    expect(found('we kinda rushed it')).toEqual(['kinda']);
    expect(found('it was sort of a mess')).toEqual(['sort of']);
    expect(found('we were kind of struggling')).toEqual(['kind of']);
    expect(found('it was, kind of.')).toEqual(['kind of']);
  });

  it('count "kind of like" once', () => {
    const hits = detectFillers(speak('it was kind of like a mess', { gap: 0 }), { now: 10 });
    expect(hits).toEqual([{ phrase: 'kind of like', kind: 'lexical', start: 0.5, end: 1.25, index: 2, length: 3 }]);
  });

  it('do not count as a category: after a determiner or an adjective', () => {
    expect(found('that sort of problem')).toEqual([]);
    expect(found('what kind of tests')).toEqual([]);
    expect(found('a kind of hard problem')).toEqual([]);
    expect(found('I am the kind of person who stays', raw)).toEqual([]);
    expect(found('better than any kind of software', raw)).toEqual([]);
    expect(found('we needed the right sort of tools', raw)).toEqual([]);
  });
});

describe('so and well at the start of a clause', () => {
  it('count at the answer start, after sentence punctuation and after a pause', () => {
    expect(found('So I started with the logs')).toEqual(['so']);
    expect(found('We were done. So we shipped it')).toEqual(['so']);
    expect(found('we were done [0.75] so we shipped it', raw)).toEqual(['so']);
    expect(found('Well, the team agreed')).toEqual(['well']);
    expect(found('Um, so I started')).toEqual(['um', 'so']);
  });

  it('count well after a word it cannot modify, when a break or a new clause follows', () => {
    expect(found('I told the team [0.15] well the client was fine', raw)).toEqual(['well']);
    expect(found('that is a good question [0.15] well I think so', raw)).toEqual(['well']);
    expect(found('they knew it really well', raw)).toEqual([]);
    expect(found('it went well [0.15] and we shipped', raw)).toEqual([]);
    expect(found('the launch went well the team was happy', raw)).toEqual([]);
  });

  it('do not count inside a clause', () => {
    expect(found('it was big, so we split it')).toEqual([]);
    expect(found('we were done [0.25] so we shipped it', raw)).toEqual([]);
    expect(found('it went well')).toEqual([]);
    expect(found('we tested the docs as well')).toEqual([]);
    expect(found('the docs as [0.75] well', raw)).toEqual([]);
  });

  it('do not count in so that, so far, well known … unless a comma follows', () => {
    expect(found('So that we could ship')).toEqual([]);
    expect(found('So far it works')).toEqual([]);
    expect(found('Well known issues came up')).toEqual([]);
    expect(found('So, that was the plan')).toEqual(['so']);
    expect(found('Well, known issues came up')).toEqual(['well']);
  });

  it('wait for the next word before deciding', () => {
    const words = speak('We were done. So'); // "So" ends at 1.375
    expect(detectFillers(words, { now: 1.5 })).toEqual([]);
    expect(phrases(detectFillers(words, { now: 1.875 }))).toEqual(['so']);
  });
});

describe('filler positions and rates', () => {
  it('gives each filler its words, times and index', () => {
    expect(detectFillers(speak('I mean, it was kind of hard'), { now: 10 })).toEqual([
      { phrase: 'i mean', kind: 'lexical', start: 0, end: 0.625, index: 0, length: 2 },
      { phrase: 'kind of', kind: 'lexical', start: 1.5, end: 2.125, index: 4, length: 2 },
    ]);
  });

  // Fillers starting at 0, 10, 20, 60, 75 and 95 s.
  const spread = speak('~um [9.75] basically [9.75] basically [39.75] basically [14.75] basically [19.75] basically');

  it('counts, rates per minute of speech and lists which words', () => {
    const fillers = measureFillers(spread, { now: 100 });
    expect(fillers).toMatchObject({ count: 6, hesitations: 1, lexical: 5 });
    expect(fillers.perMinute).toBeCloseTo((6 / 95.25) * 60, 9);
    expect(fillers.byPhrase).toEqual([
      { phrase: 'basically', count: 5 },
      { phrase: 'um', count: 1 },
    ]);
    expect(measureFillers(speak('so um I mean um so'), { now: 10 }).byPhrase.map((p) => p.phrase)).toEqual(['so', 'um', 'i mean']);
    // 10.25 s of speech is too little for a rate.
    expect(measureFillers(spread.slice(0, 2), { now: 11 }).perMinute).toBeNull();
    expect(measureFillers(spread.slice(0, 2), { now: 11 }, { minRateSpan: 10 }).perMinute).toBeCloseTo((2 / 10.25) * 60, 9);
  });

  it('raises the burst alert for 3 fillers within the last 30 s, and lists every burst', () => {
    expect(measureFillers(spread.slice(0, 3), { now: 25 }).burst).toEqual({ active: true, count: 3 });
    expect(measureFillers(spread.slice(0, 3), { now: 31 }).burst).toEqual({ active: false, count: 2 });
    expect(measureFillers(spread, { now: 95.25 }).burst).toEqual({ active: false, count: 2 });
    expect(measureFillers(spread, { now: 100 }).bursts).toEqual([{ start: 0, end: 20.25, count: 3 }]);
    // 60, 75 and 95 are within 35 s.
    expect(measureFillers(spread, { now: 100 }, { burstWindow: 35 }).bursts).toEqual([
      { start: 0, end: 20.25, count: 3 },
      { start: 60, end: 95.25, count: 3 },
    ]);
    // The live window is [now − burstWindow, now]: 60 is in it at 95, not at 95.25.
    expect(measureFillers(spread, { now: 95 }, { burstWindow: 35 }).burst).toEqual({ active: true, count: 3 });
    expect(measureFillers(spread, { now: 95.25 }, { burstWindow: 35 }).burst).toEqual({ active: false, count: 2 });
  });

  it('merges overlapping bursts and keeps separate ones apart', () => {
    const hits = detectFillers(speak('um um um um'), { now: 10 });
    expect(findBursts(hits, { burstCount: 3, burstWindow: 30 })).toEqual([{ start: 0, end: 1.375, count: 4 }]);
    const pairs = detectFillers(spread, { now: 100 });
    expect(findBursts(pairs, { burstCount: 2, burstWindow: 30 })).toEqual([
      { start: 0, end: 20.25, count: 3 },
      { start: 60, end: 95.25, count: 3 },
    ]);
  });

  it('rejects bad options', () => {
    expect(() => measureFillers([], { now: 1 }, { burstCount: 2.5 })).toThrow(TypeError);
    expect(() => measureFillers([], { now: 1 }, { burstWindow: 0 })).toThrow(TypeError);
    expect(() => measureFillers([], { now: 1 }, { hesitations: 'no' } as never)).toThrow(TypeError);
  });
});
