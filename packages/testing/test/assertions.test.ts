import { AssertionError } from 'node:assert';
import type { Diagnostic, ResourceStatus } from '@backendkit/core';
import { staticPlugin } from '@backendkit/static';
import {
  expectAccepted,
  expectCondition,
  expectDiagnostic,
  expectDiagnostics,
  expectInvalid,
  expectNoDiagnostics,
  expectNoErrors,
  findDiagnostics,
  runTranslation,
  statusOf,
} from '@backendkit/testing';

const port: Diagnostic = {
  severity: 'error',
  code: 'invalid-field',
  path: 'spec.static.hosts[0].port',
  message: 'must be between 1 and 65535',
  plugin: '@backendkit/static',
};
const warn: Diagnostic = { severity: 'warning', code: 'port-ignored', path: 'spec.rules[0]', message: 'port is ignored on a Backend ref' };

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as AssertionError).message;
  }
  throw new Error('expected the call to fail');
}

describe('diagnostic assertions', () => {
  test('match by path, code, severity, plugin exactly and message by substring or pattern', () => {
    const all = [port, warn];
    expect(expectDiagnostic(all, { path: 'spec.static.hosts[0].port' })).toBe(port);
    expect(expectDiagnostic(all, { code: 'port-ignored', severity: 'warning' })).toBe(warn);
    expect(expectDiagnostic(all, { message: 'between 1 and' })).toBe(port);
    expect(expectDiagnostic(all, { message: /^port is/ })).toBe(warn);
    expect(findDiagnostics(all, { severity: 'error', plugin: '@backendkit/static' })).toEqual([port]);
    expect(findDiagnostics(all, { path: 'spec.static.hosts[0]' })).toEqual([]);
  });

  test('a failed match says what was looked for and lists what there is', () => {
    expect(failure(() => expectDiagnostic([port, warn], { path: 'spec.static.hosts[0]', code: 'invalid-field' }))).toBe(
      'expected a diagnostic matching {path: "spec.static.hosts[0]", code: "invalid-field"}\n' +
        'the diagnostics are:\n' +
        '  error: spec.static.hosts[0].port: must be between 1 and 65535 [invalid-field from @backendkit/static]\n' +
        '  warning: spec.rules[0]: port is ignored on a Backend ref [port-ignored]',
    );
    expect(failure(() => expectDiagnostic([], { message: /x/ }))).toBe('expected a diagnostic matching {message: /x/}\nthere are no diagnostics');
  });

  test('expectDiagnostics wants exactly the listed ones, in any order, and names missing and extra ones', () => {
    expect(() => expectDiagnostics([port, warn], [{ code: 'port-ignored' }, { path: 'spec.static.hosts[0].port' }])).not.toThrow();
    const message = failure(() => expectDiagnostics([port, warn], [{ code: 'port-ignored' }, { code: 'exactly-one-type' }]));
    expect(message).toContain(
      'diagnostics differ from the 2 expected:\n  missing: {code: "exactly-one-type"}\n  unexpected: error: spec.static.hosts[0].port: must be between 1 and 65535',
    );
    // One diagnostic cannot satisfy two matches.
    expect(failure(() => expectDiagnostics([port], [{ code: 'invalid-field' }, { code: 'invalid-field' }]))).toContain('missing: {code: "invalid-field"}');
  });

  test('expectNoErrors lets warnings through; expectNoDiagnostics does not', () => {
    expect(() => expectNoErrors([warn])).not.toThrow();
    expect(failure(() => expectNoErrors([warn, port]))).toBe('expected no errors, got 1:\n  error: spec.static.hosts[0].port: must be between 1 and 65535');
    expect(failure(() => expectNoDiagnostics({ diagnostics: [warn] }))).toBe(
      'expected no diagnostics, got 1:\n  warning: spec.rules[0]: port is ignored on a Backend ref',
    );
  });

  test('take the diagnostics of a whole translation too', () => {
    const run = runTranslation('apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: a}\nspec: {static: {hosts: []}}\n', {
      plugins: [staticPlugin()],
    });
    expectDiagnostic(run, { path: 'spec.static.hosts', message: 'must list at least one host' });
    expectDiagnostic(run.result, { path: 'spec.static.hosts' });
  });
});

describe('status assertions', () => {
  const statuses: ResourceStatus[] = [
    {
      apiVersion: 'v',
      kind: 'Backend',
      namespace: 'default',
      name: 'ok',
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Backend accepted' }],
    },
    {
      apiVersion: 'v',
      kind: 'Backend',
      namespace: 'shop',
      name: 'bad',
      conditions: [
        { type: 'Accepted', status: 'False', reason: 'Invalid', message: 'Backend error: "spec: exactly one of the fields in [static] must be set"' },
        { type: 'EndpointsDiscovered', status: 'False', reason: 'NoMatchingInstances', message: 'no running instance matches' },
      ],
    },
  ];

  test('find a status by namespace/name or name (default namespace)', () => {
    expect(statusOf(statuses, 'ok').name).toBe('ok');
    expect(statusOf(statuses, { namespace: 'shop', name: 'bad' }).name).toBe('bad');
    expect(failure(() => statusOf(statuses, 'shop/ok'))).toBe('no status for shop/ok (statuses: Backend default/ok, Backend shop/bad)');
    expect(failure(() => statusOf(statuses))).toBe('expected one status to pick from, found 2 (Backend default/ok, Backend shop/bad); name the resource');
  });

  test('expectAccepted, expectInvalid and expectCondition pass on matching conditions', () => {
    expectAccepted(statuses, 'ok');
    expectInvalid(statuses, 'shop/bad', 'exactly one of the fields');
    expectInvalid(statuses, 'shop/bad', /\[static\]/);
    expect(expectCondition(statuses, 'shop/bad', { type: 'EndpointsDiscovered', status: 'False', reason: 'NoMatchingInstances' }).message).toBe(
      'no running instance matches',
    );
  });

  test('failures say which field is off and list the conditions', () => {
    expect(failure(() => expectAccepted(statuses, 'shop/bad'))).toBe(
      'Backend shop/bad condition Accepted: status is False, expected True; reason is Invalid, expected Accepted\n' +
        'its conditions are:\n' +
        '  Accepted=False Invalid: Backend error: "spec: exactly one of the fields in [static] must be set"\n' +
        '  EndpointsDiscovered=False NoMatchingInstances: no running instance matches',
    );
    expect(failure(() => expectInvalid(statuses, 'shop/bad', 'port'))).toContain(
      'message "Backend error: \\"spec: exactly one of the fields in [static] must be set\\"" does not match "port"',
    );
    expect(failure(() => expectCondition(statuses, 'ok', { type: 'ResolvedRefs' }))).toBe(
      'Backend default/ok has no ResolvedRefs condition\nits conditions are:\n  Accepted=True Accepted: Backend accepted',
    );
  });

  test('take the statuses of a translation run', () => {
    const run = runTranslation(
      'apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\nmetadata: {name: a}\nspec: {static: {hosts: [{host: 192.0.2.1, port: 80}]}}\n',
      { plugins: [staticPlugin()] },
    );
    expectAccepted(run);
    expectAccepted(run.result, 'default/a');
  });
});
