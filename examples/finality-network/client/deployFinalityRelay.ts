import { readFileSync } from "node:fs";
import { BaseError, type NektarWriteClient, networkRegistryAbi } from "@nektar/sdk";
import { type Address, getAddress, type Hex, parseEventLogs } from "viem";
import { deployContract, waitForTransactionReceipt } from "viem/actions";
import { finalityRelayAbi } from "./abi.ts";

export type DeployFinalityRelayParameters = {
  /** The restaking protocol's `NetworkRegistry` (the relay registers itself there as an objective Network). */
  registry: Address;
  /** Wei paid per certified epoch, split among its signers. */
  rewardPerEpoch: bigint;
  /** Most divETH shares counted per operator. */
  maxStakePerOperator: bigint;
  /** The beacon chain's genesis time, seconds per slot and slots per epoch (finalizable epochs, EIP-4788 slots). */
  beaconGenesis: bigint;
  secondsPerSlot: bigint;
  slotsPerEpoch: bigint;
  metadataURI: string;
  /** Ether sent along to fund the rewards. */
  fund?: bigint | undefined;
};

export type DeployFinalityRelayReturnType = { relay: Address; networkId: bigint; hash: Hex; blockNumber: bigint };

/** The compiled relay is missing (`npm run build -w @nektar/finality-network` compiles it). */
export class RelayArtifactError extends BaseError<{ code: "ERR_FINALITY_ARTIFACT" }> {
  override name = "RelayArtifactError";
  constructor(path: string, cause: unknown) {
    super({ code: "ERR_FINALITY_ARTIFACT" }, `no compiled FinalityRelay at ${path}`, {
      hint: "Run `npm run build -w @nektar/finality-network` (or `npm run build` at the root).",
      cause,
    });
  }
}

const ARTIFACT = new URL("../artifacts/contracts/FinalityRelay.sol/FinalityRelay.json", import.meta.url);

/** Deploys the finality relay; it registers itself as a Network in the same transaction. */
export async function deployFinalityRelay(
  client: NektarWriteClient,
  p: DeployFinalityRelayParameters,
): Promise<DeployFinalityRelayReturnType> {
  let bytecode: Hex;
  try {
    bytecode = (JSON.parse(readFileSync(ARTIFACT, "utf8")) as { bytecode: Hex }).bytecode;
  } catch (e) {
    throw new RelayArtifactError(ARTIFACT.pathname, e);
  }
  const hash = await deployContract(client, {
    abi: finalityRelayDeployAbi,
    bytecode,
    args: [
      p.registry,
      p.rewardPerEpoch,
      p.maxStakePerOperator,
      p.beaconGenesis,
      p.secondsPerSlot,
      p.slotsPerEpoch,
      p.metadataURI,
    ],
    value: p.fund ?? 0n,
  });
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new RelayArtifactError(ARTIFACT.pathname, new Error(`deployment ${hash} reverted`));
  }
  const [registered] = parseEventLogs({ abi: networkRegistryAbi, logs: receipt.logs, eventName: "NetworkRegistered" });
  if (!registered) throw new RelayArtifactError(ARTIFACT.pathname, new Error("no NetworkRegistered event"));
  return {
    relay: getAddress(receipt.contractAddress),
    networkId: registered.args.networkId,
    hash,
    blockNumber: receipt.blockNumber,
  };
}

const finalityRelayDeployAbi = [
  ...finalityRelayAbi,
  {
    type: "constructor",
    stateMutability: "payable",
    inputs: [
      { name: "registry", type: "address" },
      { name: "rewardPerEpoch", type: "uint256" },
      { name: "maxStakePerOperator", type: "uint128" },
      { name: "beaconGenesis", type: "uint256" },
      { name: "secondsPerSlot", type: "uint256" },
      { name: "slotsPerEpoch", type: "uint256" },
      { name: "metadataURI", type: "string" },
    ],
  },
] as const;
