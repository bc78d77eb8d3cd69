import type { routes } from "@lodestar/api";
import type { ApplicationMethods } from "@lodestar/api/server";
import { chainConfigToJson } from "@lodestar/config";
import { activePreset, presetToJson } from "@lodestar/params";
import type { ApiContext } from "./context.ts";

/** The `config` namespace: spec values, fork schedule, deposit contract. */
export function getConfigApi(
  ctx: ApiContext,
  depositContract: Uint8Array,
): Partial<ApplicationMethods<routes.config.Endpoints>> {
  const { config } = ctx.chain;
  return {
    async getSpec() {
      return { data: { ...presetToJson(activePreset), ...chainConfigToJson(config) } };
    },
    async getForkSchedule() {
      const forks = config.forksAscendingEpochOrder.filter((f) => Number.isFinite(f.epoch));
      return {
        data: forks.map((f) => ({ previousVersion: f.prevVersion, currentVersion: f.version, epoch: f.epoch })),
      };
    },
    async getDepositContract() {
      return { data: { chainId: config.DEPOSIT_CHAIN_ID, address: depositContract } };
    },
  };
}

/** The `node` namespace: version, syncing status, health. */
export function getNodeApi(ctx: ApiContext): Partial<ApplicationMethods<routes.node.Endpoints>> {
  return {
    async getNodeVersion() {
      return { data: { version: `Nektar-beacon-devnet/v${ctx.version}` } };
    },
    async getSyncingStatus() {
      const headSlot = ctx.chain.head.slot;
      return {
        data: {
          headSlot,
          syncDistance: Math.max(0, ctx.clock.currentSlot() - headSlot),
          isSyncing: false,
          isOptimistic: false,
          elOffline: false,
        },
      };
    },
    async getHealth() {
      return { status: 200 };
    },
  };
}
