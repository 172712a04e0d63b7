/**
 * The observation half of a key's sync: ask the kind's observer what the host says now, and write
 * what changed — the observed `spec` members and the Ready condition — through the status writer.
 * Called whenever the key is synced without a request (host events, resync, restart); after an
 * operation, results.ts writes the observation together with the result (`inspectHost`). Never
 * writes `spec.status` (the last operation's result stays).
 */
import { errorMessage } from '../errors.js';
import { type Observation, observerFor } from '../executors/observe.js';
import type { Services } from '../executors/services.js';
import type { KindName, KubeObject } from '../kinds.js';
import type { Logger } from '../log.js';
import type { HostChange, HostStates } from './host-changes.js';
import { microTime, statusPatch } from './status.js';
import type { StatusWriter } from './status-writer.js';

export interface ObservationDeps {
  services: Services;
  writer: StatusWriter;
  nodeName: string;
  log: Logger;
  /** Told which disks a VM uses now, so their reports follow (`spec.volume.vm`). */
  onDisks?: (key: string, disks: string[]) => void;
  /** The state last seen per key, to tell out-of-band changes. */
  states?: HostStates;
  /** Told of a change on the host no operation of ours made (an Event and a log line follow). */
  onChange?: (obj: KubeObject, change: HostChange) => void;
}

/**
 * What the host says about `obj` now (a failed look is an Unknown readiness, the report kept), or
 * `known` when the caller already holds that observation (an operation's closing read); the disks
 * it names are passed on. undefined: nothing can be observed now.
 */
export async function inspectHost(
  d: ObservationDeps,
  key: string,
  obj: KubeObject,
  known?: Observation,
): Promise<Observation | undefined> {
  const kind = obj.kind as KindName;
  const observer = observerFor(kind);
  if (!observer) return undefined;
  let seen: Observation | undefined = known;
  try {
    seen ??= await observer({
      kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? 'default',
      object: obj,
      nodeName: d.nodeName,
      services: d.services,
      log: d.log,
    });
  } catch (err) {
    // The host could not be asked (libvirtd restarting, a pool's mount hanging): say so, keep the report.
    d.log.debug({ key, err: errorMessage(err) }, 'observation failed');
    seen = {
      spec: {},
      ready: { status: 'Unknown', reason: 'ObservationFailed', message: errorMessage(err) },
    };
  }
  if (seen?.disks) d.onDisks?.(key, seen.disks);
  return seen;
}

/**
 * inspectHost right after one of our operations (its result carries the writes): the state seen
 * is recorded as ours, so it is never taken for an out-of-band change.
 */
export async function inspectAfterOperation(
  d: ObservationDeps,
  key: string,
  obj: KubeObject,
  known?: Observation,
): Promise<Observation | undefined> {
  const seen = await inspectHost(d, key, obj, known);
  if (seen) d.states?.observed(key, obj, seen.ready, true);
  return seen;
}

/**
 * Observes `obj` and writes what changed; resolves with the object as it is now. `byOperation`:
 * right after one of our operations (so not an out-of-band change).
 */
export async function observeAndReport(
  d: ObservationDeps,
  key: string,
  obj: KubeObject,
  byOperation = false,
): Promise<KubeObject> {
  const seen = await inspectHost(d, key, obj);
  if (!seen) return obj;
  const change = d.states?.observed(key, obj, seen.ready, byOperation);
  if (change) d.onChange?.(obj, change);
  const written = (await d.writer.writeMembers(obj, seen.spec)) ?? obj;
  // The writer skips the request when the condition is already as observed.
  return (
    (await d.writer.writeStatus(written, statusPatch(written, { ready: seen.ready }, microTime()))) ?? written
  );
}
