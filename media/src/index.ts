export { mediaCodecs } from './codecs.ts';
export { ffmpegVersion, resolveFfmpegPath } from './ffmpeg.ts';
export { WorkerPool, type WorkerPoolEvents, type WorkerPoolOptions } from './WorkerPool.ts';
