import { routes } from "@lodestar/api";
import type { ApplicationMethods } from "@lodestar/api/server";
import type { ChainEvents } from "../chain/types.ts";
import type { ApiContext } from "./context.ts";

/** The `events` namespace: server-sent head, block and finalized_checkpoint events. */
export function getEventsApi(ctx: ApiContext): Partial<ApplicationMethods<routes.events.Endpoints>> {
  const { chain } = ctx;
  return {
    async eventstream({ topics, signal, onEvent }) {
      const wanted = new Set(topics);
      const onHead = (e: ChainEvents["head"][0]) => {
        if (!wanted.has(routes.events.EventType.head)) return;
        onEvent({
          type: routes.events.EventType.head,
          message: {
            slot: e.block.slot,
            block: e.block.rootHex,
            state: e.block.stateRootHex,
            epochTransition: e.epochTransition,
            previousDutyDependentRoot: e.previousDutyDependentRoot,
            currentDutyDependentRoot: e.currentDutyDependentRoot,
            executionOptimistic: false,
          },
        });
      };
      const onBlock = (b: ChainEvents["block"][0]) => {
        if (!wanted.has(routes.events.EventType.block)) return;
        onEvent({
          type: routes.events.EventType.block,
          message: { slot: b.slot, block: b.rootHex, executionOptimistic: false },
        });
      };
      const onFinalized = (f: ChainEvents["finalized"][0]) => {
        if (!wanted.has(routes.events.EventType.finalizedCheckpoint)) return;
        onEvent({
          type: routes.events.EventType.finalizedCheckpoint,
          message: { block: f.root, state: f.stateRoot, epoch: f.epoch, executionOptimistic: false },
        });
      };
      chain.on("head", onHead);
      chain.on("block", onBlock);
      chain.on("finalized", onFinalized);
      signal.addEventListener(
        "abort",
        () => {
          chain.off("head", onHead);
          chain.off("block", onBlock);
          chain.off("finalized", onFinalized);
        },
        { once: true },
      );
    },
  };
}
