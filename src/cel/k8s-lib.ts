/**
 * The CEL libraries the Kubernetes API server adds to the standard ones, for admission policies
 * (k8s.io/apiserver/pkg/cel/library): lists, strings, regex (RE2), URLs, IP and CIDR, quantity, format and
 * sets. Functions cel-js already has (indexOf, lastIndexOf, lowerAscii, upperAscii, split, substring, trim,
 * join on strings) are its own.
 */
import type * as CelModule from '@marcbachmann/cel-js';
import { compileGo } from '../util/re2.js';
import { Quantity, parseQuantity, quantityOfInt } from './quantity.js';
import { CIDR, IPAddr, KubeURL, parseCIDR, parseIP, parseURL } from './net.js';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from '../schema/names.js';

type Env = CelModule.Environment;
type Cel = typeof CelModule;

/** A namespace object, so that `sets.contains(a, b)` and `format.named(n)` resolve as receiver calls. */
class SetsNamespace {}
class StringsNamespace {}
class FormatNamespace {}

/** A named format of the format library: `validate` lists what is wrong with a string. */
export class KubeFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string | undefined,
  ) {}
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Prefix forms allow a trailing '-' (generateName): the name with an 'a' appended must be valid. */
const prefix = (f: (s: string) => string | undefined) => (s: string) => f(s.endsWith('-') ? `${s}a` : s);

const FORMATS: Record<string, (s: string) => string | undefined> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: prefix(dns1123Label),
  dns1123SubdomainPrefix: prefix(dns1123Subdomain),
  dns1035LabelPrefix: prefix(dns1035Label),
  labelValue,
  uri: (s) => (parseURL(s) ? undefined : 'must be a valid URI'),
  uuid: (s) => (UUID.test(s) ? undefined : 'must be a valid UUID'),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? undefined : 'must be a valid base64 string'),
  date: (s) => (DATE.test(s) && !Number.isNaN(Date.parse(s)) ? undefined : 'must be a valid date (YYYY-MM-DD)'),
  datetime: (s) => (DATETIME.test(s) ? undefined : 'must be a valid RFC 3339 date-time'),
};

function fail(message: string): never {
  throw new Error(message);
}

function index(i: bigint, size: number, what: string): number {
  if (i < 0n || i > BigInt(size)) fail(`${what}: index out of range: ${i}`);
  return Number(i);
}

