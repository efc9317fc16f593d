/**
 * Messages a policy or a custom rule computes (`messageExpression`) may quote the object they judge; when that
 * object holds secret values they are masked before the message is reported, in every output format.
 */
import { redact, redactUrls } from '../graph/credentials.js';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The Secret's values as written (base64 under data, plain under stringData) and decoded. */
function secretValues(object: unknown): string[] {
  if (!isObj(object) || object.kind !== 'Secret') return [];
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    const m = object[field];
    if (!isObj(m)) continue;
    for (const v of Object.values(m)) {
      if (typeof v !== 'string' || !v) continue;
      out.push(v);
      if (field === 'data') {
        const decoded = Buffer.from(v, 'base64').toString('utf8');
        if (decoded) out.push(decoded);
      }
    }
  }
  // longest first, so a value containing another is masked whole
  return out.filter((v) => v.trim().length >= 4).sort((a, b) => b.length - a.length);
}

/** The message with the object's secret values and any URL's inline password masked. */
export function redactSecrets(message: string, object: unknown): string {
  let out = message;
  for (const v of secretValues(object)) if (out.includes(v)) out = out.split(v).join(redact(v));
  return redactUrls(out);
}
