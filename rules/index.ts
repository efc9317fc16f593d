/** Every built-in rule, alphabetised by id. A test checks this list against the files in rules/. */
import type { Rule } from '../src/rule.js';
import duplicateKey from './duplicate-key.js';
import invalidObject from './invalid-object.js';
import serviceSelectorNoMatch from './service-selector-no-match.js';
import syntaxError from './syntax-error.js';
import unreadableFile from './unreadable-file.js';
import unusedSuppression from './unused-suppression.js';

export const rules: readonly Rule[] = [
  duplicateKey,
  invalidObject,
  serviceSelectorNoMatch,
  syntaxError,
  unreadableFile,
  unusedSuppression,
] as Rule[];
