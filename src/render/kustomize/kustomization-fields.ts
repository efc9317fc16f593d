/**
 * A kustomization file read the way kustomize reads it: YAML turned into JSON and decoded into its Go
 * struct (types.Kustomization) with unknown fields refused. Go's JSON decoder matches field names without
 * regard to case (`patchesJSON6902` is `patchesJson6902`) and refuses a value of the wrong type (`patches:`
 * given as file names, a number as a label value); a kustomization with nothing but its kind and
 * apiVersion is refused as empty.
 */
import { deleteKey, isObj, originOfItem, originOfKey, setKey, type Obj, type Origin } from './nodes.js';

type FieldType = 'string' | 'strings' | 'stringMap' | 'struct' | 'structs';

/** Each field of types.Kustomization, its JSON shape, and the Go type kustomize's error names. */
const FIELDS: Record<string, [FieldType, string]> = {
  apiVersion: ['string', 'string'],
  kind: ['string', 'string'],
  metadata: ['struct', 'types.ObjectMeta'],
  openapi: ['stringMap', 'string'],
  namePrefix: ['string', 'string'],
  nameSuffix: ['string', 'string'],
  namespace: ['string', 'string'],
  commonLabels: ['stringMap', 'string'],
  labels: ['structs', 'types.Label'],
  commonAnnotations: ['stringMap', 'string'],
  patchesStrategicMerge: ['strings', 'types.PatchStrategicMerge'],
  patches: ['structs', 'types.Patch'],
  patchesJson6902: ['structs', 'types.Patch'],
  images: ['structs', 'types.Image'],
  imageTags: ['structs', 'types.Image'],
  replacements: ['structs', 'types.ReplacementField'],
  replicas: ['structs', 'types.Replica'],
  vars: ['structs', 'types.Var'],
  sortOptions: ['struct', 'types.SortOptions'],
  resources: ['strings', 'string'],
  components: ['strings', 'string'],
  crds: ['strings', 'string'],
  bases: ['strings', 'string'],
  configMapGenerator: ['structs', 'types.ConfigMapArgs'],
  secretGenerator: ['structs', 'types.SecretArgs'],
  helmGlobals: ['struct', 'types.HelmGlobals'],
  helmCharts: ['structs', 'types.HelmChart'],
  helmChartInflationGenerator: ['structs', 'types.HelmChartArgs'],
  generatorOptions: ['struct', 'types.GeneratorOptions'],
  configurations: ['strings', 'string'],
  generators: ['strings', 'string'],
  transformers: ['strings', 'string'],
  validators: ['strings', 'string'],
  buildMetadata: ['strings', 'string'],
};

const BY_LOWER = new Map(Object.keys(FIELDS).map((k) => [k.toLowerCase(), k]));

/**
 * Rename the fields written in another case to kustomize's spelling (Go's decoder takes them; when both
 * spellings are there, the later one wins, as in Go).
 */
export function normalizeFieldNames(k: Obj): void {
  for (const key of Object.keys(k)) {
    if (key in FIELDS) continue;
    const canonical = BY_LOWER.get(key.toLowerCase());
    if (!canonical) continue;
    const value = k[key];
    const origin = originOfKey(k, key);
    deleteKey(k, key);
    deleteKey(k, canonical);
    setKey(k, canonical, value, origin);
  }
}

