/** The values a Secret manifest carries, decoded, with the ones a tool fills in or a reader must replace left out. */
import type { Resource } from './resource.js';
import { credentialKeyKind, detectCredentialValue, generatedTest, keyWords } from './credentials.js';

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

/**
 * How much a Secret's key gives away: `credential` (a password, token, private key, registry auth), `public` (what
 * is not secret even in a Secret: a user or database name, a host, a certificate without its key) or `unknown`.
 */
export type Sensitivity = 'credential' | 'unknown' | 'public';

export interface SecretValue {
  field: 'data' | 'stringData';
  key: string;
  text: string;
  weak: boolean;
  sensitivity: Sensitivity;
}

/** Keys Kubernetes and common tools use for secret material (kubernetes.io/tls, ssh-auth, dockerconfigjson, basic-auth). */
const SECRET_FILE_KEYS = /^(?:tls\.key|ssh-privatekey|id_(?:rsa|dsa|ecdsa|ed25519)|\.dockerconfigjson|\.dockercfg|\.?htpasswd|\.netrc|\.git-credentials|\.pgpass|kubeconfig|auth|key|private[-_.]?key|.*\.(?:key|p12|pfx|jks|keystore))$/i;

/** Keys whose value is public: a certificate (not its key) or known hosts. */
const PUBLIC_FILE_KEYS = /^(?:.*\.(?:crt|cert|pub)|ca\.pem|ca-bundle(?:\.pem)?|known_hosts|ssh-knownhosts)$/i;

/** Last words of a key that names something public: who or where, not the secret (POSTGRES_DB, username, host). */
const PUBLIC_WORDS = new Set(['user', 'username', 'usr', 'login', 'email', 'db', 'database', 'dbname', 'name', 'host', 'hostname', 'port', 'url', 'uri', 'endpoint', 'address', 'addr', 'namespace', 'region', 'bucket', 'schema', 'protocol', 'scheme', 'id', 'issuer', 'audience', 'domain', 'realm', 'tenant', 'project', 'account', 'org', 'organization']);

/** A PEM text of certificates or public keys only. */
function publicPem(text: string): boolean {
  return /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|X509 CRL|TRUSTED CERTIFICATE)-----/.test(text) && !/PRIVATE KEY-----/.test(text);
}

export function sensitivity(key: string, text: string): Sensitivity {
  if (detectCredentialValue(text)) return 'credential';
  if (publicPem(text)) return 'public';
  if (SECRET_FILE_KEYS.test(key) || credentialKeyKind(key)) return 'credential';
  if (PUBLIC_FILE_KEYS.test(key)) return 'public';
  const w = keyWords(key);
  return w.length && PUBLIC_WORDS.has(w[w.length - 1]) ? 'public' : 'unknown';
}

export function secretValues(r: Resource): SecretValue[] {
  if (r.object.type === 'kubernetes.io/service-account-token') return [];
  const out: SecretValue[] = [];
  const generated = generatedTest(r.doc.source.generated);
  for (const field of ['data', 'stringData'] as const) {
    const m = r.object[field];
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    for (const [key, v] of Object.entries(m)) {
      if (typeof v !== 'string' || !v.trim() || NOT_LITERAL.test(v)) continue;
      const text = decoded(field, v);
      if (text === undefined || !text.trim()) continue;
      // made up by the chart while rendering (randAlphaNum, genPrivateKey): the repository does not hold it
      if (generated?.(v) || generated?.(text)) continue;
      // weak only under a key that holds a credential (a username of "admin" is not a password)
      const credentialKey = /pass|pwd|secret|token|key|auth|cred/i.test(key) && !/user(name)?$/i.test(key);
      out.push({ field, key, text, weak: credentialKey && WEAK_VALUES.has(text.trim().toLowerCase()), sensitivity: sensitivity(key, text) });
    }
  }
  return out;
}
