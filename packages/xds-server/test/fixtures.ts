import { createDefaultTranslator } from '@backendkit/preset';
import type { TranslationResult } from '@backendkit/core';

/** A Service with one port and its EndpointSlice, plus a static Backend: one EDS cluster, one static one. */
export function servicesYaml(endpoints: string[], staticHost = '192.0.2.10'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: shop, namespace: default}
spec:
  ports: [{name: http, port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: shop-1
  namespace: default
  labels: {kubernetes.io/service-name: shop}
addressType: IPv4
ports: [{name: http, port: 80}]
endpoints:
${endpoints.map((ip) => `- {addresses: [${ip}], conditions: {ready: true}, zone: zone-a}`).join('\n')}
---
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: web, namespace: default}
spec:
  static:
    hosts: [{host: ${staticHost}, port: 80}]
`;
}

/** A static Backend `default/secure` and a BackendTLSPolicy verifying it against the system CAs. */
export function systemCaBackendYaml(host: string, port: number, hostname: string): string {
  return `apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: {name: secure, namespace: default}
spec:
  static:
    hosts: [{host: ${host}, port: ${port}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: secure, namespace: default}
spec:
  targetRefs: [{group: gateway.kgateway.dev, kind: Backend, name: secure}]
  validation: {wellKnownCACertificates: System, hostname: ${hostname}}
`;
}

export function translate(yaml: string): TranslationResult {
  const result = createDefaultTranslator().translateText(yaml, { file: 'input.yaml' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture does not translate: ${JSON.stringify(errors)}`);
  return result;
}
