/**
 * The composition root of `Services`: every host client the handlers may call is built here, once.
 * Adding a client (libvirt, OVSDB, storage) is one line in `buildServices` and one in `closeServices`.
 */
import { existsSync } from 'node:fs';
import type { Services } from '../executors/services.js';
import type { AgentConfig } from './config.js';

export async function buildServices(_cfg: Pick<AgentConfig, 'libvirtSocket' | 'ovnNb'>): Promise<Services> {
  return {
    virtType: existsSync('/dev/kvm') ? 'kvm' : 'qemu',
  };
}

export async function closeServices(_s: Services): Promise<void> {}
