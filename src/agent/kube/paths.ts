/** REST paths of our kinds and of events. */
import { API_VERSION, type KindName, kindInfo } from '../../kinds.js';

export function collectionPath(kind: KindName, namespace: string): string {
  return `/apis/${API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${kindInfo(kind).plural}`;
}

export function objectPath(kind: KindName, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

export function statusPath(kind: KindName, namespace: string, name: string): string {
  return `${objectPath(kind, namespace, name)}/status`;
}

/** Core v1 events: the API that takes firstTimestamp/lastTimestamp beside eventTime. */
export function eventsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
}
