/**
 * The one way input is read. Everything k8s-audit reads from a scanned tree (manifests, guides, the
 * configuration, kustomize files, chart members, values files, CRD files) and standard input goes through
 * here, because the tree may be hostile: a FIFO blocks whoever opens it, `/dev/zero` behind a symbolic link
 * never ends, and a name that is not UTF-8 cannot be opened through a JavaScript string at all.
 *
 * - Only regular files are opened. The type is taken with stat() first (a FIFO, a device, a socket or a
 *   directory is described, never opened), and the open itself is non-blocking and checked again with
 *   fstat(), so a file swapped for a FIFO between the two cannot block either.
 * - At most `cap` bytes are read, in chunks; a file that grows past it (or lies about its size, as
 *   /proc files and devices do) is refused when the cap is crossed, not after reading all of it.
 * - Text is decoded as kubectl decodes it: UTF-8, a UTF-8 BOM dropped, UTF-16 with a BOM converted.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';

/** The largest input read, whatever reads it (a values file, a manifest, standard input). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Why a path was not read. `special`: not a regular file (the message is a noun phrase, "a FIFO (named pipe),
 * not a regular file", to follow "X is"); `too-large`: over the cap; `unreadable`: the system said no.
 */
export type ReadFailure = { kind: 'special' | 'too-large' | 'unreadable'; message: string };

export interface ReadOptions {
  /** Byte cap (default MAX_FILE_BYTES). */
  cap?: number;
  /** The message for a file over the cap (default: "the file is over the N MiB limit; it was not read"). */
  tooLarge?: (cap: number, size?: number) => string;
}

const CHUNK = 1 << 20;

/** What a non-regular file is, in words; undefined for a regular file. */
export function specialKind(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

export function mib(bytes: number): string {
  const m = bytes / 1048576;
  return Number.isInteger(m) ? String(m) : m.toFixed(1);
}

function defaultTooLarge(cap: number, size?: number): string {
  return size === undefined ? `the file holds more than the ${mib(cap)} MiB limit (reading stopped there); it was not read` : `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${mib(cap)} MiB limit; it was not read`;
}

/**
 * A path that held bytes that are not UTF-8 came back from readdir with U+FFFD in their place: it names a
 * different file, and the real one cannot be opened through a string.
 */
function cannotBeNamed(abs: string): boolean {
  return abs.includes('\uFFFD');
}

function unreadable(abs: string, e: unknown): ReadFailure {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  if (code === 'ENOENT' && cannotBeNamed(abs)) return { kind: 'unreadable', message: `its name is not valid UTF-8, so it cannot be opened by name (${escapeName(abs)})` };
  return { kind: 'unreadable', message: `cannot read the file: ${code}` };
}

/** The bytes of a regular file, at most `cap` of them. */
export function readBytes(abs: string, opts: ReadOptions = {}): { buf: Buffer } | { failure: ReadFailure } {
  const cap = opts.cap ?? MAX_FILE_BYTES;
  const tooLarge = (size?: number): { failure: ReadFailure } => ({ failure: { kind: 'too-large', message: (opts.tooLarge ?? defaultTooLarge)(cap, size) } });
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    return { failure: unreadable(abs, e) };
  }
  const special = specialKind(st);
  if (special) return { failure: { kind: 'special', message: `${special}, not a regular file` } };
  if (st.size > cap) return tooLarge(st.size);
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, the open returns instead of waiting
    // for a writer (it changes nothing for a regular file).
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  } catch (e) {
    return { failure: unreadable(abs, e) };
  }
  try {
    const again = specialKind(fs.fstatSync(fd));
    if (again) return { failure: { kind: 'special', message: `${again}, not a regular file` } };
    return readCapped((buf, off, len) => fs.readSync(fd, buf, off, len, null), cap, st.size, () => tooLarge());
  } catch (e) {
    return { failure: unreadable(abs, e) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Read with `read` until it returns 0, refusing at the first byte past `cap`. */
function readCapped(read: (buf: Buffer, off: number, len: number) => number, cap: number, sizeHint: number, tooLarge: () => { failure: ReadFailure }): { buf: Buffer } | { failure: ReadFailure } {
  // One buffer of the stated size plus one byte (so the end is seen in two reads); more only if it grows.
  let buf = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(sizeHint + 1, 8192)));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      if (len > cap) return tooLarge();
      const next = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(buf.length * 2, len + CHUNK)));
      buf.copy(next, 0, 0, len);
      buf = next;
    }
    const n = read(buf, len, buf.length - len);
    if (n === 0) break;
    len += n;
  }
  if (len > cap) return tooLarge();
  return { buf: len === buf.length ? buf : buf.subarray(0, len) };
}

