export { checkPocketSphinx, PocketSphinxProvider, type EngineCheck } from './stt/providers/pocketsphinx/index.ts';
export { DeepgramProvider, type DeepgramOptions } from './stt/providers/deepgram/index.ts';
export { SttStream, type EngineSpan, type SttStreamOptions } from './stt/stream.ts';
export { STT_SAMPLE_RATE, SttError, type AudioFrame, type SessionEvent, type SttProvider, type SttSession } from './stt/types.ts';
export type { SpeechEvent, TimedWord, VoiceActivity } from './transcript/types.ts';
export { applyEvent, emptyTranscript, type TranscriptState } from './transcript/rolling.ts';
export { displayText, normalizeText } from './transcript/words.ts';
export {
  computeMetrics,
  summarizeAnswer,
  reportFigures,
  type ReportFigures,
  METRICS_DEFAULTS,
  type AnswerSummary,
  type LiveMetrics,
  type MetricsOptions,
  type MetricsOptionsInput,
} from './metrics/summary.ts';
export { measurePace, paceTimeline, PACE_DEFAULTS, type PaceOptions, type PacePoint, type PaceReading, type PaceSnapshot, type PaceState } from './metrics/pace.ts';
export { measurePauses, type CurrentSilence, type Pause, type PauseOptions, type PauseSnapshot } from './metrics/pauses.ts';
export {
  detectFillers,
  findBursts,
  measureFillers,
  type FillerBurst,
  type FillerHit,
  type FillerKind,
  type FillerOptions,
  type FillerSnapshot,
} from './metrics/fillers.ts';
export { measureElapsed, type ElapsedOptions, type ElapsedSnapshot, type ElapsedState } from './metrics/elapsed.ts';
export { spokenWordCount } from './metrics/tokens.ts';
export { measureStar, STAR_PARTS, type StarCue, type StarOptions, type StarPart, type StarSnapshot } from './metrics/star.ts';
export { LiveAnswer, type LiveAnswerOptions } from './live/LiveAnswer.ts';
export { automaticFeedback, FEEDBACK_DEFAULTS, type AutomaticFeedback, type FeedbackOptions, type FeedbackPoint, type FeedbackTopic } from './feedback/automatic.ts';
export { stem, topicCheck, TOPIC_DEFAULTS, type TopicCheck } from './feedback/topic.ts';
export { STORY_LIMITS, STORY_PARTS, storyCheatSheet, storyFeedback, type StoryFeedback, type StoryFramework, type StoryPoint } from './feedback/story.ts';
export type { AnswerReport, LiveUpdate } from './live/types.ts';
export * from './originality/index.ts';
export { FilledPauseDetector, withFilledPauses, type FilledPause } from './acoustics/filledPauses.ts';
export { loadGrammar } from './metrics/grammar.ts';
export { warmUp } from './live/warmUp.ts';
