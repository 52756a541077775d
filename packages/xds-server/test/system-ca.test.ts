import { fromBinary } from '@bufbuild/protobuf';
import type { EnvoyCluster } from '@backendkit/core';
import { secret } from '@backendkit/xds-types';
import { CLUSTER_TYPE, SECRET_TYPE, snapshotFromTranslation, SYSTEM_CA_SECRET_NAME, systemCaOverAds } from '@backendkit/xds-server';
import { systemCaBackendYaml, translate } from './fixtures';

const TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const systemCaTls = {
  '@type': TLS,
  commonTlsContext: { combinedValidationContext: { defaultValidationContext: {}, validationContextSdsSecretConfig: { name: SYSTEM_CA_SECRET_NAME } } },
};
const ADS = { ads: {}, resourceApiVersion: 'V3' };

const btpYaml = systemCaBackendYaml('192.0.2.10', 443, 'secure.example');

describe('the system CA secret', () => {
  it('gives each name-only SYSTEM_CA_CERT reference ADS as its source, wherever it sits, and leaves the rest alone', () => {
    const cluster = {
      name: 'c',
      transportSocket: { name: 'envoy.transport_sockets.tls', typedConfig: systemCaTls },
      transportSocketMatches: [
        {
          name: 'm',
          transportSocket: { name: 'envoy.transport_sockets.upstream_proxy_protocol', typedConfig: { transportSocket: { typedConfig: systemCaTls } } },
        },
      ],
    } as unknown as EnvoyCluster;
    const served = systemCaOverAds(cluster) as unknown as typeof cluster & Record<string, never>;
    const json = JSON.parse(JSON.stringify(served));
    expect(json.transportSocket.typedConfig.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig).toEqual({
      name: SYSTEM_CA_SECRET_NAME,
      sdsConfig: ADS,
    });
    expect(
      json.transportSocketMatches[0].transportSocket.typedConfig.transportSocket.typedConfig.commonTlsContext.combinedValidationContext
        .validationContextSdsSecretConfig,
    ).toEqual({
      name: SYSTEM_CA_SECRET_NAME,
      sdsConfig: ADS,
    });
    // The translation's own object is not changed, and the same cluster gives the same served object.
    expect(systemCaTls.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig).toEqual({ name: SYSTEM_CA_SECRET_NAME });
    expect(systemCaOverAds(cluster)).toBe(served);
    const other = {
      name: 'o',
      transportSocket: { name: 'tls', typedConfig: { '@type': TLS, commonTlsContext: { validationContextSdsSecretConfig: { name: 'mine' } } } },
    } as unknown as EnvoyCluster;
    expect(systemCaOverAds(other)).toBe(other);
  });

  it('is in the snapshot of a translation, from the bundle given, and the System clusters fetch it over ADS', () => {
    const result = translate(btpYaml);
    const snapshot = snapshotFromTranslation(result, { systemCaBundle: '/etc/pki/tls/certs/ca-bundle.crt' });
    const served = snapshot.resources(SECRET_TYPE).get(SYSTEM_CA_SECRET_NAME)!;
    const message = fromBinary(secret.SecretSchema, served.any.value);
    expect(message.type.case === 'validationContext' && message.type.value.trustedCa?.specifier).toEqual({
      case: 'filename',
      value: '/etc/pki/tls/certs/ca-bundle.crt',
    });
    const clusterBytes = Buffer.from(snapshot.resources(CLUSTER_TYPE).get('backend_default_secure_0')!.any.value).toString('latin1');
    expect(clusterBytes).toContain(SYSTEM_CA_SECRET_NAME);
    // Without a bundle: no secret, and the cluster as translated (a static secret answers).
    const none = snapshotFromTranslation(result, { systemCaBundle: false });
    expect(none.types()).not.toContain(SECRET_TYPE);
    expect(none.typeVersion(CLUSTER_TYPE)).not.toBe(snapshot.typeVersion(CLUSTER_TYPE));
    // The default bundle is the system one.
    const byDefault = fromBinary(secret.SecretSchema, snapshotFromTranslation(result).resources(SECRET_TYPE).get(SYSTEM_CA_SECRET_NAME)!.any.value);
    expect(byDefault.type.case === 'validationContext' && byDefault.type.value.trustedCa?.specifier.value).toBe('/etc/ssl/certs/ca-certificates.crt');
  });
});
