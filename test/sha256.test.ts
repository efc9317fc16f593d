/** src/util/sha256.ts (findings' fingerprints, which baselines record) must be node:crypto's SHA-256 exactly. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/util/sha256.js';
import { fingerprint } from '../src/engine/findings.js';

const nodeSha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto on every length around the block edges, and on UTF-8 text', () => {
    for (let n = 0; n < 300; n++) {
      const s = 'k8s-audit\u0000'.repeat(30).slice(0, n);
      expect(sha256Hex(s), `length ${n}`).toBe(nodeSha(s));
    }
    for (const s of ['naïve…µs', 'emoji \u{1f600} and \u0000 nul', 'lone surrogate \ud800 here', 'ü'.repeat(100), 'x'.repeat(100_000)]) expect(sha256Hex(s)).toBe(nodeSha(s));
  });

  it('gives findings the same fingerprints before and after fingerprint() switches to node:crypto', () => {
    for (let i = 0; i < 100; i++) {
      const parts = ['rule-' + i, `dir/file-${i}.yaml`, 'apps/Deployment/ns/näme', `spec.containers.${i}`, i % 3 ? '' : 'message …'];
      expect(fingerprint(...parts), `call ${i}`).toBe(nodeSha(parts.join('\u0000')).slice(0, 32));
    }
  });
});
