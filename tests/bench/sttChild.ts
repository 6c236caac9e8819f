// The local Deepgram server of the webrtc benchmark, in a process of its own (as Deepgram is
// elsewhere in production): its CPU is not the media server's event loop. The parent asks over
// IPC for the audio samples received since it last reset the count.
import { STT_SAMPLE_RATE, type SessionEvent } from '@rehearse/analysis';
import { startDeepgramTestServer, type Recognizer } from '@rehearse/testkit/deepgramServer';

/**
 * The Deepgram stand-in's recognizer, as cheap as a recognizer can be (the engine runs elsewhere in
 * production): every second of audible audio is one final word, so the words an answer's report
 * holds show how much of its audio the socket carried. `heard` adds up the samples received.
 */
function secondsRecognizer(heard: { samples: number }): Recognizer {
  let position = 0;
  let voiced = 0;
  let wordStart: number | null = null;
  return {
    push(samples) {
      heard.samples += samples.length;
      const events: SessionEvent[] = [];
      for (let i = 0; i < samples.length; i += 160) {
        const step = samples.subarray(i, i + 160);
        if (step.some((s) => Math.abs(s) > 500)) {
          if (wordStart === null) {
            wordStart = position / STT_SAMPLE_RATE;
            if (voiced === 0) events.push({ type: 'speechStarted', at: wordStart });
          }
          voiced += step.length;
          if (voiced >= STT_SAMPLE_RATE) {
            const end = (position + step.length) / STT_SAMPLE_RATE;
            events.push({ type: 'final', words: [{ text: 'tone', start: wordStart, end, confidence: 0.99 }], until: end });
            voiced = 0;
            wordStart = null;
          }
        }
        position += step.length;
      }
      return events;
    },
    async finish() {
      return [];
    },
    close() {},
  };
}

if (!process.send) throw new Error('forked by webrtc.ts');
const heard = { samples: 0 };
const server = await startDeepgramTestServer({ apiKey: process.argv[2] ?? 'bench', recognizer: () => secondsRecognizer(heard) });
process.on('message', (message: { type: 'reset' | 'heard' }) => {
  if (message.type === 'reset') heard.samples = 0;
  process.send!({ type: 'heard', samples: heard.samples });
});
process.once('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send({ type: 'ready', url: server.url });
