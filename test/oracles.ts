/**
 * Reference tools installed by ../shared/tools/oracles.sh (the SARIF 2.1.0 schema, Microsoft's SARIF
 * multitool). Found the way that script reports them: $SARIF_SCHEMA / $SARIF_MULTITOOL, else its cache dir
 * ($ORACLES_DIR, default ~/.cache/k8s-audit-oracles). Tests that need them skip with a message when absent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cacheDir = process.env.ORACLES_DIR || path.join(os.homedir(), '.cache', 'k8s-audit-oracles');

function existing(envVar: string, fallback: string): string | undefined {
  const p = process.env[envVar] || fallback;
  return fs.existsSync(p) ? p : undefined;
}

export const SARIF_SCHEMA = existing('SARIF_SCHEMA', path.join(cacheDir, 'sarif', 'sarif-2.1.0.json'));
export const SARIF_MULTITOOL = existing('SARIF_MULTITOOL', path.join(cacheDir, 'sarif', 'Sarif.Multitool'));

export const ORACLES_HINT = 'run `eval "$(../shared/tools/oracles.sh)"` (needs the npm registry) to install it';
export const HELM_BIN = existing('HELM_BIN', path.join(cacheDir, 'bin', 'helm'));
export const KUBECTL_BIN = existing('KUBECTL_BIN', path.join(cacheDir, 'bin', 'kubectl'));
