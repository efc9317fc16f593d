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

const wordsOfKey = new Map<string, readonly string[]>();

/**
 * Split a key into lower-case words. Remembered per key (the same env names and config keys come back on every
 * workload), up to a bound: the list is shared, so its users must not change it.
 */
export function keyWords(key: string): readonly string[] {
  let w = wordsOfKey.get(key);
  if (!w) {
    w = splitWords(key);
    if (wordsOfKey.size < 20000 && key.length <= 256) wordsOfKey.set(key, w);
  }
  return w;
}

function splitWords(key: string): string[] {
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
  // A credential word first, then what it is for (SECRET_BLAH, TOKEN_GITHUB, PASSWORD_ADMIN): the prefix style of
  // naming, as kube-linter's env-var-secret fixture does. Still metadata when a following word says so (SECRET_NAME,
  // TOKEN_TTL, SECRET_PROVIDER, PASSWORD_MIN_LENGTH).
  if (at === 0 && after.length <= 3 && !after.some((x) => METADATA_WORDS.has(x) || CRED_WORDS[x])) return kind;
  return undefined;
}

/**
 * Words that, after a credential word, make a key describe the credential rather than hold it: where it is (name,
 * ref, file, path, mount), how it is chosen or checked (provider, backend, type, policy, length, ttl), who it is for
 * (user, issuer, audience) and switches (enabled, required).
 */
const METADATA_WORDS = new Set([
  'name', 'names', 'ref', 'refs', 'reference', 'file', 'files', 'path', 'paths', 'dir', 'directory', 'mount', 'volume', 'location',
  'length', 'len', 'min', 'max', 'minimum', 'maximum', 'size', 'count', 'limit', 'limits', 'complexity', 'strength', 'chars', 'charset', 'characters',
  'ttl', 'timeout', 'expiry', 'expires', 'expiration', 'expire', 'lifetime', 'age', 'duration', 'interval', 'period', 'rotation', 'rotate', 'refresh', 'renew', 'reset', 'change', 'changed', 'date', 'time', 'timestamp', 'at', 'last', 'created', 'updated',
  'provider', 'providers', 'backend', 'store', 'stores', 'type', 'types', 'mode', 'source', 'engine', 'manager', 'driver', 'kind', 'method', 'strategy', 'format', 'encoding', 'policy', 'policies', 'class',
  'hash', 'hashed', 'algorithm', 'algo', 'cost', 'rounds', 'cipher', 'digest', 'checksum', 'version', 'versions',
  'url', 'uri', 'endpoint', 'endpoints', 'host', 'hosts', 'port', 'server', 'address', 'addr', 'issuer', 'audience', 'header', 'field', 'prefix', 'suffix', 'regex', 'pattern',
  'env', 'var', 'vars', 'variable', 'enabled', 'enable', 'disabled', 'disable', 'required', 'optional', 'auto', 'generate', 'generated', 'generator', 'validation', 'validate', 'verify', 'verification', 'check',
  'namespace', 'label', 'labels', 'annotation', 'annotations', 'selector', 'scope', 'scopes', 'permissions', 'role', 'roles', 'user', 'username', 'email', 'owner', 'group', 'id', 'ids',
  'encryption', 'encrypted', 'authentication', 'auth', 'storage', 'cache', 'command', 'cmd', 'script', 'program', 'helper', 'handler', 'plugin', 'webhook', 'service',
  'introspection', 'exchange', 'request', 'response', 'claim', 'claims', 'signing', 'lookup', 'mapping', 'map', 'config', 'settings', 'options', 'opts',
  'description', 'desc', 'help', 'hint', 'title', 'message', 'msg', 'error', 'prompt', 'placeholder', 'example', 'sample', 'template', 'status', 'state', 'key', 'keys', 'list',
]);

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
  if (readsEnvironment(v)) return true;
  return false;
}

/**
 * Code or text that takes the value from the environment or from another object at run time: the committed text
 * holds where the credential comes from, not the credential. Python `os.environ["TOKEN"]` / `os.getenv(...)`,
 * Node `process.env.TOKEN`, Go `os.Getenv`, Java `System.getenv`, Ruby `ENV["X"]` / `ENV.fetch`, PHP/C `getenv`,
 * .NET `Environment.GetEnvironmentVariable`, shell references inside a value (`Bearer ${TOKEN}`, `$(cat /run/x)`,
 * `--password $DB_PASSWORD`) and a Kubernetes `valueFrom`/`secretKeyRef` written inline.
 */
