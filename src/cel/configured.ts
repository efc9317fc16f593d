/**
 * `policies:` of the configuration: ValidatingAdmissionPolicies and bindings kept outside the scanned tree (a
 * cluster's policy repository), read through the one bounded read path as `crds:` files are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSource } from '../parse/documents.js';
import { readTextLenient } from '../load/read.js';
import { BINDING_KIND, POLICY_KIND, compilePolicy, type Source } from './policy.js';

/** How many files a `policies:` directory may hold before the rest is left unread. */
const MAX_FILES = 2000;

/**
 * The policies and bindings in files, or directories of .yaml/.yml/.json files, relative to `baseDir`;
 * `missing` names the first path that does not exist, `invalid` a policy whose expressions do not compile.
 */
export function readPolicyFiles(list: readonly string[], baseDir: string): { sources: Source[] } | { missing: string } | { invalid: string } {
  const files: string[] = [];
  const walk = (p: string, depth: number) => {
    if (files.length >= MAX_FILES) return;
    const st = fs.statSync(p);
    if (st.isFile()) files.push(p);
    else if (st.isDirectory() && depth < 8)
      for (const n of fs.readdirSync(p).sort()) {
        const c = path.join(p, n);
        if (!n.startsWith('.') && (fs.statSync(c).isDirectory() || /\.(ya?ml|json)$/.test(n))) walk(c, depth + 1);
      }
  };
  for (const entry of list) {
    const abs = path.resolve(baseDir, entry);
    if (!fs.existsSync(abs)) return { missing: entry };
    walk(abs, 0);
  }
  const sources: Source[] = [];
  for (const f of files) {
    const read = readTextLenient(f);
    if (!('text' in read)) continue;
    for (const d of parseSource({ file: f, text: read.text, format: f.endsWith('.json') ? 'json' : 'yaml', origin: 'file', group: '' })) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const v = d.value as any;
      if (!v || typeof v !== 'object' || !String(v.apiVersion ?? '').startsWith('admissionregistration.k8s.io/')) continue;
      if (v.kind !== POLICY_KIND && v.kind !== BINDING_KIND) continue;
      const source: Source = { object: v, file: f };
      if (v.kind === POLICY_KIND) {
        // a policy the configuration names is the user's own: one that does not compile is a usage error
        const p = compilePolicy(source).problems[0];
        if (p) return { invalid: `${path.relative(baseDir, f) || f}: ValidatingAdmissionPolicy "${v.metadata?.name ?? ''}" ${p.path.join('.')}: ${p.message}` };
      }
      sources.push(source);
    }
  }
  return { sources };
}
