/**
 * kustomize's LabelTransformer and AnnotationsTransformer (`labels:`, `commonLabels:`, `commonAnnotations:`,
 * and their configs in `transformers:`): pairs set on the field specs that apply, maps created where asked.
 */
import { isObj, originOfKey, originOfNode, setKey, type Obj } from './nodes.js';
import { COMMON_LABELS, TEMPLATE_LABELS, VOLUME_CLAIM_TEMPLATE_LABELS, pathSegments, type FieldSpec } from './fieldspecs.js';
import { ConfigStack, toFieldSpecs } from './transformer-configs.js';
import { type Built, str, list } from './context.js';
import { specApplies, visitField } from './select.js';

export function applyMapField(res: Built[], specs: FieldSpec[], pairs: Obj, origins: Obj, skip?: (b: Built) => boolean): void {
  for (const b of res) {
    if (skip?.(b)) continue;
    for (const spec of specs) {
      if (!specApplies(spec, b.obj)) continue;
      const segs = pathSegments(spec.path);
      visitField(b.obj, segs, !!spec.create, originOfNode(pairs), (holder, key) => {
        let m = holder[key];
        if (m === undefined || m === null) {
          if (!spec.create) return;
          m = {};
          setKey(holder, key, m, originOfNode(pairs));
        }
        if (!isObj(m)) return;
        for (const [k, v] of Object.entries(pairs)) setKey(m, k, str(v), originOfKey(origins, k));
      });
    }
  }
}

/** The field specs of one `labels:` entry: selectors too, templates too, or metadata only, plus its own `fields`. */
export function labelsEntrySpecs(l: Obj, cfg: ReturnType<ConfigStack['current']>): FieldSpec[] {
  let specs: FieldSpec[];
  if (l.includeSelectors === true) specs = [...COMMON_LABELS, ...toFieldSpecs(cfg.commonLabels)];
  else {
    specs = [{ path: 'metadata/labels', create: true }];
    if (l.includeTemplates === true) specs = [...TEMPLATE_LABELS, ...specs];
    if (l.includeVolumeClaimTemplates === true) specs = [...specs, ...VOLUME_CLAIM_TEMPLATE_LABELS];
  }
  for (const f of list(l.fields)) if (isObj(f) && f.path) specs = [...specs, { path: str(f.path), kinds: f.kind ? [str(f.kind)] : undefined, group: f.group !== undefined ? str(f.group) : undefined, create: f.create === true }];
  return specs;
}
