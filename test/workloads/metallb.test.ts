import { ConfigError } from '../../config/config-error';
import { firstPoolAddress, MetallbAddressPools } from '../../constructs/edge/metallb-address-pools';
import { exampleConfig, objectNamed, objectsOfKind, synthObjectsOf } from './example-config';
import { emptyChart, validationErrors } from './synth-scope';

describe('MetalLB address pools (homelab)', () => {
  const objects = synthObjectsOf(exampleConfig('homelab'));

  it('makes an IPAddressPool of the seed range in metallb-system', () => {
    expect(objectNamed(objects, 'IPAddressPool', 'lan', 'metallb-system').spec).toEqual({
      addresses: ['192.168.1.101-192.168.1.102'],
      autoAssign: true,
    });
  });

  it('announces every pool on the LAN with one L2Advertisement', () => {
    const config = exampleConfig('homelab', {
      exposure: {
        metallb: {
          addressPools: [
            { name: 'lan', addresses: ['192.168.1.101-192.168.1.102'] },
            { name: 'lab', addresses: ['10.0.50.0/29'] },
          ],
        },
      },
    });
    const many = synthObjectsOf(config);
    expect(objectsOfKind(many, 'IPAddressPool').map((p) => p.metadata!.name)).toEqual(['lan', 'lab']);
    expect(objectNamed(many, 'L2Advertisement', 'switchyard', 'metallb-system').spec).toEqual({ ipAddressPools: ['lan', 'lab'] });
  });

  it("puts the edge's LoadBalancer on the first address of the first pool, so DNS can point at it", () => {
    const envoyService = objectNamed(objects, 'EnvoyProxy', 'switchyard', 'ai-edge').spec.provider.kubernetes.envoyService;
    expect(envoyService).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      annotations: { 'metallb.io/address-pool': 'lan', 'metallb.io/loadBalancerIPs': '192.168.1.101' },
    });
  });

  it('has no MetalLB objects on the cloud profiles', () => {
    for (const profile of ['aws', 'gcp'] as const)
      expect(synthObjectsOf(exampleConfig(profile)).filter((o) => o.apiVersion.startsWith('metallb.io/'))).toEqual([]);
  });

  it.each([
    ['192.168.1.101-192.168.1.102', '192.168.1.101'],
    ['192.168.1.240/28', '192.168.1.241'],
    ['192.168.1.247/28', '192.168.1.241'],
    ['192.168.1.7/32', '192.168.1.7'],
    ['192.168.1.6/31', '192.168.1.6'],
    ['192.168.1.300-192.168.1.301', undefined],
    ['not-an-address', undefined],
  ])('takes %s to start at %s', (entry, first) => {
    expect(firstPoolAddress(entry)).toBe(first);
  });

  it('fails at synth when an address pool does not parse, naming the path and the value', () => {
    const bad = (addresses: string[]) => () =>
      exampleConfig('homelab', { exposure: { metallb: { addressPools: [{ name: 'lan', addresses }] } } });
    expect(bad(['192.168.1.102-192.168.1.101'])).toThrow(ConfigError);
    expect(bad(['192.168.1.102-192.168.1.101'])).toThrow(
      'examples/homelab.yaml: 1 problem\n  exposure.metallb.addressPools[0].addresses[0]: got "192.168.1.102-192.168.1.101"; ' +
        'expected an IPv4 CIDR (192.168.1.240/28) or a range first-last (192.168.1.101-192.168.1.102)',
    );
    expect(bad(['192.168.1.0/33'])).toThrow('exposure.metallb.addressPools[0].addresses[0]: got "192.168.1.0/33"; expected an IPv4 CIDR');
    expect(bad(['192.168.1.101 - 192.168.1.300'])).toThrow(
      'exposure.metallb.addressPools[0].addresses[0]: got "192.168.1.101 - 192.168.1.300"',
    );
  });

  it('fails when MetalLB pools are configured on a cloud profile', () => {
    expect(() =>
      exampleConfig('aws', { exposure: { metallb: { addressPools: [{ name: 'lan', addresses: ['10.0.0.10-10.0.0.20'] }] } } }),
    ).toThrow(
      'exposure.metallb: got {"addressPools":[{"name":"lan","addresses":["10.0.0.10-10.0.0.20"]}]}; expected nothing on the aws profile (homelab only)',
    );
  });

  it('refuses construct props with no pool, or an entry that does not parse, naming the prop', () => {
    const chart = emptyChart();
    new MetallbAddressPools(chart, 'none', { pools: [] });
    new MetallbAddressPools(chart, 'bad', { pools: [{ name: 'lan', addresses: ['10.0.0.1-10.0.0.2', '10.0.0.0/40'] }] });
    expect(validationErrors(chart)).toEqual([
      'pools is empty: give at least one address pool',
      'pools[0].addresses: "10.0.0.0/40" is not an IPv4 CIDR or a first-last range',
    ]);
  });
});
