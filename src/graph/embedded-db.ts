/** Recognise embedded single-writer databases (SQLite, BoltDB, LevelDB/RocksDB, H2, Derby) in configuration. */
import { keyWords } from './credentials.js';

export interface EmbeddedDb {
  engine: string;
  /** The fragment that gave it away (a URL, a path, a driver name). */
  evidence: string;
  /** For file contents: the setting inside the file. */
  setting?: string;
}

const URL_PATTERNS: { re: RegExp; engine: string }[] = [
  { re: /\b(?:jdbc:)?sqlite3?:(?:\/\/)?[^\s"',;]*/i, engine: 'SQLite' },
  { re: /\bjdbc:h2:(?!mem:|tcp:|ssl:|zip:)[^\s"',;]+/i, engine: 'H2' },
  { re: /\bjdbc:derby:(?!\/\/|memory:)[^\s"',;]+/i, engine: 'Derby' },
];

const FILE_EXT: { re: RegExp; engine: string }[] = [
  { re: /^[^\s:]*\.(?:sqlite3?|db3|sqlitedb)$/i, engine: 'SQLite' },
  { re: /^[^\s:]*\.(?:bolt|bbolt)$/i, engine: 'BoltDB' },
];

const ENGINE_NAMES: Record<string, string> = {
  sqlite: 'SQLite',
  sqlite3: 'SQLite',
  bolt: 'BoltDB',
  boltdb: 'BoltDB',
  bbolt: 'BoltDB',
  leveldb: 'LevelDB',
  rocksdb: 'RocksDB',
  h2: 'H2',
  derby: 'Derby',
};

const DB_WORDS = new Set(['db', 'database', 'datasource', 'store', 'storage', 'backend', 'engine', 'driver', 'dialect', 'type', 'kind', 'provider', 'persistence', 'dsn', 'url', 'uri', 'path', 'file', 'dir']);

function isPath(v: string): boolean {
  return /^(\/|\.\/|~\/)[^\s]*$/.test(v);
}

/** Detect an embedded database in one setting (key = env var / config key, value = its value). */
export function detectEmbeddedDb(key: string, value: string): EmbeddedDb | undefined {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (!v || v.includes('\n')) return undefined;
  for (const p of URL_PATTERNS) {
    const m = p.re.exec(v);
    if (m && !/:memory:|mode=memory/i.test(v)) {
      // "sqlite:" must be a scheme, not a word inside prose.
      if (p.engine === 'SQLite' && !/^(?:jdbc:)?sqlite3?:/i.test(v) && !/[=\s]sqlite3?:/i.test(v)) continue;
      return { engine: p.engine, evidence: m[0] };
    }
  }
  const words = keyWords(key);
  const dbKey = words.some((w) => DB_WORDS.has(w));
  if (dbKey) {
    for (const f of FILE_EXT) if (f.re.test(v)) return { engine: f.engine, evidence: v };
    const name = ENGINE_NAMES[v.toLowerCase()];
    if (name && words.some((w) => ['driver', 'engine', 'type', 'backend', 'dialect', 'kind', 'provider', 'store', 'storage', 'db', 'database'].includes(w))) return { engine: name, evidence: v };
  }
  // A key that names the engine and holds a path: LEVELDB_PATH=/data/ldb, ROCKSDB_DIR=/var/lib/x, SQLITE_FILE=/data/app.db.
  const named = words.map((w) => ENGINE_NAMES[w]).find(Boolean);
  if (named && isPath(v)) return { engine: named, evidence: v };
  return undefined;
}

const SETTING = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*(?:=|:)\s*(.*?)\s*,?\s*$/;

/** Scan a config file's text setting by setting. */
export function detectEmbeddedDbInText(text: string): EmbeddedDb | undefined {
  let section = '';
  for (const line of text.split('\n')) {
    if (/^\s*(#|\/\/|;)/.test(line)) continue;
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (sec) {
      section = sec[1];
      continue;
    }
    const m = SETTING.exec(line);
    if (!m) continue;
    const val = m[2].replace(/\s+#.*$/, '');
    const hit = detectEmbeddedDb(section ? `${section}_${m[1]}` : m[1], val);
    if (hit) return { ...hit, setting: section ? `${section}.${m[1]}` : m[1] };
  }
  return undefined;
}

/** Command-line flags: --db=/data/app.db, --storage.tsdb.path (no), --sqlite-path /x. */
export function detectEmbeddedDbInArgs(args: readonly string[]): { index: number; db: EmbeddedDb } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = /^--?([A-Za-z0-9_.-]+)=(.*)$/.exec(a);
    if (eq) {
      const hit = detectEmbeddedDb(eq[1], eq[2]);
      if (hit) return { index: i, db: { ...hit, setting: `--${eq[1]}` } };
      continue;
    }
    const flag = /^--?([A-Za-z0-9_.-]+)$/.exec(a);
    if (flag && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      const hit = detectEmbeddedDb(flag[1], args[i + 1]);
      if (hit) return { index: i + 1, db: { ...hit, setting: `--${flag[1]}` } };
      continue;
    }
    const url = detectEmbeddedDb('', a);
    if (url) return { index: i, db: url };
  }
  return undefined;
}
