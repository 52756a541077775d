import { compareAddresses } from '@backendkit/core/helpers';

describe('compareAddresses', () => {
  test('IPv4 numerically, then IPv6 numerically, then anything else', () => {
    const sorted = ['fd00::10', '10.0.0.10', 'zzz', '::ffff:192.0.2.1', '10.0.0.9', 'fd00::2', '9.255.255.255', '::1', 'fd00:0:0:0:0:0:0:3'].sort(
      compareAddresses,
    );
    expect(sorted).toEqual(['9.255.255.255', '10.0.0.9', '10.0.0.10', '::1', '::ffff:192.0.2.1', 'fd00::2', 'fd00:0:0:0:0:0:0:3', 'fd00::10', 'zzz']);
  });
});
