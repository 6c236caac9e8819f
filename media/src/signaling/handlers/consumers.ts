// Media the page receives (the other side of a call): consume, then resume once it is ready.
import type { types } from 'mediasoup';
import type { HandlerTable } from '../context.ts';
import { SignalingError } from '../errors.ts';
import { consumerOf, joined } from './lookup.ts';

export const consumerHandlers: HandlerTable<'consume' | 'pauseConsumer' | 'resumeConsumer'> = {
  async consume(state, { transportId, producerId, rtpCapabilities }) {
    const { room, peer } = joined(state);
    const producer = room.findProducer(producerId);
    if (!producer || peer.producer(producerId)) throw new SignalingError('NOT_FOUND', `no producer ${producerId} to consume`);
    if (!room.router.canConsume({ producerId, rtpCapabilities: rtpCapabilities as types.RtpCapabilities })) {
      throw new SignalingError('UNSUPPORTED_CODEC', 'your browser cannot receive this media');
    }
    const consumer = await peer.consume(transportId, producer, rtpCapabilities as types.RtpCapabilities);
    consumer.once('producerclose', () => state.notify('consumerClosed', { consumerId: consumer.id }));
    consumer.once('transportclose', () => state.notify('consumerClosed', { consumerId: consumer.id }));
    return { consumerId: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  },

  async pauseConsumer(state, { consumerId }) {
    await consumerOf(state, consumerId).pause();
    return {};
  },

  async resumeConsumer(state, { consumerId }) {
    await consumerOf(state, consumerId).resume();
    return {};
  },
};
