// What /api/prep-plans and /api/stories answer with: the API's TypeBox schemas in
// @rehearse/protocol (protocol/src/prep.ts), read as types.
import type { Static } from 'typebox';
import type {
  CheatSheetLevel as CheatSheetLevelSchema,
  PlanInput as PlanInputSchema,
  PrepItem as PrepItemSchema,
  PrepPlan as PrepPlanSchema,
  ReminderLinks as ReminderLinksSchema,
  Story as StorySchema,
  StoryFramework as StoryFrameworkSchema,
  StoryInput as StoryInputSchema,
} from '@rehearse/protocol';

export type CheatSheetLevel = Static<typeof CheatSheetLevelSchema>;
export type StoryFramework = Static<typeof StoryFrameworkSchema>;
export type PrepItem = Static<typeof PrepItemSchema>;
export type PrepPlan = Static<typeof PrepPlanSchema>;
export type PlanInput = Static<typeof PlanInputSchema>;
export type ReminderLinks = Static<typeof ReminderLinksSchema>;
export type Story = Static<typeof StorySchema>;
export type StoryPoint = Story['feedback']['points'][number];
export type CheatSheetLine = Story['cheatSheet']['script'][number];
export type StoryInput = Static<typeof StoryInputSchema>;
