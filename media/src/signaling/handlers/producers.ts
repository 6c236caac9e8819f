// Media the page sends: produce, and pause/resume/close what it produced.
import type { types } from 'mediasoup';
import type { HandlerTable } from '../context.ts';
import { SignalingError } from '../errors.ts';
import { joined, producerOf } from './lookup.ts';

export const producerHandlers: HandlerTable<'produce' | 'closeProducer' | 'pauseProducer' | 'resumeProducer'> = {
  async produce(state, { transportId, kind, rtpParameters, appData }) {
    const { room, peer } = joined(state);
    if (!peer.transport(transportId)) throw new SignalingError('NOT_FOUND', `no transport ${transportId}`);
    const mimeTypes = rtpParameters.codecs.map((c) => c.mimeType.toLowerCase());
    const supported = room.router.rtpCapabilities.codecs!.some((c) => mimeTypes.includes(c.mimeType.toLowerCase()) && c.kind === kind);
    if (!supported) throw new SignalingError('UNSUPPORTED_CODEC', `none of ${mimeTypes.join(', ')} is supported for ${kind}; use Opus, VP8 or H.264`);
    const producer = await peer.produce(transportId, kind, rtpParameters as types.RtpParameters, appData ?? {});
    return { producerId: producer.id };
  },

  async closeProducer(state, { producerId }) {
    producerOf(state, producerId).close();
    return {};
  },

  async pauseProducer(state, { producerId }) {
    await producerOf(state, producerId).pause();
    return {};
  },

  async resumeProducer(state, { producerId }) {
    await producerOf(state, producerId).resume();
    return {};
  },
};
