import { withPlainEnv } from '../src/plain-env';

test('withPlainEnv: a copy with every variable while the work runs, the real process.env afterwards, even after a throw', () => {
  const real = process.env;
  process.env.BACKENDKIT_PLAIN_ENV_TEST = 'set';
  try {
    const seen = withPlainEnv(() => ({ same: process.env === real, value: process.env.BACKENDKIT_PLAIN_ENV_TEST }));
    expect(seen).toEqual({ same: false, value: 'set' });
    expect(process.env).toBe(real);
    expect(() =>
      withPlainEnv(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(process.env).toBe(real);
  } finally {
    delete real.BACKENDKIT_PLAIN_ENV_TEST;
  }
});
