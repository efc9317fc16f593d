import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '..']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(here, up, 'package.json'), 'utf8'));
      if (pkg.name === 'k8s-audit') return String(pkg.version);
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
export const HOMEPAGE = 'https://github.com/k8s-audit/k8s-audit';

/** A rule's page (docs/rules/<id>.md, generated from its metadata): the SARIF helpUri and the docs link. */
export function ruleDocsUrl(id: string): string {
  return `${HOMEPAGE}/blob/v${VERSION}/docs/rules/${id}.md`;
}
