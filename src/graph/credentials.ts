/**
 * A precise credential detector, shared by the ConfigMap/env rule and the Helm values work.
 *
 * Keys are split into words (camelCase, snake_case, kebab-case, dots). A key names a credential when it holds
 * a credential word (password, passwd, secret, token, api key, private key, ...) and does not end in a word
 * that makes it metadata about a credential (password_min_length, PASSWORD_FILE, jwt_secret_name, token_ttl).
 * Values that are references or template markers (`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `<your-password>`,
 * `vault:...`), empty, boolean or a file path are not credentials. Independent of the key, a value is a
 * credential when it is a PEM private key, a URL with an inline `user:password@`, or a well-known token format
 * (AWS access key id, GitHub, Slack, Stripe, Google API keys). A literal placeholder such as `changeme` in a
 * credential field is still a credential in plain configuration: it is what the app will run with.
 */

export type CredentialKind = 'password' | 'secret' | 'token' | 'api-key' | 'private-key' | 'connection-string' | 'access-key';

export interface CredentialHit {
  kind: CredentialKind;
  /** What makes it a credential, for messages: "key \"db_password\"", "inline user:password in a URL". */
  reason: string;
  /** The value with everything secret redacted. */
  redacted: string;
  /** For embedded text (a config file in a ConfigMap): the setting inside the text. */
  setting?: string;
}

export const KIND_LABEL: Record<CredentialKind, string> = {
  password: 'a password',
  secret: 'a secret',
  token: 'a token',
  'api-key': 'an API key',
  'private-key': 'a private key',
  'connection-string': 'a connection string',
  'access-key': 'an access key',
};

/** Split a key into lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const CRED_WORDS: Record<string, CredentialKind> = {
  password: 'password',
  passwd: 'password',
  pwd: 'password',
  pass: 'password',
  passphrase: 'password',
  requirepass: 'password',
  masterauth: 'password',
  secret: 'secret',
  token: 'token',
  apikey: 'api-key',
  credential: 'secret',
  credentials: 'secret',
};

/** Compound words: a pair of consecutive words that names a credential. */
const CRED_PAIRS: Record<string, CredentialKind> = {
  'api key': 'api-key',
  'access key': 'access-key',
  'secret key': 'secret',
  'private key': 'private-key',
  'signing key': 'secret',
  'encryption key': 'secret',
  'master key': 'secret',
  'client secret': 'secret',
  'auth key': 'secret',
  'license key': 'api-key',
};

/** Last words that keep a compound credential (SECRET_KEY_BASE, api_key_value). */
const VALUE_SUFFIX = new Set(['value', 'base', 'string', 'data', 'plain', 'plaintext', 'raw', 'b64', 'base64']);

// Config files and dashboards repeat the same few keys thousands of times: classify each once.
const keyKinds = new Map<string, CredentialKind | undefined>();

/** Classify a key: the credential kind it names, or undefined. */
export function credentialKeyKind(key: string): CredentialKind | undefined {
  if (keyKinds.has(key)) return keyKinds.get(key);
  const kind = classifyKey(key);
  if (keyKinds.size < 10_000) keyKinds.set(key, kind);
  return kind;
}

function classifyKey(key: string): CredentialKind | undefined {
  const w = keyWords(key);
  if (!w.length) return undefined;
  let kind: CredentialKind | undefined;
  let at = -1;
  for (let i = 0; i < w.length; i++) {
    const pair = i + 1 < w.length ? CRED_PAIRS[`${w[i]} ${w[i + 1]}`] : undefined;
    if (pair) {
      kind = pair;
      at = i + 1;
    } else if (CRED_WORDS[w[i]] && !(w[i] === 'pass' && w.length > 1 && i !== w.length - 1)) {
      kind = kind ?? CRED_WORDS[w[i]];
      if (i > at) at = i;
    }
  }
  if (!kind) return undefined;
  // credentialsSecret, existingSecret, tlsSecret: the name of a Kubernetes Secret that holds the credential.
  if (w.length >= 2 && w[w.length - 1] === 'secret' && ['credentials', 'credential', 'existing', 'tls', 'ca', 'cert', 'certificate', 'from'].includes(w[w.length - 2])) return undefined;
  // etcd/consul cluster tokens identify a cluster, they do not authenticate.
  if (kind === 'token' && w.includes('cluster') && (w.includes('initial') || w.includes('etcd'))) return undefined;
  // Words after the last credential word make it metadata (password_min_length, PASSWORD_FILE, jwt_secret_name,
  // token_ttl) unless they only wrap the value (SECRET_KEY_BASE).
  const after = w.slice(at + 1);
  if (after.length === 0) return kind;
  if (after.every((x) => VALUE_SUFFIX.has(x))) return kind;
  // AWS style: access key id / accessKeyId is half a credential pair and leaks with it.
  if (kind === 'access-key' && after.length === 1 && after[0] === 'id') return kind;
  return undefined;
}

