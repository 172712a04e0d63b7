/**
 * The VM operations' view of libvirt: the typed LibvirtClient calls they need, with libvirt's
 * "no such domain" turned into our NotFoundError and waits that honour the abort signal.
 */
import { KubestackError, NotFoundError, TimeoutError } from '../../errors.js';
import { DOMAIN_STATE, type DomainRef, type LibvirtClient, LibvirtError } from '../../libvirt/index.js';
import { nextBackoff, sleep } from '../../timing.js';

export type Libvirt = LibvirtClient;

export function isNoDomain(err: unknown): boolean {
  return err instanceof LibvirtError && err.isNoDomain;
}

export async function lookupDomain(lv: Libvirt, name: string): Promise<DomainRef> {
  try {
    return await lv.domainLookupByName(name);
  } catch (err) {
    if (isNoDomain(err)) throw new NotFoundError('VM', name, { cause: err });
    throw err;
  }
}

export async function findDomain(lv: Libvirt, name: string): Promise<DomainRef | undefined> {
  try {
    return await lv.domainLookupByName(name);
  } catch (err) {
    if (isNoDomain(err)) return undefined;
    throw err;
  }
}

export async function domainState(lv: Libvirt, dom: DomainRef): Promise<number> {
  return (await lv.domainGetState(dom)).state;
}

/** Live XML and state of a domain by name; undefined when it does not exist (or vanished meanwhile). */
export async function describeDomain(
  lv: Libvirt,
  name: string,
): Promise<{ xml: string; state: number; reason: number } | undefined> {
  try {
    const dom = await lv.domainLookupByName(name);
    const [xml, st] = await Promise.all([lv.domainGetXMLDesc(dom), lv.domainGetState(dom)]);
    return { xml, state: st.state, reason: st.reason };
  } catch (err) {
    if (isNoDomain(err)) return undefined;
    throw err;
  }
}

export const isActiveState = (s: number): boolean => s !== DOMAIN_STATE.SHUTOFF && s !== DOMAIN_STATE.NOSTATE;

/**
 * Polls the domain's state until `done(state)` or `timeoutMs`; resolves with the last state and
 * whether it was reached. A domain that disappears counts as SHUTOFF (a transient one that stopped).
 */
export async function waitForState(
  lv: Libvirt,
  dom: DomainRef,
  done: (state: number) => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ reached: boolean; state: number }> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    let state: number;
    try {
      state = await domainState(lv, dom);
    } catch (err) {
      if (isNoDomain(err)) state = DOMAIN_STATE.SHUTOFF;
      else throw err;
    }
    if (done(state)) return { reached: true, state };
    if (Date.now() >= deadline) return { reached: false, state };
    if (signal?.aborted) throw new KubestackError('Unavailable', 'the agent is shutting down');
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = nextBackoff(delay, 200);
  }
}

/** Like waitForState, but a timeout is an error with `what` in its message. */
export async function expectState(
  lv: Libvirt,
  dom: DomainRef,
  done: (state: number) => boolean,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<number> {
  const r = await waitForState(lv, dom, done, timeoutMs, signal);
  if (!r.reached) throw new TimeoutError(`${what}: not done after ${Math.round(timeoutMs / 1000)} s`);
  return r.state;
}
