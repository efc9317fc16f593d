/**
 * The values of Kubernetes' CEL IP, CIDR and URL libraries. IPs are parsed as the API server's library does:
 * no zones, no IPv4-mapped IPv6 forms, no leading zeros in IPv4 octets.
 */
import { createRequire } from 'node:module';

// node:net (and the stream modules it pulls in) loads when an IP is first parsed, not with the rules that may
// evaluate CEL: a one-file lint writing to a file or /dev/null never needs it (about 3 ms of CPU).
let isIP: ((s: string) => number) | undefined;
const netIsIP = (s: string): number => (isIP ??= (createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP)(s);

export class IPAddr {
  constructor(
    /** 4 for IPv4, 6 for IPv6. */
    readonly family: 4 | 6,
    /** The address as an unsigned integer of 32 or 128 bits. */
    readonly value: bigint,
    readonly text: string,
  ) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  toString(): string {
    return this.family === 4 ? v4Text(this.value) : v6Text(this.value);
  }

  isUnspecified(): boolean {
    return this.value === 0n;
  }

  isLoopback(): boolean {
    return this.family === 4 ? this.value >> 24n === 127n : this.value === 1n;
  }

  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.value >> 8n === 0xe00000n : this.value >> 112n === 0xff02n;
  }

  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.value >> 16n === 0xa9fen : this.value >> 118n === 0x3fan;
  }

  isGlobalUnicast(): boolean {
    if (this.isUnspecified() || this.isLoopback() || this.isLinkLocalUnicast() || this.isLinkLocalMulticast()) return false;
    if (this.family === 4) return this.value !== 0xffffffffn && this.value >> 28n !== 0xen;
    return this.value >> 120n !== 0xffn;
  }
}

export class CIDR {
  constructor(
    readonly ip: IPAddr,
    readonly prefix: number,
    readonly text: string,
  ) {}

  masked(): CIDR {
    const ip = new IPAddr(this.ip.family, this.ip.value & mask(this.ip.bits, this.prefix), '');
    return new CIDR(ip, this.prefix, `${ip.toString()}/${this.prefix}`);
  }

  containsIP(ip: IPAddr): boolean {
    if (ip.family !== this.ip.family) return false;
    const m = mask(this.ip.bits, this.prefix);
    return (ip.value & m) === (this.ip.value & m);
  }

  containsCIDR(c: CIDR): boolean {
    return c.ip.family === this.ip.family && c.prefix >= this.prefix && this.containsIP(c.ip);
  }
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

function v4Text(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

function v6Text(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - i * 16)) & 0xffffn));
  // the longest run of two or more zero groups becomes '::' (RFC 5952)
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The address `s` denotes, or undefined where the API server's CEL library refuses it. */
export function parseIP(s: string): IPAddr | undefined {
  const fam = netIsIP(s);
  if (fam === 4) {
    const parts = s.split('.');
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return new IPAddr(4, parts.reduce((a, p) => (a << 8n) | BigInt(Number(p)), 0n), s);
  }
  if (fam === 6) {
    if (s.includes('%') || s.includes('.')) return undefined; // zones and IPv4-mapped forms are refused
    const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return new IPAddr(6, groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), s);
  }
  return undefined;
}

export function parseCIDR(s: string): CIDR | undefined {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > ip.bits) return undefined;
  return new CIDR(ip, Number(p), s);
}

/** A URL as Go's url.ParseRequestURI takes it: an absolute URL or an absolute path. */
export class KubeURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly hostname: string,
    readonly port: string,
    readonly escapedPath: string,
    readonly rawQuery: string,
  ) {}

  query(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(this.rawQuery)) m.set(k, [...(m.get(k) ?? []), v]);
    return m;
  }
}

export function parseURL(s: string): KubeURL | undefined {
  if (/[\s\u0000-\u001f\u007f]/.test(s) || s.includes('#')) return undefined;
  if (s.startsWith('/')) {
    const q = s.indexOf('?');
    return new KubeURL('', '', '', '', q < 0 ? s : s.slice(0, q), q < 0 ? '' : s.slice(q + 1));
  }
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(s);
  if (!m) return undefined;
  const rest = m[2];
  if (!rest.startsWith('//')) {
    // opaque (mailto:x): Go keeps it; host and path are empty
    const q = rest.indexOf('?');
    return new KubeURL(m[1], '', '', '', '', q < 0 ? '' : rest.slice(q + 1));
  }
  const afterSlashes = rest.slice(2);
  const pathAt = afterSlashes.search(/[/?]/);
  const authority = pathAt < 0 ? afterSlashes : afterSlashes.slice(0, pathAt);
  const tail = pathAt < 0 ? '' : afterSlashes.slice(pathAt);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  let hostname = host;
  let port = '';
  const v6 = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
  if (v6) [hostname, port] = [v6[1], v6[2] ?? ''];
  else if (host.includes(':')) {
    const c = host.lastIndexOf(':');
    [hostname, port] = [host.slice(0, c), host.slice(c + 1)];
    if (!/^\d*$/.test(port)) return undefined;
  }
  const q = tail.indexOf('?');
  return new KubeURL(m[1], host, hostname, port, q < 0 ? tail : tail.slice(0, q), q < 0 ? '' : tail.slice(q + 1));
}
