/**
 * npm run bench:native — fidelity of the native driver on the simulated device. Configured
 * service times of 1000 us and 100 us on a K-core profile with 1/2/4/8 threads: measured mean
 * latency against the model (service x max(1, threads/K): queueing once threads exceed cores),
 * qps against the theoretical limit min(threads, K) / service, and the driver's own per-call
 * overhead at 0 us. Goals: <= 0.5% error at 1 ms, <= 2% at 100 us, overhead <= 5 us a call.
 *
 * K defaults to this machine's core count: K simulated cores each finish with a short spin, and
 * more spinners than real cores would measure the host's contention, not the driver.
 */
import { Option } from 'commander';
import os from 'node:os';
import { measureNative } from '../harness/measure/native.js';
import { loadNative } from '../harness/targets/native.js';
import { benchArgs, count, positiveSeconds } from './bench-args.js';

const { cores: K, seconds } = benchArgs<{ cores: number; seconds: number }>('bench:native', 'the native driver on the simulated device against its service-time model', (c) => c
  .addOption(new Option('--cores <k>', 'simulated device cores').argParser(count()).default(os.cpus().length, 'this machine\'s count'))
  .option('--seconds <s>', 'seconds per point', positiveSeconds, 2), ['', '--seconds 5']);
if (!loadNative().addon) {
  console.error(`bench:native needs the native addon: ${loadNative().reason}`);
  process.exit(3);
}
const runLength = { warmupSeconds: 0.2, warmupIterations: 10, minSeconds: seconds, minIterations: 100, maxSeconds: seconds * 5 };

console.log(`bench:native on a ${K}-core simulated device, ${seconds} s per point`);
console.log('service  threads   mean latency   model        ratio    qps         limit       ratio');
let worst1000 = 0;
let worst100 = 0;
for (const us of [1000, 100]) {
  for (const threads of [1, 2, 4, 8]) {
    const m = await measureNative({ backend: 'sim', artifact: '', options: { cores: K, fixed_us: us, device: `bench-${us}-${threads}` }, batch: 1, threads, runLength });
    const modelMs = (us / 1000) * Math.max(1, threads / K);
    const limit = (Math.min(threads, K) / us) * 1e6;
    const latRatio = m.pooled.mean / modelMs;
    const qpsRatio = m.throughput.qps / limit;
    const err = Math.max(Math.abs(latRatio - 1), Math.abs(qpsRatio - 1));
    if (us === 1000) worst1000 = Math.max(worst1000, err);
    else worst100 = Math.max(worst100, err);
    console.log(
      `${String(us).padStart(5)}us ${String(threads).padStart(8)}   ${(m.pooled.mean * 1000).toFixed(1).padStart(10)}us   ${(modelMs * 1000).toFixed(1).padStart(8)}us   ${latRatio.toFixed(4)}   ${m.throughput.qps.toFixed(0).padStart(8)}   ${limit.toFixed(0).padStart(8)}   ${qpsRatio.toFixed(4)}`,
    );
  }
}
const zero = await measureNative({ backend: 'sim', artifact: '', options: { cores: 1, fixed_us: 0, device: 'bench-zero' }, batch: 1, threads: 1, runLength: { ...runLength, minIterations: 100_000 } });
console.log(`\nworst error at 1000 us: ${(worst1000 * 100).toFixed(2)}% (goal <= 0.5%); at 100 us: ${(worst100 * 100).toFixed(2)}% (goal <= 2%)`);
console.log(`driver overhead at 0 us service: ${(zero.pooled.mean * 1000).toFixed(3)} us a call (p99 ${(zero.pooled.p99 * 1000).toFixed(3)} us; goal <= 5 us) over ${zero.pooled.n} calls`);
