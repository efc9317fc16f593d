/**
 * Files in a kustomize tree that no build uses. A directory holding a kustomization is built, never read file by
 * file: the YAML beside the kustomization (and in the folders below it that have none of their own) is what its
 * builds may draw on. Those that no build of the scan reads (patches kept commented out of kubebuilder's
 * config/default, crd/patches, a dead overlay file) are not objects anyone deploys, so they are not linted as
 * objects; one note per directory says which files they are, so dead files can still be found.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Expanded } from './expand.js';
import { displayPath, type Input } from './files.js';
import { realpathOrUndefined } from './sandbox.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface UnusedFiles {
  /** Manifest inputs that sit in a kustomize tree and that no build read. */
  unused: Set<Input>;
  /** One `kustomize-unused` note per directory, at the kustomization that owns it. */
  problems: Expanded['problems'];
}

/**
 * `kustomizations` are the kustomization directories found in the scan (components included: their files
 * are theirs); `claimed` holds the real paths of every file some build read.
 */
export function unusedKustomizeFiles(manifests: Input[], kustomizations: Input[], claimed: Set<string>, cwd: string): UnusedFiles {
  const owners = new Map<string, Input>();
  for (const k of kustomizations) owners.set(path.resolve(k.abs), k);
  const byDir = new Map<string, { owner: Input; files: string[] }>();
  const unused = new Set<Input>();
  for (const m of manifests) {
    if (claimed.has(realpathOrUndefined(m.abs) ?? m.abs)) continue;
    const owner = ownerOf(path.resolve(m.abs), owners);
    if (!owner) continue;
    unused.add(m);
    const dir = path.dirname(path.resolve(m.abs));
    let entry = byDir.get(dir);
    if (!entry) byDir.set(dir, (entry = { owner, files: [] }));
    entry.files.push(path.basename(m.abs));
  }
  const problems: Expanded['problems'] = [];
  for (const [dir, { owner, files }] of byDir) {
    const kfile = displayPath(cwd, kustomizationFile(owner.abs));
    const where = displayPath(cwd, dir) || '.';
    const list = files.sort().join(', ');
    const n = files.length;
    const message =
      `${n === 1 ? '1 file' : `${n} files`} in the kustomize directory ${where} ${n === 1 ? 'is' : 'are'} used by no kustomize build in the scan, ` +
      `so ${n === 1 ? 'it is' : 'they are'} not linted as ${n === 1 ? 'an object' : 'objects'}: ${list}`;
    problems.push({ file: kfile, line: 1, column: 1, problem: { kind: 'kustomize-unused', message } });
  }
  return { unused, problems };
}

/**
 * The nearest directory at or above the file's own that holds a kustomization of the scan (only kustomizations
 * found by this scan are owners, so the walk never reaches past what was scanned).
 */
function ownerOf(file: string, owners: Map<string, Input>): Input | undefined {
  let dir = path.dirname(file);
  for (;;) {
    const o = owners.get(dir);
    if (o) return o;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function kustomizationFile(dir: string): string {
  for (const n of KUSTOMIZATION_FILES) if (fs.existsSync(path.join(dir, n))) return path.join(dir, n);
  return path.join(dir, KUSTOMIZATION_FILES[0]);
}
