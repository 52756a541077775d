import type { EC2Client } from '@aws-sdk/client-ec2';
import { AssumedRoles, isAssumeRoleError, type AssumeRoleOptions } from './assume-role';
import type { Ec2Instance } from './instances';
import type { AwsCredentials } from '@backendkit/aws-common';
import { DEFAULT_MAX_REPLY_BYTES, DEFAULT_THROTTLE, classifyFailure, createEc2Client, describeAllInstances, isThrottling, type ThrottleOptions } from './live';
import type { DiscoveryFailure, DiscoveryState, DiscoveryTarget, InstanceSource } from './source';

export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

export interface Ec2PollerOptions {
  /** What to poll; read again before every pass (see `ec2Targets`). */
  targets: () => readonly DiscoveryTarget[];
  /** Time between the end of one pass and the start of the next. Default 30 s. */
  intervalMs?: number;
  /** A pass that takes longer is aborted and counts as failed. Default 10 s. */
  timeoutMs?: number;
  /** After throttled passes the interval doubles, up to this. Default 5 min. */
  maxBackoffMs?: number;
  /** EC2 endpoint override (LocalStack and the like), e.g. `http://localhost:4566`. */
  endpoint?: string;
  throttle?: Partial<ThrottleOptions>;
  /** Bytes of one DescribeInstances reply; a larger one fails the pass. Default 32 MiB. */
  maxReplyBytes?: number;
  /** How to build a client for a target; default `createEc2Client(target, endpoint)`. */
  createClient?: (target: DiscoveryTarget) => EC2Client;
  /** `auth.type: AssumeRole` targets: STS endpoint, renewal margin, session name (assume-role.ts). */
  assumeRole?: AssumeRoleOptions;
  /** Called after every completed pass, e.g. to translate again. */
  onPass?: (report: PassReport) => void;
}

export interface TargetReport {
  id: string;
  region: string;
  /** Instances found, when the call worked. */
  instances?: number;
  failure?: DiscoveryFailure;
}

export interface PassReport {
  targets: TargetReport[];
  /** True when `stop()` cut the pass short: nothing was recorded. */
  stopped: boolean;
  /** When the next scheduled pass starts (relevant while the poller runs). */
  nextDelayMs: number;
  /** Set when the pass could not run at all (the `targets` callback threw). */
  error?: string;
}

type Outcome = { ok: true; instances: Ec2Instance[] } | { ok: false; failure: DiscoveryFailure; throttled: boolean };

class PassTimeout extends Error {
  override name = 'PassTimeout';
}
class PollerStopped extends Error {
  override name = 'PollerStopped';
}

/**
 * Keeps EC2 instances fresh for a control plane: one `DescribeInstances` per distinct target per
 * pass, every `intervalMs`, each pass bounded by `timeoutMs`. A failed call keeps the instances of
 * the last call that worked (the plugin reports `Degraded`). The poller is itself an
 * `InstanceSource`; `snapshot()` freezes the current view for one translation.
 */
export class Ec2Poller implements InstanceSource {
  private states: ReadonlyMap<string, DiscoveryState> = new Map();
  /** One more per pass that replaced `states`: what incremental translation keys EC2 Backends on. */
  private passes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: { controller: AbortController; done: Promise<PassReport> } | undefined;
  private running = false;
  private throttledPasses = 0;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly throttle: ThrottleOptions;
  private readonly roles: AssumedRoles;

  constructor(private readonly options: Ec2PollerOptions) {
    this.roles = new AssumedRoles(options.assumeRole);
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.throttle = { ...DEFAULT_THROTTLE, ...options.throttle };
  }

  lookup(target: DiscoveryTarget): DiscoveryState {
    return lookupIn(this.states, target);
  }

  get cacheVersion(): number {
    return this.passes;
  }

  /** The current view, unaffected by passes that finish later. */
  snapshot(): InstanceSource {
    const states = this.states;
    return { lookup: (target) => lookupIn(states, target), cacheVersion: this.passes };
  }

  /** Runs a first pass, then keeps polling until `stop()`. Resolves with the first pass's report. */
  async start(): Promise<PassReport> {
    if (this.running) throw new Error('the poller is already running');
    this.running = true;
    const report = await this.runOnce();
    this.schedule(report.nextDelayMs);
    return report;
  }