const BOOLEANISH = /^(true|false|yes|no|on|off|enabled?|disabled?|none|null|nil|~|required|optional|auto|default|-)$/i;

/** Words that make a credential-named setting a switch (its value 0/1 is not the credential). */
const FLAG_WORDS = new Set(['allow', 'random', 'empty', 'enable', 'enabled', 'disable', 'disabled', 'generate', 'require', 'required', 'skip', 'use', 'no', 'auto', 'rotate', 'reset', 'expire', 'expired', 'change']);

/** NSS sources (`passwd: files systemd sss`, `passwd: compat [NOTFOUND=return] ldap`). */
const NSS_SOURCES = /^(?:(?:files|dns|systemd|ldap|sss|compat|nis|nisplus|db|winbind|myhostname|mymachines|resolve|altfiles|cache|hesiod|wins|mdns4_minimal|mdns4|mdns|usrfiles|extrausers)|\[[^\]]*\])(?:\s+(?:files|dns|systemd|ldap|sss|compat|nis|nisplus|db|winbind|myhostname|mymachines|resolve|altfiles|cache|hesiod|wins|mdns4_minimal|mdns4|mdns|usrfiles|extrausers|\[[^\]]*\]))*$/;

/** True for values that are references, template markers or otherwise not a literal credential. */
export function isNonLiteral(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (BOOLEANISH.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$\([^)]*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true; // ${VAR}, $(VAR), $VAR
  if (/\{\{.*\}\}/.test(v) || /^\{\{/.test(v)) return true; // template markers
  if (/^%\(?[A-Za-z_]*\)?s$|^%[A-Z_]+%$|^@[A-Za-z_]+@$|^__[A-Z0-9_]+__$/.test(v)) return true; // %(x)s, %VAR%, @VAR@, __VAR__
  if (/^<[^<>]+>$|^\[[^\]]+\]$/.test(v)) return true; // <your-password>, [REDACTED]
  if (/^\*+$|^x{3,}$|^\.{3}$/i.test(v)) return true; // ***, xxxx, ...
  if (/^(INSERT|YOUR|REPLACE|ENTER|PUT|SET|ADD)[_-][A-Z0-9_-]+$|^[A-Z0-9_-]+[_-](HERE|GOES_HERE)$/.test(v)) return true; // INSERT_TOKEN, YOUR_API_KEY, TOKEN_HERE
  if (/^(vault|ref\+|arn:aws:secretsmanager|arn:aws:ssm|secretsmanager|awssm|awsps|gcpsm|azkv|sm|op|k8s|secret|env|file|bao|akv|doppler):/i.test(v)) return true;
  if (/^projects\/[^/]+\/secrets\//.test(v)) return true;
  if (/^(\/|\.\/|~\/)[^\s]*$/.test(v)) return true; // a file path
  return false;
}

/** Redact a secret: at most the first two characters, then ***. */
export function redact(value: string): string {
  const v = String(value);
  return v.length >= 8 ? `${v.slice(0, 2)}***` : '***';
}

const URL_CRED = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:/@'"]+):([^\s@/'"]+)@/gi;
const PEM_PRIVATE = /-{3,5}BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-{3,5}/;

const TOKEN_FORMATS: { re: RegExp; what: string; kind: CredentialKind }[] = [
  { re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id', kind: 'access-key' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, what: 'a GitHub token', kind: 'token' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/, what: 'a GitHub token', kind: 'token' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}\b/, what: 'a GitLab token', kind: 'token' },
  { re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, what: 'a Slack token', kind: 'token' },
  { re: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/, what: 'a Stripe key', kind: 'api-key' },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/, what: 'a Google API key', kind: 'api-key' },
  { re: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}\b/, what: 'an API secret key', kind: 'api-key' },
];

/** Redact the password part of every URL with inline credentials. */
export function redactUrls(text: string): string {
  return text.replace(URL_CRED, (_m, scheme: string, user: string, pass: string) => `${scheme}://${user}:${redact(pass)}@`);
}

function urlCredential(value: string): CredentialHit | undefined {
  URL_CRED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_CRED.exec(value))) {
    const pass = m[3];
    if (isNonLiteral(pass) || /^\$|\$\{|\$\(|\{\{|^<.*>$/.test(pass)) continue;
    const at = m.index;
    const end = value.indexOf(' ', at);
    const url = value.slice(at, end < 0 ? undefined : end).split('\n')[0];
    return { kind: 'connection-string', reason: 'a URL with an inline user:password', redacted: redactUrls(url) };
  }
  return undefined;
}

/** Something every TOKEN_FORMATS pattern contains: most values contain none of these, and skip the list. */
const TOKEN_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|k_live_|AIza|sk-/;

/** Whether a text holds anything detectCredentialValue could find (a cheap test before it). */
function hasValueHint(text: string): boolean {
  return text.includes('://') || text.includes('PRIVATE KEY') || TOKEN_HINT.test(text);
}

/** Value-only detection: PEM private keys, URLs with inline passwords, well-known token formats. */
export function detectCredentialValue(value: string): CredentialHit | undefined {
  const pem = value.includes('PRIVATE KEY') ? PEM_PRIVATE.exec(value) : null;
  if (pem) return { kind: 'private-key', reason: `a PEM ${pem[1].toLowerCase()}`, redacted: '-----BEGIN ***' };
  const url = value.includes('://') ? urlCredential(value) : undefined;
  if (url) return url;
  if (!TOKEN_HINT.test(value)) return undefined;
  for (const f of TOKEN_FORMATS) {
    const m = f.re.exec(value);
    if (m) return { kind: f.kind, reason: f.what, redacted: redact(m[0]) };
  }
  return undefined;
}

/** A single key/value setting: a credential when the key names one and the value is a literal, or the value alone is one. */
export function detectCredential(key: string, value: unknown): CredentialHit | undefined {
  if (value === null || value === undefined || typeof value === 'object' || typeof value === 'boolean') return undefined;
  const v = String(value);
  const byValue = detectCredentialValue(v);
  if (byValue) return byValue;
  const kind = credentialKeyKind(key);
  if (!kind || isNonLiteral(v)) return undefined;
  if (/\n/.test(v.trim())) return undefined; // a multi-line value under a credential-sounding key is a file, scanned separately
  // A switch about a credential (MYSQL_RANDOM_ROOT_PASSWORD=1, ALLOW_EMPTY_PASSWORD=yes): a flag, not the secret.
  if (/^[01]$/.test(v.trim()) && keyWords(key).some((w) => FLAG_WORDS.has(w))) return undefined;
  // nsswitch.conf's `passwd: files systemd` names where user accounts come from.
  if (kind === 'password' && NSS_SOURCES.test(v.trim())) return undefined;
  return { kind, reason: `the key "${key}" names ${KIND_LABEL[kind]}`, redacted: redact(v) };
}

// key = value, key: value, key=value, "key": "value", export KEY=value
const SETTING = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*(?:=|:)\s*(.*?)\s*,?\s*$/;
const SETTING_KEY = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*(?:=|:)\s*/;

/**
 * SETTING.exec(line), without its lazy `(.*?)\s*,?\s*$` backtracking over long lines (dashboards hold
 * JSON lines of several kilobytes): match the key, then trim the value's end by hand. Lines the shortcut
 * cannot decide exactly (a line terminator other than \n inside) go to the regular expression.
 */
function matchSetting(line: string): [key: string, value: string] | null {
  const k = SETTING_KEY.exec(line);
  if (!k) return null;
  let end = line.length;
  while (end > k[0].length && /\s/.test(line[end - 1])) end--;
  if (end > k[0].length && line[end - 1] === ',') {
    end--;
    while (end > k[0].length && /\s/.test(line[end - 1])) end--;
  }
  const value = line.slice(k[0].length, end);
  if (/[\r\u2028\u2029]/.test(value)) {
    const m = SETTING.exec(line);
    return m ? [m[1], m[2]] : null;
  }
  return [k[1], value];
}

/** Scan embedded text (a config file held in a ConfigMap key) setting by setting. */
export function detectCredentialsInText(text: string): CredentialHit[] {
  const out: CredentialHit[] = [];
  const whole = detectCredentialValue(text);
  if (whole && whole.kind === 'private-key') return [whole];
  // Without these, no line's value can be a credential by itself, and only credential keys matter.
  const valueHints = hasValueHint(text);
  for (const line of text.split('\n')) {
    if (/^\s*(#|\/\/|;)/.test(line)) continue;
    const m = matchSetting(line);
    if (m) {
      // Neither the key nor anything in the line can make it a credential: skip the value's clean-up.
      if (!credentialKeyKind(m[0]) && !(valueHints && hasValueHint(line))) continue;
      let val = m[1].replace(/\s+#.*$/, '').trim();
      val = val.replace(/^["'](.*)["']$/, '$1');
      if (!val || /^[{[|>]$/.test(val)) continue;
      const hit = detectCredential(m[0], val);
      if (hit) out.push({ ...hit, setting: m[0] });
      continue;
    }
    if (!valueHints) continue;
    const v = detectCredentialValue(line);
    if (v) out.push(v);
  }
  return out;
}

/** Walk a nested value (Helm values, a parsed config): every credential with its path. */
export function findCredentials(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; hit: CredentialHit }[] {
  const out: { path: (string | number)[]; hit: CredentialHit }[] = [];
  const walk = (v: unknown, p: (string | number)[], key: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i], key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k], k);
    else {
      const hit = typeof v === 'string' && v.includes('\n') ? detectCredentialsInText(v)[0] : detectCredential(key, v);
      if (hit) out.push({ path: p, hit });
    }
  };
  walk(value, path, '');
  return out;
}
