/**
 * The EventBus with its channels typed by the protocol's event map (BusEvents, packages/protocol/src/events.ts): features publish and
 * subscribe through this, never through the raw bus, so channel names and payloads are written once.
 */
import type { BusChannel, BusEventMap } from '@metagameplay/protocol';
import type { EventBus } from './event-bus.js';

export interface Events {
  /** Best effort, like the bus under it; never rejects for an outage. */
  publish<C extends BusChannel>(channel: C, payload: BusEventMap[C]): Promise<void>;
  subscribe<C extends BusChannel>(channel: C, handler: (payload: BusEventMap[C]) => void): () => void;
}

export function typedEvents(bus: EventBus): Events {
  return {
    publish: (channel, payload) => bus.publish(channel, payload),
    // The bus carries JSON between our own nodes, which publish only through this typed side.
    subscribe: (channel, handler) => bus.subscribe(channel, (message) => handler(message as never)),
  };
}
