// Test fixtures: answers as candidates tell them, written for these tests (not taken from any user).
// Each is a script for `speak` (metrics/fixtures.ts): "~um" is a hesitation the engine tagged.

/** Specific, well-told answers: numbers, dates, names, what "I" did. */
export const SPECIFIC = {
  outage: `Last March our payments service went down on a Friday night. I was on call, so I got paged at
    eleven. I opened the dashboards in Grafana and I saw that the error rate had jumped to forty percent. I rolled
    back the deploy from that afternoon, but the errors stayed. Then I checked the database and found that a
    migration had locked the orders table in Postgres. I killed the migration, and within six minutes checkout was
    working again. On Monday I wrote the postmortem, I added a lock timeout to our migration tool, and I set up an
    alert that fires when a lock is held for more than thirty seconds. We have not had an outage like it in the
    fourteen months since.`,
  mentoring: `When I joined Acme Health in 2021, our team had two junior developers who were struggling with code
    reviews. Their pull requests sat for three or four days, and they stopped asking questions. I set up a weekly
    pairing hour with each of them, I wrote a checklist of the twelve things our reviewers asked for most, and I
    reviewed their first ten pull requests myself within a day. After two months their review time dropped from
    four days to under one, and one of them, Priya, led our move to TypeScript that summer. What I took from it is
    that people ask for help when asking is cheap.`,
  deadline: `In my second year at a logistics startup, our sales lead promised a grocery chain with 80 stores that
    we would ship route planning by June. Engineering had estimated September. I asked for a meeting with both of
    them, and I brought a one page plan with three options: a reduced version in June for their 12 busiest stores,
    the full feature in September, or moving two engineers from the billing project. The sales lead chose the
    reduced version. I rewrote the sprint plan that afternoon, and we delivered the pilot on May 28th. The chain
    signed a two year contract in July, worth about 300,000 dollars.`,
  /** The outage story as a candidate who also likes a cliché or two tells it. */
  outageWithCliches: `I'm a team player, so when our payments service went down last March on a Friday night, I
    was the one on call. I got paged at eleven. I opened the dashboards and I saw that the error rate had jumped to
    forty percent. I rolled back the deploy from that afternoon, but the errors stayed. Then I checked the database
    and found that a migration had locked the orders table. I killed the migration, and within six minutes
    checkout was working again. On Monday I wrote the postmortem and I added a lock timeout to our migration tool.
    At the end of the day, we have not had an outage like it in the fourteen months since.`,
};

/** Answers made of stock phrases. */
export const GENERIC = {
  strengths: `I would say I am a hard worker and a team player. I am really passionate about what I do and I
    always go above and beyond for my team. I am very detail oriented and results driven, and I think outside the
    box when there is a problem. In my last role I had to wear many hats, and I am a quick learner, so I can hit
    the ground running. At the end of the day, I just want to add value and make a difference, and I think I would
    be a perfect fit for this role.`,
  weakness: `~Um, my biggest weakness is that I care too much about my work. I'm kind of a perfectionist, you know,
    and sometimes I work too hard. But I'm a self-starter and I thrive under pressure in a fast-paced environment.
    I'm always willing to learn and step out of my comfort zone, and I give it my all, a hundred and ten percent,
    every single day. I'm a people person with excellent communication skills, and I believe I can bring a lot to
    the table and take things to the next level.`,
  /** Inflected and hyphenated forms, as a speech engine without punctuation writes them. */
  inflected: `i have always been hard-working and i went above and beyond on every project i was thinking outside
    the box and hitting the ground running from day one we were team players and we stayed on the same page and
    at the end of the day we got the job done i really love a challenge and i am always learning because i want to
    keep growing and learning and take it to the next level`,
};

export const SHORT = 'I am a team player and a hard worker who goes above and beyond.';

/** A memorised answer, and a second user speaking the same template with a few words changed. */
export const TEMPLATE = `In my previous role as a project coordinator, I noticed that our team was missing deadlines
  because tasks were tracked in five different spreadsheets. I took the initiative to set up a single project
  board, and I trained everyone on how to use it. Within the first month, we cut missed deadlines by half, and my
  manager asked me to roll the same process out to two other departments. That experience taught me that a simple
  system, explained well, can change how a whole team works.`;

export const TEMPLATE_COPY = `~Um, in my previous role as a, ~uh, project assistant, I noticed that our team was
  missing deadlines because tasks were tracked in four different spreadsheets. So I took the initiative to set up
  a single project board, and, you know, I trained everyone on how to use it. Within the first two months, we cut
  missed deadlines by half, and my manager asked me to roll the same process out to three other teams. That
  experience really taught me that a simple system, explained well, can change how a whole team works.`;

/** Another true story for the same question ("a process you improved"), with the same topic words. */
export const OTHER_STORY = `When I worked as a project coordinator at a construction firm, our team kept losing
  track of permit applications. Each site manager kept their own list, and twice we started work before a permit
  was approved. I interviewed the five site managers about what they needed, and I built a shared calendar with
  reminders two weeks before each deadline. I also asked the office manager to check it every Monday. In the six
  months after that, we did not miss a single permit, and the firm used the calendar for its new offices as well.
  I learned to ask the people doing the work before designing a process for them.`;
