import type { ComponentLogger, Logger } from "@libp2p/interface";

const silent: Logger = Object.assign(() => {}, {
  error: () => {},
  trace: () => {},
  enabled: false,
  newScope: () => silent,
});

/**
 * libp2p's internal debug logging, off unless `DEBUG` is set (then libp2p's own logger, e.g. `DEBUG=libp2p:*`).
 * libp2p creates a logger per connection, stream and scope, and its default one probes the terminal and compiles
 * the namespace filter each time: ~5% of an operator's CPU while a cluster connects, for output nobody sees.
 */
export function libp2pComponentLogger(env: NodeJS.ProcessEnv = process.env): ComponentLogger | undefined {
  if (env.DEBUG !== undefined && env.DEBUG !== "") return undefined;
  return { forComponent: () => silent };
}
