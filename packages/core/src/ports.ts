import { z } from 'zod';

const PORT_RANGE = 'must be between 1 and 65535';

/** A TCP/UDP port number, as every plugin that takes one validates it (same messages everywhere). */
export function portSchema(): z.ZodNumber {
  return z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: PORT_RANGE }).max(65535, { error: PORT_RANGE });
}

/** Whether `value` is a port number (1 to 65535): for ports read out of text, such as a URL. */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