/** CEL's ordering of comparable values (ints, doubles, strings, bools, quantities are not). */
function compare(a: unknown, b: unknown): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Quantity && b instanceof Quantity) return Number(a.compareTo(b));
  fail(`no such overload: cannot compare ${typeof a} and ${typeof b}`);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Map) && !(b instanceof Map)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in (b as object) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Go's strconv.Quote, as the strings library's quote gives it. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A value as `%s` shows it (cel-go's strings.format). */
function asString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return `[${v.map(asString).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${asString(k)}: ${asString(x)}`).join(', ')}}`;
  if (v && typeof v === 'object' && v.constructor?.name === 'UnsignedInt') return String((v as { valueOf(): unknown }).valueOf());
  if (v && typeof v === 'object' && 'name' in v && v.constructor?.name === 'Type') return String((v as { name: unknown }).name);
  return String(v);
}

function integerOf(v: unknown, clause: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v && typeof v === 'object' && v.constructor?.name === 'UnsignedInt') return BigInt((v as { valueOf(): bigint | number }).valueOf());
  fail(`error during formatting: ${clause} clause can only be used on integers, was given ${typeof v}`);
}

function special(n: number): string | undefined {
  return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : undefined;
}

/** `'%s is %d'.format([a, b])`: cel-go's strings.format clauses %s %d %f %e %b %o %x %X and %%. */
function formatString(template: string, args: unknown[]): string {
  let i = 0;
  return template.replace(/%(?:\.(\d+))?([%sdfeboxX]?)/g, (m, prec: string | undefined, c: string) => {
    if (c === '%') return '%';
    if (!c) fail(`could not parse formatting clause: unrecognized formatting clause "${m}"`);
    if (i >= args.length) fail(`index ${i} out of range`);
    const v = args[i++];
    const p = prec === undefined ? 6 : Number(prec);
    switch (c) {
      case 's':
        return asString(v);
      case 'd':
        if (typeof v === 'number') return special(v) ?? fail('error during formatting: decimal clause can only be used on integers, was given double');
        return String(integerOf(v, 'decimal'));
      case 'f':
        if (typeof v !== 'number' && typeof v !== 'bigint') fail('error during formatting: fixed-point clause can only be used on doubles');
        return special(Number(v)) ?? Number(v).toFixed(p);
      case 'e': {
        if (typeof v !== 'number' && typeof v !== 'bigint') fail('error during formatting: scientific clause can only be used on doubles');
        const sp = special(Number(v));
        if (sp) return sp;
        return Number(v).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      }
      case 'b':
        return integerOf(v, 'binary').toString(2);
      case 'o':
        return integerOf(v, 'octal').toString(8);
      default: {
        let hex: string;
        if (typeof v === 'string') hex = Buffer.from(v, 'utf8').toString('hex');
        else if (v instanceof Uint8Array) hex = Buffer.from(v).toString('hex');
        else hex = integerOf(v, 'hex').toString(16);
        return c === 'X' ? hex.toUpperCase() : hex;
      }
    }
  });
}

export function registerKubernetesLibraries(env: Env, cel: Cel): void {
  const fn = (sig: string, handler: (...a: never[]) => unknown) => env.registerFunction(sig, handler as (...a: unknown[]) => unknown);
  const { Optional } = cel;

  // Lists
  fn('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || compare(l[i - 1], x) <= 0));
  fn('list.sum(): dyn', (l: unknown[]) => {
    if (!l.length) return 0n;
    if (l[0] instanceof Quantity) return (l as Quantity[]).reduce((a, q) => a.plus(q.nanos));
    return (l as (bigint | number)[]).reduce((a, x) => {
      if (typeof a !== typeof x) fail('no such overload: sum of mixed numeric types');
      return (a as number) + (x as number);
    });
  });
  fn('list.min(): dyn', (l: unknown[]) => (l.length ? l.reduce((a, x) => (compare(x, a) < 0 ? x : a)) : fail('min called on empty list')));
  fn('list.max(): dyn', (l: unknown[]) => (l.length ? l.reduce((a, x) => (compare(x, a) > 0 ? x : a)) : fail('max called on empty list')));
  fn('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => equal(x, v))));
  fn('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (equal(l[i], v)) return BigInt(i);
    return -1n;
  });

  // Strings (the ones cel-js lacks)
  fn('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = [...s];
    return cps[index(i, cps.length, 'charAt')] ?? '';
  });
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    const parts = s.split(a);
    const k = Number(n);
    if (parts.length - 1 <= k) return parts.join(b);
    return parts.slice(0, k + 1).join(b) + a + parts.slice(k + 1).join(a);
  });
  fn('string.format(list): string', formatString);
  fn('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  env.registerType('StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  fn('StringsNamespace.quote(string): string', (_: unknown, s: string) => goQuote(s));

  // Regex, with Go's RE2
  const re2Matches = (s: string, p: string) => compileGo(p).test(s);
  fn('string.re2Matches(string): bool', re2Matches);
  fn('re2Matches(string, string): bool', re2Matches);
  fn('string.find(string): string', (s: string, p: string) => {
    const m = compileGo(p).matcher(s);
    return m.find() ? m.group() : '';
  });
  const findAll = (s: string, p: string, n: bigint) => {
    const out: string[] = [];
    const m = compileGo(p).matcher(s);
    while ((n < 0n || BigInt(out.length) < n) && m.find()) out.push(m.group() ?? '');
    return out;
  };
  fn('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n));
  fn('string.findAll(string, int): list<string>', findAll);

  // URLs
  env.registerType('kubernetes.URL', KubeURL);
  fn('url(string): kubernetes.URL', (s: string) => parseURL(s) ?? fail(`URL parse error during conversion from string: ${s}`));
  fn('isURL(string): bool', (s: string) => parseURL(s) !== undefined);
  fn('kubernetes.URL.getScheme(): string', (u: KubeURL) => u.scheme);
  fn('kubernetes.URL.getHost(): string', (u: KubeURL) => u.host);
  fn('kubernetes.URL.getHostname(): string', (u: KubeURL) => u.hostname);
  fn('kubernetes.URL.getPort(): string', (u: KubeURL) => u.port);
  fn('kubernetes.URL.getEscapedPath(): string', (u: KubeURL) => u.escapedPath);
  fn('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeURL) => u.query());

  // IP and CIDR
  env.registerType('net.IP', IPAddr);
  env.registerType('net.CIDR', CIDR);
  const ip = (s: string) => parseIP(s) ?? fail(`IP Address "${s}" parse error during conversion from string`);
  const cidr = (s: string) => parseCIDR(s) ?? fail(`network address parse error during conversion from string: ${s}`);
  fn('ip(string): net.IP', ip);
  fn('isIP(string): bool', (s: string) => parseIP(s) !== undefined);
  fn('net.IP.family(): int', (a: IPAddr) => BigInt(a.family));
  fn('net.IP.isUnspecified(): bool', (a: IPAddr) => a.isUnspecified());
  fn('net.IP.isLoopback(): bool', (a: IPAddr) => a.isLoopback());
  fn('net.IP.isLinkLocalMulticast(): bool', (a: IPAddr) => a.isLinkLocalMulticast());
  fn('net.IP.isLinkLocalUnicast(): bool', (a: IPAddr) => a.isLinkLocalUnicast());
  fn('net.IP.isGlobalUnicast(): bool', (a: IPAddr) => a.isGlobalUnicast());
  fn('string(net.IP): string', (a: IPAddr) => a.toString());
  fn('cidr(string): net.CIDR', cidr);
  fn('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined);
  fn('net.CIDR.containsIP(net.IP): bool', (c: CIDR, a: IPAddr) => c.containsIP(a));
  fn('net.CIDR.containsIP(string): bool', (c: CIDR, s: string) => c.containsIP(ip(s)));
  fn('net.CIDR.containsCIDR(net.CIDR): bool', (c: CIDR, d: CIDR) => c.containsCIDR(d));
  fn('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => c.containsCIDR(cidr(s)));
  fn('net.CIDR.ip(): net.IP', (c: CIDR) => c.ip);
  fn('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked());
  fn('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.prefix));
  fn('string(net.CIDR): string', (c: CIDR) => c.text);
  env.registerOperator('net.IP == net.IP', (a: IPAddr, b: IPAddr) => a.family === b.family && a.value === b.value);
  env.registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.prefix === b.prefix && a.ip.family === b.ip.family && a.ip.value === b.ip.value);

  // Quantity
  env.registerType('kubernetes.Quantity', Quantity);
  const quantity = (s: string) => parseQuantity(s) ?? fail(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${s}`);
  fn('quantity(string): kubernetes.Quantity', quantity);
  fn('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
  fn('kubernetes.Quantity.sign(): int', (q: Quantity) => q.sign());
  fn('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.isInteger());
  fn('kubernetes.Quantity.asInteger(): int', (q: Quantity) => q.asInteger());
  fn('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) => q.asApproximateFloat());
  fn('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => a.compareTo(b));
  fn('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.nanos > b.nanos);
  fn('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.nanos < b.nanos);
  fn('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(b.nanos));
  fn('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(quantityOfInt(b).nanos));
  fn('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(-b.nanos));
  fn('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(-quantityOfInt(b).nanos));
  fn('string(kubernetes.Quantity): string', (q: Quantity) => q.text);
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.nanos === b.nanos);

  // Format
  env.registerType('kubernetes.NamedFormat', KubeFormat);
  env.registerType('FormatNamespace', FormatNamespace);
  env.registerConstant('format', 'FormatNamespace', new FormatNamespace());
  for (const [name, check] of Object.entries(FORMATS)) {
    const f = new KubeFormat(name, check);
    fn(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => f);
  }
  fn('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: unknown, name: string) =>
    Object.hasOwn(FORMATS, name) ? Optional.of(new KubeFormat(name, FORMATS[name])) : Optional.none(),
  );
  fn('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: KubeFormat, s: string) => {
    const why = f.check(s);
    return why === undefined ? Optional.none() : Optional.of([why]);
  });

  // Sets
  env.registerType('SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  fn('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => equal(x, y))));
  fn('SetsNamespace.containsAny(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => equal(x, y))));
  fn('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => equal(x, y))));
}
