// The signaling protocol between a page (mediasoup-client) and a media server, over one WebSocket.
//   page → server   { id, method, data }                        a request
//   server → page   { id, ok: true, data } | { id, ok: false, error: { code, message } }
//   server → page   { notification, data }                      something happened
// Every request is validated against the schema below before a handler sees it. The web client
// imports these types (type-only), so both sides change together.
import { Type, type Static, type TSchema } from 'typebox';
import type { LiveUpdate } from '@rehearse/analysis/live/types';

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Str = Type.String({ maxLength: 256 });
const Loose = { additionalProperties: true } as const;

const DtlsParameters = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('client'), Type.Literal('server')])),
    fingerprints: Type.Array(Type.Object({ algorithm: Str, value: Type.String({ maxLength: 512 }) }), { minItems: 1, maxItems: 8 }),
  },
  Loose,
);

const RtpCodec = Type.Object(
  {
    mimeType: Str,
    payloadType: Type.Optional(Type.Integer({ minimum: 0, maximum: 127 })),
    preferredPayloadType: Type.Optional(Type.Integer({ minimum: 0, maximum: 127 })),
    clockRate: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    channels: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    parameters: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 256 }), Type.Number()]))),
    rtcpFeedback: Type.Optional(Type.Array(Type.Object({ type: Str, parameter: Type.Optional(Str) }), { maxItems: 16 })),
  },
  Loose,
);

const RtpParameters = Type.Object(
  {
    mid: Type.Optional(Str),
    codecs: Type.Array(RtpCodec, { minItems: 1, maxItems: 16 }),
    headerExtensions: Type.Optional(Type.Array(Type.Object({ uri: Str, id: Type.Integer({ minimum: 1, maximum: 255 }) }, Loose), { maxItems: 32 })),
    encodings: Type.Optional(Type.Array(Type.Object({}, Loose), { maxItems: 8 })),
    rtcp: Type.Optional(Type.Object({}, Loose)),
  },
  Loose,
);

const RtpCapabilities = Type.Object(
  {
    codecs: Type.Optional(Type.Array(RtpCodec, { maxItems: 64 })),
    headerExtensions: Type.Optional(Type.Array(Type.Object({}, Loose), { maxItems: 64 })),
  },
  Loose,
);

const Kind = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
const Empty = Type.Object({}, { additionalProperties: false });

/** Requests: method → the schema of its `data`. */
export const requestSchemas = {
  join: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
  createWebRtcTransport: Type.Object({ direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]) }, { additionalProperties: false }),
  connectWebRtcTransport: Type.Object({ transportId: Id, dtlsParameters: DtlsParameters }, { additionalProperties: false }),
  restartIce: Type.Object({ transportId: Id }, { additionalProperties: false }),
  produce: Type.Object(
    {
      transportId: Id,
      kind: Kind,
      rtpParameters: RtpParameters,
      appData: Type.Optional(Type.Object({ source: Type.Optional(Type.Union([Type.Literal('mic'), Type.Literal('camera')])) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  ),
  closeProducer: Type.Object({ producerId: Id }, { additionalProperties: false }),
  pauseProducer: Type.Object({ producerId: Id }, { additionalProperties: false }),
  resumeProducer: Type.Object({ producerId: Id }, { additionalProperties: false }),
  consume: Type.Object({ transportId: Id, producerId: Id, rtpCapabilities: RtpCapabilities }, { additionalProperties: false }),
  pauseConsumer: Type.Object({ consumerId: Id }, { additionalProperties: false }),
  resumeConsumer: Type.Object({ consumerId: Id }, { additionalProperties: false }),
  leave: Empty,
} satisfies Record<string, TSchema>;

export type Method = keyof typeof requestSchemas;
export type RequestData<M extends Method> = Static<(typeof requestSchemas)[M]>;

export interface PeerInfo {
  peerId: string;
  userId: string;
  role: 'candidate' | 'mentor';
}

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
}

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  sctpParameters?: unknown;
}

export interface RecordingState {
  state: 'waiting' | 'recording' | 'stopped';
  /** Epoch ms of the answer's time zero (the first media the recorder received). */
  startedAt: number | null;
}

/** Results: method → what `data` holds in a successful response. */
export interface ResponseData {
  join: {
    peerId: string;
    roomId: string;
    role: 'candidate' | 'mentor';
    routerRtpCapabilities: unknown;
    iceServers: { urls: string | string[]; username?: string; credential?: string }[];
    peers: PeerInfo[];
    producers: ProducerInfo[];
    recording: RecordingState | null;
  };
  createWebRtcTransport: TransportInfo;
  connectWebRtcTransport: Record<string, never>;
  restartIce: { iceParameters: unknown };
  produce: { producerId: string };
  closeProducer: Record<string, never>;
  pauseProducer: Record<string, never>;
  resumeProducer: Record<string, never>;
  consume: { consumerId: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: unknown };
  pauseConsumer: Record<string, never>;
  resumeConsumer: Record<string, never>;
  leave: Record<string, never>;
}

export interface NotificationData {
  peerJoined: PeerInfo;
  peerLeft: { peerId: string };
  newProducer: ProducerInfo;
  producerClosed: { producerId: string };
  consumerClosed: { consumerId: string };
  recording: RecordingState;
  /** The answer's live transcript and metrics, at least every 500 ms while it runs. */
  analysis: LiveUpdate;
  /** In a mentor call, to the mentor: the candidate's live transcript and metrics (the co-pilot). */
  coaching: LiveUpdate;
  /** The answer's report is saved (`ready`), or could not be made. */
  report: { answerId: string; ready: boolean };
  /** The room is gone (its media worker died or the server restarts): get a new token and join again. */
  rejoin: { reason: string };
}

export type Notification = keyof NotificationData;

/** Stable error codes a page can act on. */
export type ErrorCode =
  | 'BAD_JSON'
  | 'BAD_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'UNKNOWN_METHOD'
  | 'INVALID_PARAMS'
  | 'NOT_JOINED'
  | 'ALREADY_JOINED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_USED'
  | 'ANSWER_FINISHED'
  | 'LIMIT_REACHED'
  | 'WRONG_MEDIA_SERVER'
  | 'ROOM_CLOSED'
  | 'NOT_FOUND'
  | 'UNSUPPORTED_CODEC'
  | 'RATE_LIMITED'
  | 'FAILED';

export interface RequestMessage<M extends Method = Method> {
  id: number;
  method: M;
  data: RequestData<M>;
}

export type ResponseMessage<M extends Method = Method> =
  | { id: number; ok: true; data: ResponseData[M] }
  | { id: number | null; ok: false; error: { code: ErrorCode; message: string } };

export interface NotificationMessage<N extends Notification = Notification> {
  notification: N;
  data: NotificationData[N];
}

/** A socket that has not joined a room this long after opening is closed (close code 4001). */
export const JOIN_TIMEOUT_MS = 10_000;

/**
 * Close codes the server uses besides the standard ones: 4000 rejoin (the room is gone; get a new
 * token), 4001 join timeout, 4002 replaced (the same user joined from another connection), 4003
 * finished (the answer ended; nothing to rejoin).
 */
export const CLOSE_CODES = { rejoin: 4000, joinTimeout: 4001, replaced: 4002, finished: 4003 } as const;

/** Largest message a page may send; anything bigger closes the socket (close code 1009). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
