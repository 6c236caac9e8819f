// The media node's Prometheus metrics, one registry per process (server.ts serves it on
// METRICS_PORT and binds the gauges to its rooms, answers and workers). The counters and
// histograms are observed where things happen: recording bytes and S3 upload lag in
// S3StreamingUpload and Recorder, speech-engine and word-to-page delays and failovers in AnswerSession.
import { Counter, createRegistry, Gauge, Histogram, METRICS_PREFIX } from '@rehearse/core/metrics';

export const registry = createRegistry('media');

/** Live-coaching delays are tenths of a second to a few seconds. */
const DELAY_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

export const recordingBytes = new Counter({
  name: `${METRICS_PREFIX}recording_bytes_total`,
  help: 'Recording bytes stored in S3: streamed while recording (multipart parts; crash-recovery checkpoints not counted), and the final seekable files',
  labelNames: ['stage'],
  registers: [registry],
});

export const s3UploadLag = new Histogram({
  name: `${METRICS_PREFIX}s3_upload_lag_seconds`,
  help: 'From recording bytes being cut into a part or checkpoint to S3 having them',
  labelNames: ['kind'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

export const speechEngineDelay = new Histogram({
  name: `${METRICS_PREFIX}speech_engine_delay_seconds`,
  help: 'From the end of a spoken word (answer clock) to the speech engine emitting it',
  labelNames: ['engine'],
  buckets: DELAY_BUCKETS,
  registers: [registry],
});

export const wordToScreenDelay = new Histogram({
  name: `${METRICS_PREFIX}word_to_screen_delay_seconds`,
  help: 'From the end of a spoken word (answer clock) to the live update carrying it being sent to the page',
  labelNames: ['engine'],
  buckets: DELAY_BUCKETS,
  registers: [registry],
});

export const sttFailovers = new Counter({
  name: `${METRICS_PREFIX}stt_failovers_total`,
  help: 'Answers whose live transcription moved from one speech engine to the next',
  labelNames: ['from', 'to'],
  registers: [registry],
});

export const answersFinished = new Counter({
  name: `${METRICS_PREFIX}answers_finished_total`,
  help: 'Answers that ended on this node, by how (stopped by the candidate, interrupted, recovered after a node died)',
  labelNames: ['outcome'],
  registers: [registry],
});

/** What server.ts hands over for the gauges read at scrape time. */
export interface MediaState {
  rooms: () => number;
  peers: () => number;
  answers: () => number;
  capacity: number;
  draining: () => boolean;
  /** Per mediasoup worker: its pid and resource usage (mediasoup's Worker.getResourceUsage). */
  workers: () => { pid: number; usage: () => Promise<{ ru_utime: number; ru_stime: number; ru_maxrss: number }> }[];
}

export function bindMediaState(state: MediaState): void {
  new Gauge({ name: `${METRICS_PREFIX}media_rooms`, help: 'Rooms open on this node', registers: [registry], collect() { this.set(state.rooms()); } });
  new Gauge({ name: `${METRICS_PREFIX}media_peers`, help: 'Participants connected on this node', registers: [registry], collect() { this.set(state.peers()); } });
  new Gauge({ name: `${METRICS_PREFIX}answers_in_progress`, help: 'Answers being recorded on this node', registers: [registry], collect() { this.set(state.answers()); } });
  new Gauge({ name: `${METRICS_PREFIX}media_capacity`, help: 'Answers this node takes at once (MEDIA_CAPACITY)', registers: [registry], collect() { this.set(state.capacity); } });
  new Gauge({ name: `${METRICS_PREFIX}media_draining`, help: '1 while this node drains (takes nothing new), else 0', registers: [registry], collect() { this.set(state.draining() ? 1 : 0); } });
  new Gauge({
    name: `${METRICS_PREFIX}mediasoup_worker_cpu_seconds_total`,
    help: 'CPU time (user + system) used by each mediasoup worker process since it started',
    labelNames: ['worker_pid'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const worker of state.workers()) {
        const usage = await worker.usage().catch(() => null);
        // getrusage reports milliseconds here (mediasoup's ru_utime/ru_stime).
        if (usage) this.set({ worker_pid: String(worker.pid) }, (usage.ru_utime + usage.ru_stime) / 1000);
      }
    },
  });
  new Gauge({
    name: `${METRICS_PREFIX}mediasoup_worker_memory_bytes`,
    help: 'Peak resident memory of each mediasoup worker process',
    labelNames: ['worker_pid'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const worker of state.workers()) {
        const usage = await worker.usage().catch(() => null);
        // ru_maxrss is in kilobytes on Linux.
        if (usage) this.set({ worker_pid: String(worker.pid) }, usage.ru_maxrss * 1024);
      }
    },
  });
}
