/**
 * The `yaml` library (precise errors, positions) costs ~70 ms to load; a clean run never needs it, so it is
 * loaded synchronously on first use: for a document with an error or aliases, or a node to locate.
 */
import { createRequire } from 'node:module';
import type * as YAMLType from 'yaml';

let mod: typeof YAMLType | undefined;

export function yamlLib(): typeof YAMLType {
  return (mod ??= createRequire(import.meta.url)('yaml') as typeof YAMLType);
}

export type { YAMLType };
