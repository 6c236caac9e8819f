import { describe, expect, it } from 'vitest';
import { signMediaToken, verifyMediaToken, type JoinClaims } from './media-token.ts';

const claims: JoinClaims = { purpose: 'join', userId: 'u1', roomId: 'r1', role: 'candidate', answerId: 'r1', mediaUrl: 'ws://localhost:3002/signaling' };

describe('media tokens', () => {
  it('round-trips the claims', async () => {
    const token = await signMediaToken(claims, 'secret-a');
    expect(await verifyMediaToken(token, 'secret-a', 'join')).toMatchObject(claims);
  });

  it('rejects another secret, another purpose, a tampered payload and an expired token', async () => {
    const token = await signMediaToken(claims, 'secret-a');
    await expect(verifyMediaToken(token, 'secret-b', 'join')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verifyMediaToken(token, 'secret-a', 'internal')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const [h, p, s] = token.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
    forged.roomId = 'someone-elses-room';
    await expect(verifyMediaToken(`${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`, 'secret-a', 'join')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const expired = await signMediaToken(claims, 'secret-a', { ttlSeconds: -1 });
    await expect(verifyMediaToken(expired, 'secret-a', 'join')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});
