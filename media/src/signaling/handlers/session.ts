// join and leave: entering a room with a token from the API, and leaving it.
import { MediaTokenError, verifyMediaToken } from '@rehearse/core/media-token';
import type { Peer } from '../../Peer.ts';
import type { HandlerTable } from '../context.ts';
import { SignalingError } from '../errors.ts';
import type { PeerInfo } from '../protocol.ts';

const info = (peer: Peer): PeerInfo => ({ peerId: peer.id, userId: peer.userId, role: peer.role });

export const sessionHandlers: HandlerTable<'join' | 'leave'> = {
  async join(state, { token }) {
    if (state.peer) throw new SignalingError('ALREADY_JOINED', 'this connection has already joined a room');
    const { services } = state;
    let claims;
    try {
      claims = await verifyMediaToken(token, services.tokenSecret, 'join');
    } catch (error) {
      if (error instanceof MediaTokenError) throw new SignalingError(error.code, error.message);
      throw error;
    }
    if (claims.mediaUrl !== services.mediaUrl) throw new SignalingError('WRONG_MEDIA_SERVER', `this token is for ${claims.mediaUrl}`);

    const room = await services.rooms.getOrCreate(claims.roomId);
    const peer = room.join({ userId: claims.userId, role: claims.role });
    state.claims = claims;
    state.room = room;
    state.peer = peer;

    const onPeerJoined = (other: Peer) => other !== peer && state.notify('peerJoined', info(other));
    const onPeerLeft = (other: Peer) => other !== peer && state.notify('peerLeft', { peerId: other.id });
    const onNewProducer = (owner: Peer, producer: { id: string; kind: 'audio' | 'video' }) =>
      owner !== peer && state.notify('newProducer', { producerId: producer.id, peerId: owner.id, kind: producer.kind });
    const onRoomClose = (reason: string) => {
      state.notify('rejoin', { reason: reason === 'workerdied' ? 'the media worker hosting this room stopped' : 'the room was closed' });
      state.disconnect(4000, 'rejoin');
    };
    const onPeerClose = () => state.leave();
    room.on('peerjoined', onPeerJoined);
    room.on('peerleft', onPeerLeft);
    room.on('newproducer', onNewProducer);
    room.once('close', onRoomClose);
    // A newer connection of the same user replaces this peer: this socket is then stale.
    peer.once('close', onPeerClose);
    state.onLeave(() => {
      room.off('peerjoined', onPeerJoined);
      room.off('peerleft', onPeerLeft);
      room.off('newproducer', onNewProducer);
      room.off('close', onRoomClose);
      peer.off('close', onPeerClose);
      peer.close();
    });

    const recording = claims.answerId ? services.answers.attach({ answerId: claims.answerId, room, peer, notify: (notification, data) => state.notify(notification, data) }) : null;

    return {
      peerId: peer.id,
      roomId: room.id,
      role: peer.role,
      routerRtpCapabilities: room.router.rtpCapabilities,
      iceServers: services.iceServers,
      peers: room.peers.filter((p) => p !== peer).map(info),
      producers: room.producersFor(peer.id).map(({ peer: owner, producer }) => ({ producerId: producer.id, peerId: owner.id, kind: producer.kind })),
      recording,
    };
  },

  async leave(state) {
    state.leave();
    return {};
  },
};