const ENV_READ = /\bos\.environ\b|\bos\.getenv\s*\(|\bprocess\.env\b|\bos\.Getenv\s*\(|\bos\.LookupEnv\s*\(|\bSystem\.getenv\s*\(|\bENV\s*\[|\bENV\.fetch\b|\bgetenv\s*\(|\bEnvironment\.GetEnvironmentVariable\b|\benv\s*\(\s*["'][A-Za-z_]|\bstd::env::var\b|\benv::var\s*\(/;
const SHELL_REF = /\$\{[A-Za-z_][^}]*\}|\$\([^)]+\)|(?:^|[\s"'=:,(])\$[A-Z_][A-Z0-9_]*\b/;
const INLINE_REF = /\b(?:valueFrom|secretKeyRef|secretRef|configMapKeyRef|fromSecret|from_secret|fromEnv|from_env)\b/;

export function readsEnvironment(value: string): boolean {
  return ENV_READ.test(value) || SHELL_REF.test(value) || INLINE_REF.test(value);
}

/** Redact a secret: at most the first two characters, then ***; none when they are spaces or line breaks (a JSON key file starts with "{\n"), which would break the message's line. */
export function redact(value: string): string {
  const v = String(value);
  return v.length >= 8 && /^[\x21-\x7e]{2}/.test(v) ? `${v.slice(0, 2)}***` : '***';
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

/** What a caller knows about where a value is used, beyond its key. */
export interface CredentialContext {
  /** Whether the value is the name of an object the caller knows of (a Secret of the scan, one the pod references). */
  namesObject?: (value: string) => boolean;
  /** Whether the value was generated at render time (Helm `randAlphaNum`, `genPrivateKey`): not in the repository. */
  generated?: (value: string) => boolean;
}

/** A Kubernetes object name (DNS-1123 subdomain). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Words before a final "secret" that make the key the name of the Secret holding that thing (passwordSecret, tlsSecret). */
const HOLDER_OF = new Set(['password', 'passwd', 'pwd', 'token', 'tokens', 'key', 'keys', 'apikey', 'credential', 'credentials', 'creds', 'tls', 'ssh', 'cert', 'certificate', 'certs', 'ca', 'basic', 'registry', 'docker', 'pull']);

/**
 * Whether the key, by the conventions charts and operators use (Strimzi's `passwordSecret`, `tokenSecret`,
 * `apiKeySecret`), holds the name of the Secret that has the credential, and the value is such a name.
 */
export function namesSecretByKey(key: string, value: string): boolean {
  const w = keyWords(key);
  if (w.length < 2 || !['secret', 'secrets'].includes(w[w.length - 1]) || !HOLDER_OF.has(w[w.length - 2])) return false;
  const v = value.trim();
  return v.length <= 253 && OBJECT_NAME.test(v);
}

/** A single key/value setting: a credential when the key names one and the value is a literal, or the value alone is one. */
export function detectCredential(key: string, value: unknown, use: CredentialContext = {}): CredentialHit | undefined {
  if (value === null || value === undefined || typeof value === 'object' || typeof value === 'boolean') return undefined;
  const v = String(value);
  if (use.generated?.(v)) return undefined;
  const byValue = detectCredentialValue(v);
  if (byValue) return byValue;
  const kind = credentialKeyKind(key);
  if (!kind || isNonLiteral(v)) return undefined;
  // A value that names another object (the Secret that holds the password) is not the password.
  if (namesSecretByKey(key, v) || use.namesObject?.(v.trim())) return undefined;
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
export function detectCredentialsInText(text: string, use: CredentialContext = {}): CredentialHit[] {
  const out: CredentialHit[] = [];
  const whole = detectCredentialValue(text);
  // (a key the chart generates, `genPrivateKey`, is not in the repository: the settings around it still count)
  if (whole && whole.kind === 'private-key') {
    if (!use.generated?.(text)) return [whole];
    text = text.replace(/-{3,5}BEGIN [A-Z ]+-{3,5}[\s\S]*?-{3,5}END [A-Z ]+-{3,5}/g, '');
  }
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
      const hit = detectCredential(m[0], val, use);
      if (hit) out.push({ ...hit, setting: m[0] });
      continue;
    }
    if (!valueHints) continue;
    const v = use.generated?.(line) ? undefined : detectCredentialValue(line);
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

/** Generated strings shorter than this are only matched whole: a short one could occur in any text by chance. */
const MIN_GENERATED_PART = 8;

/**
 * A test for values a Helm chart generated at render time (`randAlphaNum 16`, `genPrivateKey`, `genCA`), given
 * what the renderer recorded for the text: the value is one of them, holds one (a connection string built around
 * a generated password, a PEM block in a file) or is one base64-encoded (`randAlphaNum 16 | b64enc`).
 */
export function generatedTest(generated: ReadonlySet<string> | undefined): ((value: string) => boolean) | undefined {
  if (!generated?.size) return undefined;
  const parts = [...generated].filter((g) => g.length >= MIN_GENERATED_PART);
  const holds = (v: string) => generated.has(v) || parts.some((g) => v.includes(g));
  return (value) => {
    if (holds(value)) return true;
    const s = value.replace(/\s+/g, '');
    if (s.length < 8 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return false;
    return holds(Buffer.from(s, 'base64').toString('utf8'));
  };
}
