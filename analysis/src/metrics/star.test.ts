import { describe, expect, it } from 'vitest';
import { speak } from './fixtures.ts';
import { measureStar, type StarOptions } from './star.ts';

const star = (script: string, now = 1000, options: Partial<StarOptions> = {}) => measureStar(speak(script), { now }, options);
const heard = (script: string) => star(script).heard;

describe('STAR coverage', () => {
  it('hears the Situation in context phrases and the past progressive', () => {
    expect(star('At my last job I was on the payments team').situation).toEqual({ heard: true, at: 0, evidence: 'At my last job I was on the' });
    expect(star('Back then, when I was at Acme').situation).toEqual({ heard: true, at: 0, evidence: 'Back then, when I was at Acme' });
    expect(heard('We were migrating to Postgres')).toEqual(['situation']);
    expect(heard('There was a bug in billing')).toEqual(['situation']);
    expect(heard('I worked at a bank')).toEqual(['situation']);
  });

  it('does not take "we were able" or "it was boring" for a Situation', () => {
    expect(heard('We were able to ship it')).toEqual([]);
    expect(heard('It was boring')).toEqual([]);
  });

  it('hears a Situation that names the occasion, without a cue phrase', () => {
    expect(heard('One Saturday a customer came in upset')).toEqual(['situation']);
    expect(heard('During my internship at an accounting firm I audited clients')).toContain('situation');
    expect(heard('On his first Friday he froze')).toEqual(['situation']);
    expect(heard('In my second year of teaching a girl stopped handing in work')).toContain('situation');
    expect(heard('Two weeks before launch the agency pulled out')).toContain('situation');
    expect(heard('When I joined the team nobody wrote tests')).toContain('situation');
    expect(heard('Last month the queue doubled')).toContain('situation');
    expect(heard('we shared a class at my last school')).toContain('situation');
    expect(heard('well but my last job was in retail')).toContain('situation');
    expect(heard('when I teaching science')).toEqual(['situation']);
    expect(heard('the login page kept timing out')).toEqual(['situation']);
  });

  it('hears a scene-setting clause at the start of the story, not later', () => {
    expect(star('Our delivery vans were spending a fortune on fuel').situation.evidence).toBe('Our delivery vans were spending a fortune on');
    expect(heard('The whole backend was written in Rust')).toEqual(['situation']);
    const late = `${'I decided to call every driver and I rerouted them. '.repeat(5)}The drivers were calm`;
    expect(heard(late)).toEqual(['action']);
  });

  it('does not take a count of time, a goal or a clause boundary for a Situation', () => {
    expect(heard('Sales were up in one quarter')).toEqual([]);
    expect(heard('The goal was simple')).toEqual(['task']);
    expect(heard('The hardest part was the menus')).toEqual(['task']);
    expect(heard('Our hotel and I had plans')).toEqual([]);
  });

  it('hears the Task in responsibility, goal and obligation phrases', () => {
    expect(star('My task was to cut costs').task).toEqual({ heard: true, at: 0, evidence: 'My task was to cut costs' });
    expect(heard('I was responsible for the API')).toEqual(['task']);
    expect(heard('I needed to fix it')).toEqual(['task']);
    expect(heard('The goal was simple')).toEqual(['task']);
    expect(heard('I had to rewrite it')).toEqual(['task']);
    expect(heard('We were in charge of billing')).toEqual(['task']);
    expect(heard('The plan was to move everything')).toEqual(['task']);
    expect(heard('that was my responsibility')).toEqual(['task']);
    expect(heard('our goal want to reduce falls')).toEqual(['task']);
    expect(heard('Make sure nothing breaks')).toEqual(['task']);
    expect(heard('Do it without losing accuracy')).toEqual(['task']);
    expect(heard('My manager asked me to plan a wedding')).toEqual(['task']);
    // Being asked late in the story is more often a reward than the task.
    expect(heard(`${'I called every supplier and I cancelled the contracts. '.repeat(5)}She asked me to review the budget`)).toEqual(['action']);
    expect(heard('I was a backend engineer')).toEqual(['situation']);
  });

  it('hears the Action in first-person past-tense actions, with an adverb allowed between', () => {
    expect(star('So I decided to rewrite it').action).toEqual({ heard: true, at: 0.375, evidence: 'I decided to rewrite it' });
    expect(heard('I built a cache')).toEqual(['action']);
    expect(heard('I talked to the team')).toEqual(['action']);
    expect(heard('We then refactored the module')).toEqual(['action']);
    expect(heard('I quickly wrote a script')).toEqual(['action']);
    expect(heard('What I did was simple')).toEqual(['action']);
  });

  it('does not take needs, thoughts or where someone worked for an Action', () => {
    expect(heard('I needed more time')).toEqual([]);
    expect(heard('I realized it was slow')).toEqual([]);
    expect(heard('I started at a bank')).toEqual([]);
    expect(heard('I worked at a bank')).toEqual(['situation']);
  });

  it('waits for the word after the verb before calling it an Action', () => {
    expect(heard('I worked')).toEqual([]);
    expect(heard('I worked on the fix')).toEqual(['action']);
  });

  it('hears the Result in outcome phrases, result verbs and numbers', () => {
    expect(star('As a result, we reduced the load time by 40% and more').result).toEqual({
      heard: true,
      at: 0,
      evidence: 'As a result, we reduced the load time',
    });
    expect(star('Latency then dropped by half').result).toMatchObject({ at: 0.75, evidence: 'dropped by half' });
    expect(heard('In the end it worked')).toEqual(['result']);
    expect(heard('which led to fewer bugs')).toEqual(['result']);
    expect(heard('It took 40% less time')).toEqual(['result']);
    expect(heard('conversion went up ten percent')).toEqual(['result']);
    expect(heard('it is now 3x faster')).toEqual(['result']);
    expect(heard('it is three times faster')).toEqual(['result']);
  });

  it('hears a Result told without a cue word: before → after figures, outcomes, what lasts', () => {
    expect(star('Page load went from eight seconds to under two').result.evidence).toBe('from eight seconds to under two');
    expect(heard('Errors fell from 12% to 1%')).toEqual(['result']);
    expect(heard('The client renewed for three years')).toEqual(['result']);
    expect(heard('He was promoted the following spring')).toEqual(['result']);
    expect(heard('my manager now uses it as an example')).toEqual(['result']);
    expect(heard('the drivers were happier')).toContain('result');
    expect(heard('they have booked with us since then')).toEqual(['result']);
    expect(heard('the rating went back up to four stars')).toEqual(['result']);
    expect(heard('which meant nobody waited')).toEqual(['result']);
  });

  it('does not take a figure without a before and after, or going back somewhere, for a Result', () => {
    expect(heard('we drove from ten schools to the museum')).not.toContain('result');
    expect(heard('from 10 people')).toEqual([]);
    expect(heard('he went back to the kitchen')).toEqual([]);
    expect(heard('the phones never stopped ringing')).toEqual([]);
  });

  it('does not take intentions, negations or plain counts for a Result', () => {
    expect(heard('My plan to cut costs')).toEqual([]);
    expect(heard('it never improved')).toEqual([]);
    expect(heard('we meet two times a week')).toEqual([]);
    expect(heard('three people')).toEqual([]);
  });

  it('quotes to the end of the sentence and keeps the first cue of each part', () => {
    expect(star('In the end. We moved on and on and on').result.evidence).toBe('In the end.');
    const answer = star('We were migrating. When I was there, we were also hiring.');
    expect(answer.situation).toEqual({ heard: true, at: 0, evidence: 'We were migrating.' });
  });

  it('lists what was heard in S-T-A-R order', () => {
    expect(heard('As a result we grew. When I was there')).toEqual(['situation', 'result']);
  });

  it('hints "no Result yet" from 90 s (configurable) until a Result is heard', () => {
    expect(star('I built it', 89.5).noResultYet).toBe(false);
    expect(star('I built it', 90).noResultYet).toBe(true);
    expect(star('I built it', 30, { resultHintAfter: 30 }).noResultYet).toBe(true);
    expect(star('I built it and it improved', 100).noResultYet).toBe(false);
    expect(star('', 10).noResultYet).toBe(false);
  });
});
