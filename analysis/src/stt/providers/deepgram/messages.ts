// Deepgram's live messages, checked field by field: a frame that does not have the shape we rely
// on becomes `unhandled` (with the reason) instead of an exception inside the socket handler.

export interface DeepgramWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
  punctuated_word?: string;
}

export type DeepgramMessage =
  | { type: 'Results'; is_final: boolean; speech_final: boolean; start: number; duration: number; words: DeepgramWord[] }
  | { type: 'SpeechStarted'; timestamp: number }
  | { type: 'UtteranceEnd'; last_word_end: number }
  | { type: 'Metadata' }
  | { type: 'unhandled'; reason: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function parseWord(value: unknown): DeepgramWord | null {
  if (!isObject(value) || typeof value.word !== 'string' || !isTime(value.start) || !isTime(value.end) || value.end < value.start) return null;
  const confidence = typeof value.confidence === 'number' && Number.isFinite(value.confidence) ? Math.min(1, Math.max(0, value.confidence)) : 0;
  return { word: value.word, start: value.start, end: value.end, confidence, ...(typeof value.punctuated_word === 'string' ? { punctuated_word: value.punctuated_word } : {}) };
}

export function parseDeepgramMessage(raw: unknown): DeepgramMessage {
  const message: unknown = typeof raw === 'string' ? safeJson(raw) : raw;
  if (!isObject(message)) return { type: 'unhandled', reason: 'not a JSON object' };
  switch (message.type) {
    case 'Results': {
      if (!isTime(message.start) || !isTime(message.duration)) return { type: 'unhandled', reason: 'Results without start/duration' };
      const channel = message.channel;
      const alternative = isObject(channel) && Array.isArray(channel.alternatives) ? channel.alternatives[0] : undefined;
      const rawWords = isObject(alternative) && Array.isArray(alternative.words) ? alternative.words : alternative === undefined ? [] : null;
      if (rawWords === null) return { type: 'unhandled', reason: 'Results without words' };
      const words = rawWords.map(parseWord);
      if (words.some((w) => w === null)) return { type: 'unhandled', reason: 'Results with a malformed word' };
      return { type: 'Results', is_final: message.is_final === true, speech_final: message.speech_final === true, start: message.start, duration: message.duration, words: words as DeepgramWord[] };
    }
    case 'SpeechStarted':
      return isTime(message.timestamp) ? { type: 'SpeechStarted', timestamp: message.timestamp } : { type: 'unhandled', reason: 'SpeechStarted without timestamp' };
    case 'UtteranceEnd':
      return isTime(message.last_word_end) ? { type: 'UtteranceEnd', last_word_end: message.last_word_end } : { type: 'unhandled', reason: 'UtteranceEnd without last_word_end' };
    case 'Metadata':
      return { type: 'Metadata' };
    default:
      return { type: 'unhandled', reason: `message type ${JSON.stringify(message.type)}` };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
