/** The k best classes of each row of logits: what evaluation keeps per image. */

/** Top-k of each row, by partial selection (k is 5, classes are 1000: no full sort). */
export function topK(logits: Float32Array, rows: number, classes: number, k: number): { index: Int32Array; score: Float32Array } {
  const index = new Int32Array(rows * k).fill(-1);
  const score = new Float32Array(rows * k).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const o = r * k;
    for (let c = 0; c < classes; c++) {
      const v = logits[base + c]!;
      if (v <= score[o + k - 1]!) continue;
      let j = k - 1;
      while (j > 0 && score[o + j - 1]! < v) {
        score[o + j] = score[o + j - 1]!;
        index[o + j] = index[o + j - 1]!;
        j--;
      }
      score[o + j] = v;
      index[o + j] = c;
    }
  }
  return { index, score };
}