  /** Clears the next pass's timer and aborts a pass in flight. The poller can be started again. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.current?.controller.abort(new PollerStopped('the poller was stopped'));
  }

  /** One pass now (or the one already in flight). Never rejects: failures are in the report. */
  runOnce(): Promise<PassReport> {
    if (this.current) return this.current.done;
    const controller = new AbortController();
    const done = this.pass(controller).finally(() => {
      this.current = undefined;
    });
    this.current = { controller, done };
    return done;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().then((report) => this.schedule(report.nextDelayMs));
    }, delayMs);
  }

  private async pass(controller: AbortController): Promise<PassReport> {
    let targets: DiscoveryTarget[];
    try {
      targets = distinct(this.options.targets());
    } catch (error) {
      // Keep the current view and the schedule: a bad listing must not end the polling.
      return { targets: [], stopped: false, nextDelayMs: this.intervalMs, error: `cannot list targets: ${(error as Error).message}` };
    }
    const deadline = setTimeout(() => controller.abort(new PassTimeout()), this.timeoutMs);
    const deadlineAt = performance.now() + this.timeoutMs;
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(targets.map((target) => this.poll(target, controller.signal, deadlineAt)));
    } finally {
      clearTimeout(deadline);
    }
    if (controller.signal.reason instanceof PollerStopped) return { targets: [], stopped: true, nextDelayMs: this.intervalMs };

    const next = new Map<string, DiscoveryState>();
    const reports: TargetReport[] = [];
    targets.forEach((target, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        next.set(target.id, { status: 'ok', instances: outcome.instances });
        reports.push({ id: target.id, region: target.region, instances: outcome.instances.length });
        return;
      }
      const lastGood = lastGoodOf(this.states.get(target.id));
      next.set(target.id, { status: 'failed', failure: outcome.failure, ...(lastGood ? { lastGood } : {}) });
      reports.push({ id: target.id, region: target.region, failure: outcome.failure });
    });
    this.states = next;
    this.passes++;

    const throttled = outcomes.some((o) => !o.ok && o.throttled);
    this.throttledPasses = throttled ? this.throttledPasses + 1 : 0;
    const nextDelayMs = throttled ? Math.min(this.maxBackoffMs, this.intervalMs * 2 ** this.throttledPasses) : this.intervalMs;
    const report: PassReport = { targets: reports, stopped: false, nextDelayMs };
    try {
      this.options.onPass?.(report);
    } catch {
      // A failing listener must not stop the polling.
    }
    return report;
  }

  private async poll(target: DiscoveryTarget, signal: AbortSignal, deadlineAt: number): Promise<Outcome> {
    let client: EC2Client | undefined;
    let resolved: Partial<AwsCredentials> | undefined;
    // For AssumeRole: the role's temporary credentials, so errors are cleaned of those too.
    let signing = target;
    const timedOut = (error?: unknown): Outcome => {
      const failure: DiscoveryFailure = {
        reason: 'DiscoveryError',
        code: 'Timeout',
        message: `DescribeInstances in ${target.region} did not finish within ${this.timeoutMs} ms`,
      };
      return { ok: false, failure, throttled: isThrottling(error) };
    };
    try {
      signing = await untilAborted(this.roles.signingTarget(target, signal), signal);
      client = this.options.createClient?.(signing) ?? createEc2Client(signing, this.options.endpoint);
      // What the credential chain finds (environment, profile, ...) is known only to the SDK; it is
      // resolved here so that a server echoing it can be redacted (docs/security.md).
      resolved = await untilAborted(resolvedCredentials(client), signal);
      const instances = await untilAborted(describeAllInstances(client, signal, this.throttle, this.options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES), signal);
      // Parsing a reply blocks the event loop, so the deadline's timer may not have run yet: a
      // result that comes after the deadline is discarded all the same.
      if (performance.now() > deadlineAt) return timedOut();
      return { ok: true, instances };
    } catch (error) {
      if (signal.reason instanceof PassTimeout) return timedOut(error);
      if (isAssumeRoleError(error)) return { ok: false, failure: error.failure, throttled: false };
      return { ok: false, failure: classifyFailure(error, signing, resolved), throttled: isThrottling(error) };
    } finally {
      client?.destroy();
    }
  }
}

/** Runs one pass over `targets` and returns what it found, for one-off use such as the CLI. */
export async function discoverOnce(
  targets: readonly DiscoveryTarget[],
  options: Omit<Ec2PollerOptions, 'targets' | 'intervalMs' | 'onPass'> = {},
): Promise<{ source: InstanceSource; report: PassReport }> {
  const poller = new Ec2Poller({ ...options, targets: () => targets });
  const report = await poller.runOnce();
  return { source: poller.snapshot(), report };
}

function lookupIn(states: ReadonlyMap<string, DiscoveryState>, target: DiscoveryTarget): DiscoveryState {
  return states.get(target.id) ?? { status: 'pending', message: `EC2 instances in ${target.region} have not been discovered yet` };
}

function lastGoodOf(state: DiscoveryState | undefined): readonly Ec2Instance[] | undefined {
  if (state?.status === 'ok') return state.instances;
  if (state?.status === 'failed') return state.lastGood;
  return undefined;
}

function distinct(targets: readonly DiscoveryTarget[]): DiscoveryTarget[] {
  const byId = new Map<string, DiscoveryTarget>();
  for (const target of targets) if (!byId.has(target.id)) byId.set(target.id, target);
  return [...byId.values()];
}

/** The credentials the client signs with; undefined for a client without a credential provider. */
async function resolvedCredentials(client: EC2Client): Promise<Partial<AwsCredentials> | undefined> {
  const provider = (client.config as { credentials?: unknown } | undefined)?.credentials;
  if (typeof provider !== 'function') return undefined;
  return (await (provider as () => Promise<Partial<AwsCredentials>>)()) ?? undefined;
}

/** Settles as soon as the signal aborts, even if the SDK is still resolving credentials. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
