-- Seed behavioral questions so a fresh install has something to practise. Data only: the question
-- bank (roadmap) manages the rest. Re-running is harmless.
INSERT INTO "questions" ("id", "slug", "text", "framework", "competency", "source") VALUES
  (gen_random_uuid(), 'disagreement', 'Tell me about a time you disagreed with a teammate. How did you handle it, and what happened?', 'star', 'collaboration', 'seed'),
  (gen_random_uuid(), 'project-off-track', 'Describe a project that went off track. What did you do, and what did you learn?', 'star', 'ownership', 'seed'),
  (gen_random_uuid(), 'lead-without-authority', 'Tell me about a time you led a change without having formal authority.', 'star', 'leadership', 'seed'),
  (gen_random_uuid(), 'tight-deadline', 'Describe a situation where you had to deliver under a tight deadline. How did you decide what to cut?', 'star', 'prioritization', 'seed'),
  (gen_random_uuid(), 'critical-feedback', 'Tell me about a time you received critical feedback. How did you respond?', 'star', 'growth', 'seed'),
  (gen_random_uuid(), 'incomplete-information', 'Give an example of a decision you made with incomplete information. How did it turn out?', 'star', 'judgement', 'seed')
ON CONFLICT ("slug") DO NOTHING;
