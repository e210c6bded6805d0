/**
 * Vega-Lite spec -> standalone SVG string, in Node, with Vega's own SVG renderer (no DOM, no
 * canvas, no network: every spec carries its data inline). Loaded on first use, so the commands
 * that draw no chart never pay for it.
 */
import type { VegaLiteSpec } from './specs.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let libraries: Promise<[Vega, VegaLite]> | undefined;

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, vl] = await libraries;
  const compiled = vl.compile(spec as unknown as Parameters<VegaLite['compile']>[0]).spec;
  // A loader that refuses every fetch: a spec that asked for external data must fail here, not
  // reach the network from a report writer.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('report charts load no external data'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
