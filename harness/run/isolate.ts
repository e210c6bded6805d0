/**
 * Runs a case in its own child process under a watchdog. The child gets a budget per phase
 * (measure, then evaluate); past it the child is killed with SIGKILL and the case is recorded as
 * failed (timeout) with its last output lines. A child that dies (a driver's abort(), a segfault,
 * the OOM killer) costs that case only, recorded with its signal or exit code.
 */
import { fork } from 'node:child_process';
import type { MeasureProgress } from '../core/index.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import type { CaseFindings, CasePhase } from './execute-case.js';

export interface ChildJob {
  suiteFile: string;
  suiteText: string;
  caseId: string;
  index: number;
  runDir: string;
  model?: ResolvedModel;
  evaluate: boolean;
  samplesSuffix?: string;
}

export type ParentMessage = { type: 'job'; job: ChildJob } | { type: 'stop'; reason: string };
export type ChildMessage =
  | { type: 'log'; line: string }
  | { type: 'phase'; phase: CasePhase }
  | { type: 'progress'; done: number; total: number; rate: number }
  | { type: 'measure-progress'; progress: MeasureProgress }
  | { type: 'done'; findings: CaseFindings };

export interface IsolationHooks {
  /** Seconds allowed for each phase. */
  budgets: { measure: number; peers: number; evaluate: number };
  signal?: AbortSignal;
  log?: (line: string) => void;
  progress?: (done: number, total: number, rate: number) => void;
  measureProgress?: (p: MeasureProgress) => void;
  /** Told the child's pid once it starts (for operators, and for the fault-injection tests). */
  started?: (pid: number) => void;
}

/** Watchdog budgets (seconds): the suite's, or generous multiples of what the case should take. */
export function caseBudgets(c: Case, images: number, datasetTimeout: number | 'auto' = 'auto'): { measure: number; peers: number; evaluate: number } {
  const measure = c.measure.timeout === 'auto' ? c.measure.warmup.duration + c.measure.maxDuration * 1.5 + 60 : c.measure.timeout;
  const evaluate = datasetTimeout === 'auto' ? 300 + images * 0.5 : datasetTimeout;
  // Each vendor tool has its own timeout (peers/tools.ts): three times the policy's longest run plus a minute.
  const peers = c.peers.length * (3 * (c.measure.warmup.duration + c.measure.maxDuration) + 60) + 30;
  return { measure, peers, evaluate };
}

const PHASE_WORDS: Record<CasePhase, string> = { measure: 'measurement', peers: 'the vendor tools (peers)', evaluate: 'accuracy evaluation' };

const CHILD_URL = new URL('./case-child.js', import.meta.url);
const KEEP_LINES = 20;

export function runCaseIsolated(job: ChildJob, hooks: IsolationHooks): Promise<CaseFindings> {
  return new Promise((resolve) => {
    const child = fork(CHILD_URL, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [], serialization: 'advanced' });
    const tail: string[] = [];
    const remember = (line: string) => {
      if (!line.trim()) return;
      tail.push(line.trim());
      if (tail.length > KEEP_LINES) tail.shift();
    };
    const keep = (chunk: Buffer) => chunk.toString('utf8').split(/\r?\n/).forEach(remember);
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let findings: CaseFindings | undefined;
    let phase: CasePhase = 'measure';
    let timedOut: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      const seconds = hooks.budgets[phase];
      timer = setTimeout(() => {
        timedOut = `timed out after ${seconds} s in ${PHASE_WORDS[phase]}`;
        child.kill('SIGKILL');
      }, seconds * 1000);
    };
    const stop = () => {
      if (child.connected) child.send({ type: 'stop', reason: String(hooks.signal?.reason ?? 'SIGINT') } satisfies ParentMessage);
    };
    hooks.signal?.addEventListener('abort', stop, { once: true });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'log') {
        remember(m.line);
        hooks.log?.(m.line);
      } else if (m.type === 'phase') {
        phase = m.phase;
        arm();
      } else if (m.type === 'progress') hooks.progress?.(m.done, m.total, m.rate);
      else if (m.type === 'measure-progress') hooks.measureProgress?.(m.progress);
      else if (m.type === 'done') findings = m.findings;
    });
    child.on('spawn', () => {
      if (child.pid) hooks.started?.(child.pid);
      arm();
      child.send({ type: 'job', job } satisfies ParentMessage);
      if (hooks.signal?.aborted) stop();
    });
    child.on('error', (err) => {
      if (!findings) findings = { status: 'failed', error: { kind: 'infrastructure', message: `could not start the case process: ${err.message}` }, notes: [] };
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      hooks.signal?.removeEventListener('abort', stop);
      const last = tail.length ? `; last output: ${tail.slice(-5).join(' | ')}` : '';
      if (timedOut) {
        resolve({ status: 'failed', error: { kind: 'infrastructure', message: `${timedOut}: the case process was killed${last}` }, notes: [`timeout: killed after its ${phase} budget`] });
      } else if (findings) {
        resolve(findings);
      } else {
        const how = signal ? `was killed by ${signal}${signal === 'SIGABRT' ? ' (abort() in the runtime or driver)' : signal === 'SIGSEGV' ? ' (a segfault)' : signal === 'SIGKILL' ? ' (the OOM killer or an operator)' : ''}` : `exited with code ${code}`;
        resolve({ status: 'failed', error: { kind: 'infrastructure', message: `the case process ${how} during ${PHASE_WORDS[phase]}${last}` }, notes: [] });
      }
    });
  });
}
