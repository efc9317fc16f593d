/**
 * kustomize's ImageTagTransformer (`images:`): name, tag, digest and tagSuffix on every container list and on
 * the image field specs, matched by a Go regexp of the image name.
 */
import { isObj, originOfKey, setKey, type Obj, type Origin } from './nodes.js';
import { IMAGE_VOLUMES, pathSegments } from './fieldspecs.js';
import { tryCompileGo } from '../../util/re2.js';
import { type Built, str } from './context.js';
import { visitField } from './select.js';

function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const off = slash > 0 ? slash : 0;
  const search = image.slice(off);
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += off;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += off;
    ic += off;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += off;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

/** The container images of kustomize's `images` field specs (its volume images are IMAGE_VOLUMES). */
const IMAGE_CONTAINER_PATHS = ['spec/containers/image', 'spec/initContainers/image', 'spec/template/spec/containers/image', 'spec/template/spec/initContainers/image'];

/**
 * `fieldPaths`: the image field specs the transformer runs after its legacy walk of every containers list
 * (the `images:` field: kustomize's built-in specs; an ImageTagTransformer: its own, if any).
 */
export function applyImage(res: Built[], img: Obj, at: Origin | undefined, fieldPaths: string[] = [...IMAGE_CONTAINER_PATHS, ...IMAGE_VOLUMES.map((f) => f.path)]): void {
  const name = str(img.name);
  // kustomize's image.IsImageMatched: the name is a Go regexp (RE2, as the kustomization gives it)
  const re = tryCompileGo(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  if (!re) return;
  const origin = originOfKey(img, img.newTag !== undefined ? 'newTag' : img.digest !== undefined ? 'digest' : img.newName !== undefined ? 'newName' : 'name') ?? at;
  const update = (holder: Obj, key: string) => {
    const v = holder[key];
    if (typeof v !== 'string' || !re.test(v)) return;
    let { name: n, tag, digest } = splitImage(v);
    if (img.newName !== undefined && str(img.newName)) n = str(img.newName);
    const newTag = str(img.newTag);
    const dig = str(img.digest);
    if (newTag && dig) {
      tag = newTag;
      digest = dig;
    } else if (newTag) {
      tag = newTag;
      digest = '';
    } else if (dig) {
      tag = '';
      digest = dig;
    } else if (str(img.tagSuffix)) {
      tag += str(img.tagSuffix);
      digest = '';
    }
    setKey(holder, key, `${n}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`, origin);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObj(node)) {
      for (const k of Object.keys(node)) {
        walk(node[k]);
        if ((k === 'containers' || k === 'initContainers') && Array.isArray(node[k])) for (const c of node[k] as unknown[]) if (isObj(c)) update(c, 'image');
      }
    }
  };
  for (const b of res) {
    if (str(b.obj.kind) === 'CustomResourceDefinition') continue;
    walk(b.obj);
    // kustomize runs its legacy filter (every containers list) and then its field specs, which list the pod
    // and pod-template containers again: an update that is not idempotent (tagSuffix) lands twice there
    for (const p of fieldPaths) visitField(b.obj, pathSegments(p.replace(/\[\]/g, '')), false, undefined, update);
  }
}
