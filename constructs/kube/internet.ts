/**
 * The public internet as a network-policy peer: 0.0.0.0/0 minus the private, shared, link-local
 * (cloud metadata at 169.254.169.254) and loopback ranges, so "egress to the internet" never
 * opens a path to other in-cluster or on-premises addresses.
 */
import type { ExternalPeer } from './allow-traffic';

export const PUBLIC_INTERNET: ExternalPeer = {
  name: 'internet',
  cidrs: ['0.0.0.0/0'],
  except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
};
