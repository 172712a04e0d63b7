import { describe, expect, it } from 'vitest';
import { KubestackError } from '../../../src/errors.js';
import {
  LibvirtDisconnectedError,
  LibvirtError,
  LibvirtErrorCode,
  LibvirtUnsupportedError,
  libvirtErrorFrom,
  reasonForLibvirtCode,
} from '../../../src/libvirt/errors.js';

const err = (code: number, message = 'boom') =>
  libvirtErrorFrom({ code, domain: 10, message, level: 2 }, 'X');

describe('libvirt errors', () => {
  it.each([
    ['NO_DOMAIN', 'NotFound'],
    ['NO_STORAGE_POOL', 'NotFound'],
    ['NO_STORAGE_VOL', 'NotFound'],
    ['NO_DOMAIN_SNAPSHOT', 'NotFound'],
    ['DOM_EXIST', 'AlreadyExists'],
    ['STORAGE_VOL_EXIST', 'AlreadyExists'],
    ['OPERATION_INVALID', 'LibvirtError'],
    ['OPERATION_UNSUPPORTED', 'Unsupported'],
    ['XML_ERROR', 'InvalidParameter'],
    ['AGENT_UNRESPONSIVE', 'Timeout'],
    ['RESOURCE_BUSY', 'InUse'],
  ] as const)('%s maps to %s', (name, reason) => {
    expect(reasonForLibvirtCode(LibvirtErrorCode[name])).toBe(reason);
    const e = err(LibvirtErrorCode[name]);
    expect(e).toBeInstanceOf(KubestackError);
    expect(e.reason).toBe(reason);
    expect(e.is(name)).toBe(true);
    expect(e.codeName).toBe(name);
  });

  it('carries code, error domain, message and procedure, and is not retriable', () => {
    const e = err(42, "Domain not found: no domain with matching name 'x'");
    expect(e.isNoDomain).toBe(true);
    expect(e.message).toContain("'x'");
    expect(e.details).toMatchObject({
      libvirtCode: 42,
      libvirtCodeName: 'NO_DOMAIN',
      libvirtDomain: 10,
      procedure: 'X',
    });
    expect(e.retriable).toBe(false);
  });

  it('an unknown procedure becomes LibvirtUnsupportedError', () => {
    const e = err(3, 'this function is not supported by the connection driver: unknown procedure: 999');
    expect(e).toBeInstanceOf(LibvirtUnsupportedError);
    expect(e.reason).toBe('Unsupported');
  });

  it('RPC failures are retriable; a disconnect is Unavailable and retriable', () => {
    expect(err(LibvirtErrorCode.RPC).retriable).toBe(true);
    const d = new LibvirtDisconnectedError();
    expect(d.reason).toBe('Unavailable');
    expect(d.retriable).toBe(true);
    expect(d).not.toBeInstanceOf(LibvirtError);
  });
});
