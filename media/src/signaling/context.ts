import type { Logger } from '@rehearse/core/logger';
import type { JoinClaims } from '@rehearse/core/media-token';
import type { AnswerSessions } from '../answers/AnswerSessions.ts';
import type { Peer } from '../Peer.ts';
import type { Room } from '../Room.ts';
import type { RoomRegistry } from '../RoomRegistry.ts';
import type { UsedTokens } from './UsedTokens.ts';
import type { Method, Notification, NotificationData, RequestData, ResponseData } from '@rehearse/protocol/signaling';

/** What every connection shares: the server's rooms, answers and settings. */
export interface SignalingServices {
  rooms: RoomRegistry;
  answers: AnswerSessions;
  tokenSecret: string;
  /** Join tokens already used here (each joins once). */
  usedTokens: UsedTokens;
  /** How long a socket may stay open without joining (default JOIN_TIMEOUT_MS). */
  joinTimeoutMs?: number;
  /** This server's public signaling URL; tokens for another media server are refused. */
  mediaUrl: string;
  iceServers: ResponseData['join']['iceServers'];
  log: Logger;
  /** A party of a booked call is in its room: the first time is written on the booking (the no-show rule reads it). */
  /** A booked call's party joined or left its room (the no-show rule reads it). */
  presence?: (bookingId: string, role: JoinClaims['role'], event: 'joined' | 'left') => Promise<void>;
}

/** One WebSocket's state, handed to each handler. */
export interface ConnectionState {
  readonly services: SignalingServices;
  claims: JoinClaims | null;
  room: Room | null;
  peer: Peer | null;
  notify<N extends Notification>(notification: N, data: NotificationData[N]): void;
  /** Runs when the connection ends or leaves its room (unsubscribes room listeners). */
  onLeave(cleanup: () => void): void;
  leave(): void;
  /** The join succeeded: the join timeout no longer applies. */
  joined(): void;
  /** Closes the socket, e.g. after telling the page to rejoin elsewhere. */
  disconnect(code: number, reason: string): void;
}

export type Handler<M extends Method> = (state: ConnectionState, data: RequestData<M>) => Promise<ResponseData[M]>;
export type HandlerTable<K extends Method> = { [M in K]: Handler<M> };
