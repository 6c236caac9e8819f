// WebRTC transports: create, connect (DTLS), and restart ICE when the page's connection drops.
import type { types } from 'mediasoup';
import type { HandlerTable } from '../context.ts';
import { joined, transportOf } from './lookup.ts';

export const transportHandlers: HandlerTable<'createWebRtcTransport' | 'connectWebRtcTransport' | 'restartIce'> = {
  async createWebRtcTransport(state, { direction }) {
    const { peer } = joined(state);
    const transport = await peer.createWebRtcTransport(direction);
    return { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
  },

  async connectWebRtcTransport(state, { transportId, dtlsParameters }) {
    await transportOf(state, transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
    return {};
  },

  async restartIce(state, { transportId }) {
    return { iceParameters: await transportOf(state, transportId).restartIce() };
  },
};
