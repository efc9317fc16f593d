/** The values a Secret manifest carries, decoded, with the ones a tool fills in or a reader must replace left out. */
import type { Resource } from './resource.js';

/** Values that are templated or filled in by a tool, and placeholders: not a committed secret. */
const NOT_LITERAL = /\$\{|\{\{|^\s*<[^<>]+>\s*$|(\.\.\.|…)\s*$/;

/** Passwords and keys that appear in every wordlist, and service defaults. */
export const WEAK_VALUES = new Set([
  'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'admin', 'admin123', 'administrator', 'root', 'toor', 'secret', 'secret123',
  'changeme', 'changeit', 'letmein', 'welcome', 'default', 'test', 'test123', 'testing', 'guest', 'qwerty', '123456', '12345678', '123456789',
  'abc123', 'iloveyou', 'postgres', 'mysql', 'redis', 'redispassword', 'mongo', 'mongodb', 'rabbitmq', 'elastic', 'minioadmin', 'example', 'demo',
]);

function decoded(field: 'data' | 'stringData', v: string): string | undefined {
  if (field === 'stringData') return v;
  const s = v.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const text = Buffer.from(s, 'base64').toString('utf8');
  return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
}

export interface SecretValue {
  field: 'data' | 'stringData';
  key: string;
  text: string;
  weak: boolean;
}

export function secretValues(r: Resource): SecretValue[] {
  if (r.object.type === 'kubernetes.io/service-account-token') return [];
  const out: SecretValue[] = [];
  for (const field of ['data', 'stringData'] as const) {
    const m = r.object[field];
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    for (const [key, v] of Object.entries(m)) {
      if (typeof v !== 'string' || !v.trim() || NOT_LITERAL.test(v)) continue;
      const text = decoded(field, v);
      if (text === undefined || !text.trim()) continue;
      // weak only under a key that holds a credential (a username of "admin" is not a password)
      const credentialKey = /pass|pwd|secret|token|key|auth|cred/i.test(key) && !/user(name)?$/i.test(key);
      out.push({ field, key, text, weak: credentialKey && WEAK_VALUES.has(text.trim().toLowerCase()) });
    }
  }
  return out;
}
