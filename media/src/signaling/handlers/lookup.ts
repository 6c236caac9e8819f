import type { types } from 'mediasoup';
import type { Peer } from '../../Peer.ts';
import type { Room } from '../../Room.ts';
import type { ConnectionState } from '../context.ts';
import { SignalingError } from '../errors.ts';

export function joined(state: ConnectionState): { room: Room; peer: Peer } {
  if (!state.peer || !state.room || state.peer.closed) throw new SignalingError('NOT_JOINED', 'join a room first');
  return { room: state.room, peer: state.peer };
}

export function transportOf(state: ConnectionState, transportId: string): types.WebRtcTransport {
  const transport = joined(state).peer.transport(transportId);
  if (!transport) throw new SignalingError('NOT_FOUND', `no transport ${transportId}`);
  return transport;
}

export function producerOf(state: ConnectionState, producerId: string): types.Producer {
  const producer = joined(state).peer.producer(producerId);
  if (!producer) throw new SignalingError('NOT_FOUND', `no producer ${producerId} of yours`);
  return producer;
}

export function consumerOf(state: ConnectionState, consumerId: string): types.Consumer {
  const consumer = joined(state).peer.consumer(consumerId);
  if (!consumer) throw new SignalingError('NOT_FOUND', `no consumer ${consumerId}`);
  return consumer;
}
