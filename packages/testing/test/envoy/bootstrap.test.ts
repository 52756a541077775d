import { staticValidationSecrets, SYSTEM_CA_BUNDLE, validationBootstrap } from '@backendkit/testing/envoy';

const tls = (sds: Record<string, unknown>) => ({
  name: 'c',
  transportSocket: {
    typedConfig: { commonTlsContext: { combinedValidationContext: { defaultValidationContext: {}, validationContextSdsSecretConfig: sds } } },
  },
});

describe('validationBootstrap secrets', () => {
  test('a static validation secret a cluster names is given, trusting the system bundle', () => {
    const bootstrap = validationBootstrap({ clusters: [tls({ name: 'SYSTEM_CA_CERT' })] }) as { staticResources: { secrets?: unknown[] } };
    expect(bootstrap.staticResources.secrets).toEqual([{ name: 'SYSTEM_CA_CERT', validationContext: { trustedCa: { filename: SYSTEM_CA_BUNDLE } } }]);
  });

  test('a secret fetched over SDS (with sdsConfig) is not static, and no secret means no secrets list', () => {
    expect(staticValidationSecrets([tls({ name: 'remote', sdsConfig: { ads: {} } })])).toEqual([]);
    const bootstrap = validationBootstrap({ clusters: [{ name: 'plain' }] }) as { staticResources: Record<string, unknown> };
    expect('secrets' in bootstrap.staticResources).toBe(false);
  });
});
