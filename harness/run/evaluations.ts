/**
 * Which cases score accuracy: once per evaluation key (threads do not change what a model
 * predicts), never on a simulated device (no model runs) nor with synthetic weights.
 */
import type { Dataset } from '../accuracy/dataset.js';
import { evaluationKey, refusedForSynthetic } from '../accuracy/index.js';
import { NO_ACCURACY, type AccuracySummary, type CaseResult } from '../core/index.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';

export class Evaluations {
  private readonly known = new Map<string, AccuracySummary>();

  constructor(
    private readonly dataset: Dataset | undefined,
    private readonly scored: ReadonlySet<string>,
  ) {}

  /** Accuracy already scored in the journal being resumed is not scored again. */
  remember(cases: readonly Case[], results: Iterable<CaseResult>): void {
    for (const r of results) {
      const c = cases.find((x) => x.id === r.id);
      if (c && r.accuracy?.status === 'ok') this.known.set(evaluationKey(c), r.accuracy);
    }
  }

  /** What the case's result says about accuracy before it runs, or that it must be evaluated. */
  decide(c: Case, model: ResolvedModel | undefined): { known?: AccuracySummary; evaluate?: Dataset } {
    if (!this.dataset || !this.scored.has(c.key.model)) return {};
    let known = this.known.get(evaluationKey(c));
    if (!known && c.target.simulated) known = { status: 'refused', reason: NO_ACCURACY.simulated };
    if (!known && model?.weights === 'synthetic') known = refusedForSynthetic();
    return known ? { known } : { evaluate: this.dataset };
  }

  record(c: Case, accuracy: AccuracySummary | undefined): void {
    if (accuracy) this.known.set(evaluationKey(c), accuracy);
  }
}
