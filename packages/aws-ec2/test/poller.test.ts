import { Ec2Poller, createEc2Client, discoveryTarget, type PassReport } from '@backendkit/aws-ec2';
import { startFakeEc2, type FakeEc2 } from './helpers/fake-ec2';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TARGET = discoveryTarget('us-east-1', { accessKeyId: 'AKIDFAKEEXAMPLE00009', secretAccessKey: 'fake-secret-9' });

/**
 * Tracks every timer set through the global setTimeout while a test runs (the poller's, and the
 * SDK's): a timer is live until it fires or is cleared. `live.size === 0` means nothing is left.
 */
function trackTimers() {
  const live = new Set<unknown>();
  const realSet = global.setTimeout;
  const realClear = global.clearTimeout;
  const set = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = realSet(
      (...a: unknown[]) => {
        live.delete(handle);
        fn(...a);
      },
      ms,
      ...args,
    );
    live.add(handle);
    return handle;
  }) as typeof setTimeout);
  const clear = jest.spyOn(global, 'clearTimeout').mockImplementation((handle) => {
    live.delete(handle);
    realClear(handle);
  });
  return { live, restore: () => (set.mockRestore(), clear.mockRestore()) };
}

let tracker: ReturnType<typeof trackTimers>;
beforeEach(() => {
  tracker = trackTimers();
});
afterEach(() => tracker.restore());

const waitFor = async (check: () => boolean, ms = 2000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setImmediate(r));
  }
};

let fake: FakeEc2 | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Ec2Poller lifecycle', () => {
  test('polls every interval until stopped, then leaves no timers behind', async () => {
    fake = await startFakeEc2(() => ({ reservations: [[{ id: 'i-1', privateIp: '10.0.0.1', zone: 'us-east-1a' }]] }));
    const reports: PassReport[] = [];
    const poller = new Ec2Poller({ targets: () => [TARGET], endpoint: fake.endpoint, intervalMs: 30, timeoutMs: 10_000, onPass: (r) => reports.push(r) });

    const first = await poller.start();
    expect(first.targets[0]).toMatchObject({ instances: 1 });
    await waitFor(() => reports.length >= 3);
    expect(tracker.live.size).toBeGreaterThan(0); // the next pass is scheduled: the tracker sees it
    poller.stop();
    const passes = reports.length;
    expect(tracker.live.size).toBe(0);

    await new Promise((r) => setTimeout(r, 100)); // three intervals: nothing more may run
    expect(reports).toHaveLength(passes);
    expect(fake.requests).toHaveLength(passes);
  });

  test('stop() aborts a pass in flight: it ends at once, records nothing, and leaves no timers', async () => {
    let hang = false;
    fake = await startFakeEc2(() => (hang ? { hang: true } : { reservations: [[{ id: 'i-1', privateIp: '10.0.0.1', zone: 'us-east-1a' }]] }));
    const poller = new Ec2Poller({ targets: () => [TARGET], endpoint: fake.endpoint, intervalMs: 10, timeoutMs: 5000 });
    await poller.start();
    const before = poller.lookup(TARGET);
    expect(before).toMatchObject({ status: 'ok' });

    hang = true;
    await waitFor(() => fake!.requests.length >= 2); // the next pass is waiting on the server
    expect(tracker.live.size).toBeGreaterThan(0); // at least its 5 s deadline
    const started = Date.now();
    poller.stop();
    const report = await poller.runOnce(); // the pass in flight, now aborted
    expect(Date.now() - started).toBeLessThan(200);
    expect(report).toMatchObject({ stopped: true, targets: [] });
    expect(poller.lookup(TARGET)).toBe(before);
    expect(tracker.live.size).toBe(0);
  });

  test('a timed-out pass clears its timers too', async () => {
    fake = await startFakeEc2(() => ({ hang: true }));
    const poller = new Ec2Poller({ targets: () => [TARGET], endpoint: fake.endpoint, timeoutMs: 50 });
    const report = await poller.runOnce();
    expect(report.targets[0]!.failure).toMatchObject({ code: 'Timeout' });
    expect(tracker.live.size).toBe(0);
  });

  test('runOnce while a pass runs joins it instead of starting another', async () => {
    fake = await startFakeEc2(() => ({ reservations: [] }));
    const poller = new Ec2Poller({ targets: () => [TARGET], endpoint: fake.endpoint, timeoutMs: 10_000 });
    const [a, b] = await Promise.all([poller.runOnce(), poller.runOnce()]);
    expect(a).toBe(b);
    expect(fake.requests).toHaveLength(1);
  });

  test('targets are read before every pass: a target that goes away is forgotten, a new one is polled', async () => {
    fake = await startFakeEc2(() => ({ reservations: [] }));
    const other = discoveryTarget('eu-west-1', { accessKeyId: 'AKIDFAKEEXAMPLE00010', secretAccessKey: 'fake-secret-10' });
    let targets = [TARGET];
    const poller = new Ec2Poller({ targets: () => targets, endpoint: fake.endpoint, timeoutMs: 10_000 });
    await poller.runOnce();
    targets = [other];
    await poller.runOnce();
    expect(fake.requests.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(poller.lookup(TARGET)).toMatchObject({ status: 'pending' });
    expect(poller.lookup(other)).toMatchObject({ status: 'ok' });
  });

  test('a snapshot does not change when later passes finish', async () => {
    let ip = '10.0.0.1';
    fake = await startFakeEc2(() => ({ reservations: [[{ id: 'i-1', privateIp: ip, zone: 'us-east-1a' }]] }));
    const poller = new Ec2Poller({ targets: () => [TARGET], endpoint: fake.endpoint, timeoutMs: 10_000 });
    await poller.runOnce();
    const snapshot = poller.snapshot();
    ip = '10.0.0.2';
    await poller.runOnce();
    expect(snapshot.lookup(TARGET)).toMatchObject({ status: 'ok', instances: [{ privateIpAddress: '10.0.0.1' }] });
    expect(poller.lookup(TARGET)).toMatchObject({ status: 'ok', instances: [{ privateIpAddress: '10.0.0.2' }] });
  });

  test('a client that cannot be built fails that target only, as a DiscoveryError', async () => {
    fake = await startFakeEc2(() => ({ reservations: [] }));
    const other = discoveryTarget('eu-west-1', { accessKeyId: 'AKIDFAKEEXAMPLE00011', secretAccessKey: 'fake-secret-11' });
    const poller = new Ec2Poller({
      targets: () => [TARGET, other],
      timeoutMs: 200,
      createClient: (target) => {
        if (target.region === 'eu-west-1') throw new Error('no proxy configured');
        return createEc2Client(target, fake!.endpoint);
      },
    });
    const report = await poller.runOnce();
    expect(report.targets).toEqual([
      { id: TARGET.id, region: 'us-east-1', instances: 0 },
      { id: other.id, region: 'eu-west-1', failure: { reason: 'DiscoveryError', message: 'no proxy configured' } },
    ]);
  });

  test('a targets callback that throws does not end the polling or lose what was found', async () => {
    fake = await startFakeEc2(() => ({ reservations: [] }));
    let fail = false;
    const poller = new Ec2Poller({
      targets: () => {
        if (fail) throw new Error('cache not synced');
        return [TARGET];
      },
      endpoint: fake.endpoint,
      timeoutMs: 200,
    });
    await poller.runOnce();
    fail = true;
    const report = await poller.runOnce();
    expect(report.error).toBe('cannot list targets: cache not synced');
    expect(poller.lookup(TARGET)).toMatchObject({ status: 'ok' });
  });
});
