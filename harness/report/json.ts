/** results.json: the whole results object, the file every other tool reads back. */
import type { TextExporter } from './exporter.js';
import type { RunResults } from '../core/index.js';

export const jsonExporter: TextExporter = {
  id: 'json',
  fileName: 'results.json',
  render: (results: RunResults) => JSON.stringify(results, null, 2) + '\n',
};
