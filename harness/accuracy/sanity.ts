/**
 * Run-time checks that catch silent accuracy bugs on every backend: logits that are NaN or the
 * same for every class (a broken artifact or runtime: nothing to score), and predictions that
 * collapse onto one class (typically a wrong input encoding: colour order, layout, NV12, scale).
 */

/** Why the first batch's logits cannot be scored, or undefined when they look like logits. */
export function firstBatchProblem(logits: Float32Array, rows: number, classes: number): string | undefined {
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return `the first batch's logits are not finite (image ${r + 1} of the batch, class ${bad}: ${row[bad]}): the artifact or the runtime is broken`;
    if (classes > 1 && row.every((v) => v === row[0])) {
      return `the first batch's logits are constant (image ${r + 1} of the batch: every one of ${classes} classes scores ${row[0]}): the artifact, its input or the runtime is broken`;
    }
  }
  return undefined;
}

export const COLLAPSE_WINDOW = 100;
/** Fewer images than this say nothing about a collapse. */
const COLLAPSE_MIN_IMAGES = 20;
/** More than this share of the window on one class is a collapse. */
const COLLAPSE_SHARE = 0.5;

/** Watches the top-1 predictions of the first COLLAPSE_WINDOW images. */
export class CollapseWatch {
  private readonly counts = new Map<number, number>();
  private seen = 0;

  add(top1: number): void {
    if (this.seen >= COLLAPSE_WINDOW) return;
    this.seen++;
    this.counts.set(top1, (this.counts.get(top1) ?? 0) + 1);
  }

  /** The warning, when the window collapsed onto one class. */
  warning(): string | undefined {
    if (this.seen < COLLAPSE_MIN_IMAGES) return undefined;
    let top = -1;
    let most = 0;
    for (const [cls, n] of this.counts) if (n > most) [top, most] = [cls, n];
    if (most <= COLLAPSE_SHARE * this.seen) return undefined;
    return `the model predicts class ${top} for ${most} of ${this.seen} images: input encoding?`;
  }
}
