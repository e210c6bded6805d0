/** The benchmarks' one option form: `--name N`, a number, with a default. */
export function numberOption(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}