/** Standard input, at most `cap` bytes: reading stops once the cap is crossed (`yes | k8s-audit -` ends). */
export async function readStream(stream: NodeJS.ReadableStream, cap = MAX_FILE_BYTES): Promise<{ buf: Buffer } | { failure: ReadFailure }> {
  const chunks: Buffer[] = [];
  let len = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    len += b.length;
    // Leaving the loop destroys the stream: nothing more is read or kept.
    if (len > cap) return { failure: { kind: 'too-large', message: `standard input exceeds ${mib(cap)} MiB; reading stopped there and none of it was linted` } };
    chunks.push(b);
  }
  return { buf: Buffer.concat(chunks, len) };
}

// ------------------------------------------------------------------ text

export type TextProblem =
  | { kind: 'binary'; message: string }
  | { kind: 'encoding'; message: string; line: number; column: number };

/**
 * Bytes as text, the way kubectl reads a manifest: it decodes through a UTF-8 decoder with a BOM override
 * (k8s.io/cli-runtime), so a UTF-8 BOM is dropped and UTF-16 LE/BE with a BOM is converted. UTF-32 has no
 * such override: kubectl takes a UTF-32 LE BOM for a UTF-16 one and fails on the NULs it then finds, and a
 * UTF-32 BE file is NUL bytes to it. Both are reported, by name, not decoded.
 */
export function decodeText(buf: Buffer): { text: string; encoding?: 'UTF-16LE' | 'UTF-16BE' } | { problem: TextProblem } {
  const utf32 = utf32Bom(buf);
  if (utf32) return { problem: { kind: 'encoding', message: `the file is ${utf32} (it starts with a ${utf32} byte order mark); kubectl does not decode UTF-32, so it fails on this file`, line: 1, column: 1 } };
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const encoding = buf[0] === 0xff ? 'UTF-16LE' : 'UTF-16BE';
    // Non-fatal, as Go's decoder: an unpaired surrogate or an odd last byte becomes U+FFFD.
    let text = new TextDecoder(encoding === 'UTF-16LE' ? 'utf-16le' : 'utf-16be').decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.includes('\0')) return { problem: { kind: 'binary', message: `the file is ${encoding} text holding NUL characters, not YAML or JSON` } };
    return { text, encoding };
  }
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) {
    return { problem: { kind: 'binary', message: 'the file is binary (it contains NUL bytes), not YAML or JSON text' } };
  }
  // isUtf8 validates in native code; a fatal TextDecoder costs several times more on large files.
  if (isUtf8(buf)) {
    let text = buf.toString('utf8');
    // A BOM is not part of the text (TextDecoder's rule, kept: it drops one, and we dropped a second).
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  }
  const bad = firstInvalidUtf8(buf);
  const before = buf.subarray(0, bad).toString('utf8');
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return { problem: { kind: 'encoding', message: `invalid UTF-8 byte 0x${buf[bad]?.toString(16).padStart(2, '0')}; YAML and JSON must be UTF-8`, line, column } };
}

function utf32Bom(b: Buffer): string | undefined {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32LE';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE';
  return undefined;
}

/**
 * Text for readers that want a string whatever the bytes (a template for its line positions, a values file
 * the renderer reports on itself): UTF-16 with a BOM decoded, a UTF-8 BOM dropped, bad bytes as U+FFFD.
 */
export function lenientText(buf: Buffer): string {
  const r = decodeText(buf);
  if ('text' in r) return r.text;
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A file's text (lenient decoding), or why it was not read. */
export function readTextLenient(abs: string, opts: ReadOptions = {}): { text: string } | { failure: ReadFailure } {
  const r = readBytes(abs, opts);
  return 'buf' in r ? { text: lenientText(r.buf) } : r;
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF (the second byte's allowed range).
    const d = b[i + 1];
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d >= 0xa0) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d >= 0x90)) return i;
    i += n + 1;
  }
  return b.length;
}

// ------------------------------------------------------------------ names

/**
 * A file name as it can be shown on one line, JSON-style: control characters escaped (`\n`, `\u001b`), bytes
 * that are not UTF-8 as `\xff` (a Buffer name), U+FFFD where a string already lost them.
 */
export function escapeName(name: string | Buffer): string {
  if (typeof name === 'string') return escapeControls(name);
  let out = '';
  let i = 0;
  while (i < name.length) {
    const bad = i + firstInvalidUtf8(name.subarray(i));
    out += escapeControls(name.subarray(i, bad).toString('utf8'));
    if (bad < name.length) out += `\\x${name[bad].toString(16).padStart(2, '0')}`;
    i = bad + 1;
  }
  return out;
}

function escapeControls(s: string): string {
  const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029\\]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Why a name cannot be scanned safely: not UTF-8 (it cannot be opened through a string), or a control character (it breaks every report line). */
export function oddName(name: Buffer): string | undefined {
  if (!isUtf8(name)) return 'its name is not valid UTF-8, so it cannot be opened by name';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name.toString('utf8'))) return 'its name holds a control character (a newline, a tab, an escape), which would break the report lines that name it';
  return undefined;
}
