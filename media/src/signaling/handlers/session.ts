// join and leave: entering a room with a token from the API, and leaving it.
import { MediaTokenError, verifyMediaToken } from '@rehearse/core/media-token';
import type { Peer } from '../../Peer.ts';
import type { Room, RoomCloseReason } from '../../Room.ts';
import type { ConnectionState, HandlerTable } from '../context.ts';
import { SignalingError } from '../errors.ts';
import { CLOSE_CODES, type PeerInfo } from '@rehearse/protocol/signaling';

/** A party who drops out of a booked call may come back until the room closes (the API stops the recordings then). */
const CALL_RECONNECT_GRACE_MS = 60 * 60_000;

const info = (peer: Peer): PeerInfo => ({ peerId: peer.id, userId: peer.userId, role: peer.role });

/** Tells the page why its room went away and closes the socket: rejoin elsewhere, or nothing to rejoin. */
function roomGone(state: ConnectionState, reason: RoomCloseReason): void {
  if (reason === 'finished') return state.disconnect(CLOSE_CODES.finished, 'the answer ended');
  state.notify('rejoin', { reason: reason === 'workerdied' ? 'the media worker hosting this room stopped' : 'the room was closed' });
  state.disconnect(CLOSE_CODES.rejoin, 'rejoin');
}

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
    // Once only: a copied token can neither join a second time nor push out the page that used it.
    if (!services.usedTokens.consume(claims.jti, claims.exp)) throw new SignalingError('TOKEN_USED', 'this token has been used; ask the API for a new one');
    // An answer's token is good while the answer is: not after it stopped.
    if (claims.answerId && !(await services.answers.canJoin(claims.answerId, claims.userId))) throw new SignalingError('ANSWER_FINISHED', 'this answer has ended');
    if (state.peer) throw new SignalingError('ALREADY_JOINED', 'this connection has already joined a room');

    const room: Room = await services.rooms.getOrCreate(claims.roomId);
    const peer = room.join({ userId: claims.userId, role: claims.role });
    state.claims = claims;
    state.room = room;
    state.peer = peer;
    state.joined();

    const onPeerJoined = (other: Peer) => other !== peer && state.notify('peerJoined', info(other));
    const onPeerLeft = (other: Peer) => other !== peer && state.notify('peerLeft', { peerId: other.id });
    const onNewProducer = (owner: Peer, producer: { id: string; kind: 'audio' | 'video' }) =>
      owner !== peer && state.notify('newProducer', { producerId: producer.id, peerId: owner.id, kind: producer.kind });
    // The room closes its peers before it says so: the peer's close is where the page hears why
    // (the room's reason is set by then). Otherwise a newer connection of the same user replaced this peer.
    const onPeerClose = () => {
      if (room.closeReason) return roomGone(state, room.closeReason);
      state.disconnect(CLOSE_CODES.replaced, 'replaced by a newer connection');
    };
    room.on('peerjoined', onPeerJoined);
    room.on('peerleft', onPeerLeft);
    room.on('newproducer', onNewProducer);
    peer.once('close', onPeerClose);
    state.onLeave(() => {
      room.off('peerjoined', onPeerJoined);
      room.off('peerleft', onPeerLeft);
      room.off('newproducer', onNewProducer);
      peer.off('close', onPeerClose);
      peer.close();
    });

    const recording = claims.answerId ? services.answers.attach({ answerId: claims.answerId, room, peer, notify: (notification, data) => state.notify(notification, data), analyse: claims.call?.analyse ?? true, reconnectGraceMs: claims.call ? CALL_RECONNECT_GRACE_MS : undefined, liveCoaching: claims.interview?.liveCoaching ?? true, maxRecordingMs: claims.interview?.maxRecordingMs ?? null }) : null;
    if (claims.call) {
      // A booked call: presence for the no-show rule, and the mentor's co-pilot.
      const { bookingId, watchAnswerId } = claims.call;
      const presence = (event: 'joined' | 'left') => void services.presence?.(bookingId, claims.role, event).catch((error: unknown) => services.log.warn({ err: error, bookingId }, 'call presence not recorded'));
      presence('joined');
      // Gone, unless the same party is in the room on another connection (a rejoin that came first).
      state.onLeave(() => {
        if (!room.peers.some((p) => p !== peer && p.role === peer.role && !p.closed)) presence('left');
      });
      if (watchAnswerId) state.onLeave(services.answers.watch(watchAnswerId, (update) => state.notify('coaching', update)));
    }

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
