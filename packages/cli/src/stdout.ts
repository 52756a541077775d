import { writeSync } from 'node:fs';

/** Writes bytes or text to standard output; returns how many bytes went out (may throw EAGAIN). */
export type WriteFd = (data: string | Uint8Array) => number;

/** File descriptor 1; the test is for the types: `writeSync` has one overload for text, one for bytes. */
const writeStdout: WriteFd = (data) => (typeof data === 'string' ? writeSync(1, data) : writeSync(1, data));

/** How long to wait before trying again a pipe that is full and does not block (docs/cli.md). */
const FULL_PIPE_WAIT_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The command's output, written at once with `writeSync` on file descriptor 1 rather than through
 * `process.stdout` (docs/cli.md, "Standard output"): the stream turns each piece into a `Buffer`
 * first, which was about an eighth of a large translation (docs/performance.md, "Writing the output").
 * Writes stay in order with standard error, as `process.stdout` keeps them for files and pipes.
 * When the reader has gone (`| head`), the rest of the output is dropped, without a stack trace.
 */
export function stdoutWriter(write: WriteFd = writeStdout): (text: string) => void {
  let closed = false;
  return (text) => {
    if (closed || text.length === 0) return;
    try {
      writeAll(write, text);
    } catch (error) {
      if (errorCode(error) !== 'EPIPE') throw error;
      closed = true;
    }
  };
}

/** All of `text`: a pipe may take part of it, or none for now (EAGAIN) when it does not block. */
function writeAll(write: WriteFd, text: string): void {
  const sent = attempt(write, text);
  const bytes = Buffer.byteLength(text);
  if (sent === bytes) return;
  // The rest, as bytes: a byte count does not say where in the text the write stopped.
  let rest = Buffer.from(text).subarray(sent);
  while (rest.length > 0) rest = rest.subarray(attempt(write, rest));
}

function attempt(write: WriteFd, data: string | Uint8Array): number {
  try {
    return write(data);
  } catch (error) {
    if (errorCode(error) !== 'EAGAIN') throw error;
    Atomics.wait(pause, 0, 0, FULL_PIPE_WAIT_MS);
    return 0;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
