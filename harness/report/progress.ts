/** Progress for long evaluations: a redrawn line on a TTY, a line every 10% otherwise. */
export function progressReporter(stream: NodeJS.WriteStream, label: string): (done: number, total: number, rate: number) => void {
  let lastDecile = -1;
  return (done, total, rate) => {
    const text = `${label} ${done}/${total} images, ${rate.toFixed(1)} img/s`;
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r      [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${text}${done === total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor((done / total) * 10);
    if (decile !== lastDecile && (decile > lastDecile || done === total)) {
      lastDecile = decile;
      stream.write(`      ${text}\n`);
    }
  };
}
