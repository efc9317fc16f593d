/**
 * `policies:` of the configuration: ValidatingAdmissionPolicies and bindings kept outside the scanned tree (a
 * cluster's policy repository), read through the one bounded read path as `crds:` files are.
 */
import path from 'node:path';
import { readConfiguredDocuments } from '../load/configured-files.js';
import { BINDING_KIND, POLICY_KIND, compilePolicy, type Source } from './policy.js';

/**
 * The policies and bindings in files, or directories of .yaml/.yml/.json files, relative to `baseDir`;
 * `missing` names the first path that does not exist, `invalid` a policy whose expressions do not compile.
 */
export function readPolicyFiles(list: readonly string[], baseDir: string): { sources: Source[] } | { missing: string } | { invalid: string } {
  const read = readConfiguredDocuments(list, baseDir);
  if ('missing' in read) return read;
  const sources: Source[] = [];
  for (const { file: f, value } of read.docs) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const v = value as any;
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
  return { sources };
}
