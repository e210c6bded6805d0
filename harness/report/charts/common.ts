/** What every chart shares: the Vega-Lite schema and look, the chart record, a case's label. */
import type { CaseResult } from '../../core/index.js';

export type VegaLiteSpec = Record<string, unknown>;

export interface ChartSpec {
  /** Stable id: the figure's anchor in the page and the browser test's handle. */
  id: string;
  title: string;
  caption: string;
  spec: VegaLiteSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const CONFIG = { font: 'system-ui, sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 10, titleFontSize: 11 } };
export const label = (c: CaseResult) => `${c.id}${c.simulated ? ' SIMULATED' : ''}${c.fakeSdk ? ' FAKE SDK' : ''}`;