/** The JSON type name Go's decoder reports for a value. */
function jsonType(v: unknown): string {
  if (v instanceof Date) return 'string';
  if (Array.isArray(v)) return 'array';
  if (isObj(v)) return 'object';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** YAML 1.1 words and numbers kustomize's YAML-to-JSON step (go-yaml v2) reads as booleans and numbers. */
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const YAML11_NUMBER = /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?|\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const YAML11_NULL = /^(~|null|Null|NULL)$/;

/**
 * The JSON type Go's decoder sees for a value: what the plain text was written as decides (`yes` is a
 * boolean, `1_000` a number, an unquoted timestamp is text), whatever k8s-audit's YAML 1.2 reading made of it.
 */
function goType(v: unknown, origin: Origin | undefined): string {
  if (origin?.raw !== undefined && Object.is(origin.rawValue, v) && typeof v === 'string') {
    if (YAML11_BOOL.test(origin.raw)) return 'bool';
    if (YAML11_NUMBER.test(origin.raw)) return 'number';
    if (YAML11_NULL.test(origin.raw)) return 'null';
  }
  if (v === null || v === undefined) return 'null';
  return jsonType(v);
}
const isGoString = (v: unknown, origin: Origin | undefined) => ['string', 'null'].includes(goType(v, origin));

/** The fields kustomize refuses for their type: the field, and kustomize's message. */
export function typeErrors(k: Obj): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const refuse = (key: string, v: unknown, goTypeName: string, field = `Kustomization.${key}`, origin?: Origin) =>
    out.push({ key, message: `invalid Kustomization: json: cannot unmarshal ${goType(v, origin)} into Go struct field ${field} of type ${goTypeName}` });
  for (const [key, v] of Object.entries(k)) {
    const spec = FIELDS[key];
    if (!spec || v === null || v === undefined) continue;
    const [shape, goType] = spec;
    switch (shape) {
      case 'string':
        if (!isGoString(v, originOfKey(k, key))) refuse(key, v, 'string', undefined, originOfKey(k, key));
        break;
      case 'strings':
        if (!Array.isArray(v)) refuse(key, v, `[]${goType}`);
        else {
          const i = v.findIndex((x, j) => !isGoString(x, originOfItem(v, j)));
          if (i >= 0) refuse(key, v[i], goType, undefined, originOfItem(v, i));
        }
        break;
      case 'stringMap':
        if (!isObj(v)) refuse(key, v, `map[string]${goType}`);
        else {
          const bad = Object.keys(v).find((x) => !isGoString(v[x], originOfKey(v, x)));
          if (bad !== undefined) refuse(key, v[bad], goType, undefined, originOfKey(v, bad));
        }
        break;
      case 'struct':
        if (!isObj(v)) refuse(key, v, goType);
        break;
      case 'structs':
        if (!Array.isArray(v)) refuse(key, v, `[]${goType}`);
        else {
          const bad = v.find((x) => x !== null && !isObj(x));
          if (bad !== undefined) refuse(key, bad, goType);
          else if (key === 'labels') {
            // a label's pairs are strings too (the decoder names the nested field Label.labels.pairs)
            for (const l of v) {
              const pairs = isObj(l) ? l.pairs : undefined;
              const badPair = isObj(pairs) ? Object.keys(pairs).find((x) => !isGoString(pairs[x], originOfKey(pairs, x))) : undefined;
              if (badPair !== undefined && isObj(pairs)) refuse(key, pairs[badPair], 'string', 'Label.labels.pairs', originOfKey(pairs, badPair));
            }
          } else if (key === 'images' || key === 'imageTags') {
            for (const img of v) {
              if (!isObj(img)) continue;
              for (const f of ['name', 'newName', 'newTag', 'digest', 'tagSuffix']) {
                const actual = Object.keys(img).find((x) => x.toLowerCase() === f.toLowerCase());
                if (actual !== undefined && !isGoString(img[actual], originOfKey(img, actual))) refuse(key, img[actual], 'string', `Image.${key}.${f}`, originOfKey(img, actual));
              }
            }
          }
        }
        break;
    }
  }
  return out;
}

/** Nothing but kind and apiVersion (or fields holding their zero value): kustomize's CheckEmpty refuses it. */
export function isEmptyKustomization(k: Obj): boolean {
  return Object.entries(k).every(([key, v]) => {
    if (key === 'apiVersion' || key === 'kind') return true;
    if (v === null || v === undefined || v === '' || v === false) return true;
    // metadata is a struct: an empty one is its zero value (a list or a map, even empty, is not)
    return key === 'metadata' && isObj(v) && Object.keys(v).length === 0;
  });
}
