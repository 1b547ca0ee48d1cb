import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealAesGcm } from './aes-gcm.ts';
import { createRefreshSecret, hashRefreshSecret, openSuccessor, sealSuccessor } from './refresh-token.ts';

describe('the sealed successor', () => {
  it('opens for the predecessor that sealed it, when the session holds its hash', () => {
    const previous = createRefreshSecret();
    const successor = createRefreshSecret();
    const sealed = sealSuccessor(previous, successor);
    expect(sealed.equals(successor)).toBe(false);
    expect(openSuccessor(previous, sealed, hashRefreshSecret(successor))?.equals(successor)).toBe(true);
  });

  it('yields nothing for another predecessor, a changed box or a session that has rotated since', () => {
    const previous = createRefreshSecret();
    const successor = createRefreshSecret();
    const sealed = sealSuccessor(previous, successor);
    expect(openSuccessor(createRefreshSecret(), sealed, hashRefreshSecret(successor))).toBeUndefined();
    const flipped = Buffer.from(sealed);
    flipped[0] = flipped[0]! ^ 1;
    expect(openSuccessor(previous, flipped, hashRefreshSecret(successor))).toBeUndefined();
    expect(openSuccessor(previous, sealed, hashRefreshSecret(createRefreshSecret()))).toBeUndefined();
    expect(openSuccessor(previous, sealed, null)).toBeUndefined();
    expect(openSuccessor(previous, sealed.subarray(0, 31), hashRefreshSecret(successor))).toBeUndefined();
  });

  it('differs for every predecessor, so equal successors never show in the stored boxes', () => {
    const successor = createRefreshSecret();
    const boxes = new Set(Array.from({ length: 100 }, () => sealSuccessor(createRefreshSecret(), successor).toString('hex')));
    expect(boxes.size).toBe(100);
  });

  it('still opens the AES-GCM boxes that rows rotated by the previous release hold', () => {
    const previous = createRefreshSecret();
    const successor = createRefreshSecret();
    const legacyKey = Buffer.from(hkdfSync('sha256', previous, Buffer.alloc(0), 'refresh-token successor v1', 32));
    const legacyBox = sealAesGcm(legacyKey, successor);
    expect(openSuccessor(previous, legacyBox, hashRefreshSecret(successor))?.equals(successor)).toBe(true);
    expect(openSuccessor(createRefreshSecret(), legacyBox, hashRefreshSecret(successor))).toBeUndefined();
  });
});
