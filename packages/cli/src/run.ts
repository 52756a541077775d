// The command itself: what `backendkit` runs once bin.ts has chosen a build (docs/cli.md, "How the
// command starts"). Built twice: as ES modules that import the packages (dist/run.js), and as one
// self-contained CommonJS file (dist/run-standalone.cjs).
import { isatty } from 'node:tty';
import { runCli } from './main';
import { UsageError } from './io';
import { stdoutWriter } from './stdout';

/** Standard input, refused once more than `maxBytes` arrived (the rest is not read). */
function readStdin(maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        process.stdin.off('data', onData);
        process.stdin.pause();
        process.stdin.destroy();
        import('@backendkit/core/helpers').then(({ formatBytes }) =>
          reject(new UsageError(`cannot read standard input: it is larger than the limit of ${formatBytes(maxBytes)} (--max-input-bytes)`)),
        );
        return;
      }
      chunks.push(chunk);
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// Relative paths resolve against the working directory, as every command line tool does; the
// repository's `pnpm backendkit` script changes to the caller's folder first (docs/cli.md).
runCli(process.argv.slice(2), {
  // A terminal keeps the stream, which knows its console; files and pipes take writeSync (docs/cli.md).
  stdout: isatty(1) ? (text) => process.stdout.write(text) : stdoutWriter(),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  cwd: process.cwd(),
  color: process.stderr.isTTY === true && !process.env.NO_COLOR,
  tty: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
