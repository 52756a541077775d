import { envoyBootstrap } from '@backendkit/xds-server';

const systemCa = { name: 'SYSTEM_CA_CERT', validationContext: { trustedCa: { filename: '/etc/ssl/certs/ca-certificates.crt' } } };

describe('envoyBootstrap secrets', () => {
  test('static secrets go under staticResources.secrets, as given', () => {
    const json = envoyBootstrap({ secrets: [systemCa] }) as { staticResources: { secrets?: unknown[] } };
    expect(json.staticResources.secrets).toEqual([systemCa]);
  });

  test('without secrets there is no secrets list', () => {
    const json = envoyBootstrap({ secrets: [] }) as { staticResources: Record<string, unknown> };
    expect('secrets' in json.staticResources).toBe(false);
  });

  test('a secret that is not an Envoy Secret fails the strict check', () => {
    expect(() => envoyBootstrap({ secrets: [{ name: 'x', validationContext: { trustedCa: { file: '/nope' } } }] })).toThrow(/invalid Envoy bootstrap/);
  });
});
