/**
 * Small random edits of YAML documents, seeded so that a failure reproduces: a piece of YAML syntax inserted,
 * a few characters deleted, a line re-indented, and (with `duplicateLines`) a line written twice. The tests of
 * the block-YAML loader run them against js-yaml, and its position walk against the position tree.
 */
export function* yamlMutants(docs: readonly string[], opts: { count: number; seed: number; pieces: readonly string[]; duplicateLines?: boolean }): Generator<string> {
  let seed = opts.seed;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const ops = opts.duplicateLines ? 4 : 3;
  for (let n = 0; n < opts.count; n++) {
    let text = docs[rand(docs.length)];
    for (let edits = 1 + rand(3); edits > 0; edits--) {
      const at = rand(text.length + 1);
      const op = rand(ops);
      if (op === 0) text = text.slice(0, at) + opts.pieces[rand(opts.pieces.length)] + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rand(3));
      else if (op === 2) {
        // Re-indent a line.
        const start = text.lastIndexOf('\n', at - 1) + 1;
        text = text.slice(0, start) + ' '.repeat(rand(4)) + text.slice(start).replace(/^ {0,2}/, '');
      } else {
        // Duplicate a line.
        const start = text.lastIndexOf('\n', at - 1) + 1;
        const end = text.indexOf('\n', at);
        const line = text.slice(start, end < 0 ? undefined : end);
        text = text.slice(0, start) + line + '\n' + text.slice(start);
      }
    }
    yield text;
  }
}
