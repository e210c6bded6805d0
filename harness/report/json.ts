import type { Exporter } from './exporter.js';
import type { RunResults } from './results.js';

export const jsonExporter: Exporter = {
  id: 'json',
  fileName: 'results.json',
  render: (results: RunResults) => JSON.stringify(results, null, 2) + '\n',
};
