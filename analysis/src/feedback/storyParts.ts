// The story frameworks' parts in telling order, with what each part is for: one table for the
// story feedback here, the API's checks and the web's story form (imported by path, it needs
// nothing else).
export type StoryFramework = 'star' | 'carl' | 'soar';

/** Each framework's parts in telling order, with what the part is for. */
export const STORY_PARTS: Record<StoryFramework, { key: string; label: string; hint: string }[]> = {
  star: [
    { key: 'situation', label: 'Situation', hint: 'where and when, in a sentence or two' },
    { key: 'task', label: 'Task', hint: 'what you had to achieve' },
    { key: 'action', label: 'Action', hint: 'what you did, step by step' },
    { key: 'result', label: 'Result', hint: 'what changed, with a number' },
  ],
  carl: [
    { key: 'context', label: 'Context', hint: 'the setting and the problem' },
    { key: 'action', label: 'Action', hint: 'what you did' },
    { key: 'result', label: 'Result', hint: 'what changed, with a number' },
    { key: 'learning', label: 'Learning', hint: 'what you took from it' },
  ],
  soar: [
    { key: 'situation', label: 'Situation', hint: 'where and when' },
    { key: 'obstacle', label: 'Obstacle', hint: 'what stood in the way' },
    { key: 'action', label: 'Action', hint: 'what you did about it' },
    { key: 'result', label: 'Result', hint: 'what changed, with a number' },
  ],
};
