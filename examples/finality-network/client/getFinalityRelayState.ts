import type { NektarReadClient } from "@nektar/sdk";
import { type Address, type Hex, parseEventLogs } from "viem";
import { getBalance, getLogs, readContract } from "viem/actions";
import { Offence } from "../module/evidence.ts";
import { finalityRelayAbi } from "./abi.ts";
import { requireRelay } from "./relay.ts";

export type GetFinalityRelayStateParameters = {
  relay: Address;
  /** First block to read the relay's events from (default: 0). */
  fromBlock?: bigint | undefined;
};

export type FinalityOperator = { index: number; operator: Address; pubkey: Hex };

export type FinalityCertificate = {
  epoch: bigint;
  checkpointRoot: Hex;
  executionBlockHash: Hex;
  signers: Address[];
  certifiedAt: number;
};

export type FinalityOffence = { operator: Address; epoch: bigint; offence: keyof typeof Offence };

export type GetFinalityRelayStateReturnType = {
  relay: Address;
  networkId: bigint;
  /** Operators with a registered Network key, by index. */
  operators: FinalityOperator[];
  /** The last certificate (undefined: none yet). */
  latest: FinalityCertificate | undefined;
  /** Certificates since `fromBlock`, and the wei they earned in total. */
  certificates: number;
  rewardsEarned: bigint;
  /** Wei handed to the restaking vault by `payRewards` since `fromBlock`. */
  rewardsPaid: bigint;
  offences: FinalityOffence[];
  /** The relay's ether (rewards owed and unreserved funds). */
  balance: bigint;
};

/** Reads a finality relay: operators and keys, the latest certificate and its signers, rewards and proven offences. */
export async function getFinalityRelayState(
  client: NektarReadClient,
  p: GetFinalityRelayStateParameters,
): Promise<GetFinalityRelayStateReturnType> {
  const networkId = await requireRelay(client, p.relay);
  const read = { address: p.relay, abi: finalityRelayAbi } as const;
  const count = Number(await readContract(client, { ...read, functionName: "operatorCount" }));
  const operators: FinalityOperator[] = [];
  for (let index = 0; index < count; index++) {
    const [operator, pubkey] = await readContract(client, {
      ...read,
      functionName: "operatorAt",
      args: [BigInt(index)],
    });
    operators.push({ index, operator, pubkey });
  }
  const [epoch, c] = await readContract(client, { ...read, functionName: "latestCertificate" });
  const latest =
    c.certifiedAt === 0
      ? undefined
      : {
          epoch,
          checkpointRoot: c.checkpointRoot,
          executionBlockHash: c.executionBlockHash,
          signers: operators.filter((o) => (c.signers >> BigInt(o.index)) & 1n).map((o) => o.operator),
          certifiedAt: c.certifiedAt,
        };
  const logs = parseEventLogs({
    abi: finalityRelayAbi,
    logs: await getLogs(client, { address: p.relay, fromBlock: p.fromBlock ?? 0n, toBlock: "latest" }),
  });
  let certificates = 0;
  let rewardsEarned = 0n;
  let rewardsPaid = 0n;
  const offences: FinalityOffence[] = [];
  const names = Object.keys(Offence) as (keyof typeof Offence)[];
  for (const log of logs) {
    if (log.eventName === "CheckpointCertified") {
      certificates++;
      rewardsEarned += log.args.reward;
    } else if (log.eventName === "RewardsPaid") {
      rewardsPaid += log.args.total;
    } else if (log.eventName === "OffenceProven") {
      offences.push({
        operator: log.args.operator,
        epoch: log.args.epoch,
        offence: names[log.args.offence] ?? "DoubleSign",
      });
    }
  }
  return {
    relay: p.relay,
    networkId,
    operators,
    latest,
    certificates,
    rewardsEarned,
    rewardsPaid,
    offences,
    balance: await getBalance(client, { address: p.relay }),
  };
}
