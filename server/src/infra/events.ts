/**
 * The EventBus with its channels typed by the protocol's event map (BusEvents, packages/protocol/src/events.ts):
 * features publish and subscribe through this, never through the raw bus, so channel names and payloads are
 * written once. What arrives is checked against its channel's schema before a handler sees it (the bus
 * carries JSON between nodes, possibly of another version): an invalid event is dropped and reported.
 */
import { type BusChannel, type BusEventMap, BusEvents } from '@metagameplay/protocol';
import { type Check, checker } from '../lib/schema-check.js';
import type { EventBus } from './event-bus.js';

export interface Events {
  /** Best effort, like the bus under it; never rejects for an outage. */
  publish<C extends BusChannel>(channel: C, payload: BusEventMap[C]): Promise<void>;
  subscribe<C extends BusChannel>(channel: C, handler: (payload: BusEventMap[C]) => void): () => void;
}

const checks = new Map<string, Check>(
  Object.entries(BusEvents).map(([channel, schema]) => [channel, checker(schema)]),
);

function isPayloadOf<C extends BusChannel>(
  channel: C,
  payload: unknown,
  onInvalid: (channel: BusChannel, problem: string) => void,
): payload is BusEventMap[C] {
  const problem = checks.get(channel)?.(payload) ?? null;
  if (problem !== null) onInvalid(channel, problem);
  return problem === null;
}

export function typedEvents(
  bus: EventBus,
  onInvalid: (channel: BusChannel, problem: string) => void = () => {},
): Events {
  return {
    publish: (channel, payload) => bus.publish(channel, payload),
    subscribe: (channel, handler) =>
      bus.subscribe(channel, (payload) => {
        if (isPayloadOf(channel, payload, onInvalid)) handler(payload);
      }),
  };
}
