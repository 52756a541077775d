import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stdoutWriter, type WriteFd } from '../src/stdout';
import { BIN } from './built-bin';

// The command's output goes out with writeSync on file descriptor 1 (docs/cli.md, "Standard
// output"): all of it, in order, through partial writes and a full pipe, and quietly dropped once
// the reader has gone.

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A file descriptor that takes at most `step` bytes a call and says EAGAIN on the calls listed. */
function fakeFd(step: number, busy: ReadonlySet<number> = new Set()) {
  const out: Buffer[] = [];
  let calls = 0;
  const write: WriteFd = (data) => {
    calls++;
    if (busy.has(calls)) throw errno('EAGAIN');
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    const taken = bytes.subarray(0, step);
    out.push(taken);
    return taken.length;
  };
  return { write, text: () => Buffer.concat(out).toString('utf8'), calls: () => calls };
}

describe('stdoutWriter', () => {
  test('writes each text whole, in one call when the descriptor takes it', () => {
    const fd = fakeFd(1 << 20);
    const print = stdoutWriter(fd.write);
    print('{"a": 1}\n');
    print('');
    print('ünïcode ✓\n');
    expect(fd.text()).toBe('{"a": 1}\nünïcode ✓\n');
    expect(fd.calls()).toBe(2);
  });

  test('goes on after a partial write and a full pipe, by bytes, so multi-byte text stays whole', () => {
    const fd = fakeFd(5, new Set([2, 4]));
    const print = stdoutWriter(fd.write);
    const text = 'héllo wörld, ✓✓✓ and more text after it';
    print(text);
    print('!');
    expect(fd.text()).toBe(`${text}!`);
    expect(fd.calls()).toBeGreaterThan(Buffer.byteLength(text) / 5);
  });

  test('drops the rest once the reader has gone (EPIPE), and throws any other error', () => {
    let calls = 0;
    const gone = stdoutWriter(() => {
      calls++;
      throw errno('EPIPE');
    });
    gone('first');
    gone('second');
    expect(calls).toBe(1);
    const full = stdoutWriter(() => {
      throw errno('ENOSPC');
    });
    expect(() => full('text')).toThrow('ENOSPC');
  });
});

describe('the built CLI writing into a pipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backendkit-stdout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Enough Backends that the output (about 2 MB) is many times what a pipe holds (64 KiB).
  const file = join(dir, 'many.json');
  const items = Array.from({ length: 2000 }, (_, i) => ({
    apiVersion: 'gateway.kgateway.dev/v1alpha1',
    kind: 'Backend',
    metadata: { name: `b${i}`, namespace: 'default' },
    spec: { static: { hosts: [{ host: `b${i}.example.com`, port: 80 }] } },
  }));
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));

  function run(read: (stdout: NodeJS.ReadableStream, done: () => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'translate', file, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      read(child.stdout, () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr }));
    });
  }

  test('a slow reader gets the whole document', async () => {
    const { code, stdout, stderr } = await run((stdout) => {
      // Read in bursts, so that the pipe fills and the CLI waits for it.
      stdout.pause();
      const timer = setInterval(() => {
        stdout.resume();
        setTimeout(() => stdout.pause(), 2);
      }, 10);
      stdout.on('end', () => clearInterval(timer));
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const document = JSON.parse(stdout) as { clusters: Array<{ name: string }> };
    expect(document.clusters).toHaveLength(2000);
    expect(stdout.endsWith('\n}\n')).toBe(true);
  }, 60_000);

  test('a reader that goes away early ends the run without a stack trace', async () => {
    const { code, stderr } = await run((stdout, done) => stdout.once('data', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
