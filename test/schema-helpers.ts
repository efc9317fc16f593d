import { expect } from 'vitest';
import { validateLearnt, validateTracked } from '../src/schema/builtin.js';
import { convertErrors, unknownFields } from '../src/schema/validate.js';

type Validator = Parameters<typeof validateTracked>[0];

export type Variant = [what: string, change: (o: Record<string, any>) => void];

/**
 * validateLearnt against validateTracked for one validator: after a clean object is learnt, each variant of it
 * (variants 1-3 each add an unknown key) gets the same errors and unknown fields both ways, and a clean object
 * of the learnt shape needs no record at all (the saving). The validator must be one no other test of the file
 * runs through validateLearnt, so that what it learns is the caller's.
 */
export function expectLearntAnswersAsTracked(v: Validator, clean: () => Record<string, any>, variants: readonly Variant[]): void {
  const answer = (run: ReturnType<typeof validateTracked>) => ({ errors: convertErrors(run.errors, {}).map((i) => i.text), unknown: unknownFields(run.nodes).map((i) => i.text) });
  validateLearnt(v, clean()); // learns
  for (const [what, change] of variants) {
    const o = clean();
    change(o);
    expect(answer(validateLearnt(v, o)), what).toEqual(answer(validateTracked(v, o)));
  }
  expect(answer(validateTracked(v, variants.slice(1, 4).reduce((o, [, change]) => (change(o), o), clean()))).unknown).toHaveLength(3);
  expect(validateLearnt(v, clean()).nodes).toEqual([]);
}
