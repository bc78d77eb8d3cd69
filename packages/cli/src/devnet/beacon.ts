import { BaseError } from "@nektar/sdk";

/** The Beacon API answered with an error or unparseable JSON. */
export class BeaconApiError extends BaseError<{ code: "ERR_BEACON_API"; path: string }> {
  override name = "BeaconApiError";
  constructor(path: string, reason: string) {
    super({ code: "ERR_BEACON_API", path }, `Beacon API ${path}: ${reason}`);
  }
}

async function get<T>(baseUrl: string, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    throw new BeaconApiError(path, `unreachable (${(e as Error).message})`);
  }
  if (!res.ok) throw new BeaconApiError(path, `HTTP ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

/** The chain's genesis fork version (`/eth/v1/config/spec`), in whose deposit domain deposits are signed. */
export async function beaconGenesisForkVersion(baseUrl: string): Promise<string> {
  const spec = await get<{ GENESIS_FORK_VERSION?: string }>(baseUrl, "/eth/v1/config/spec");
  if (spec.GENESIS_FORK_VERSION === undefined) {
    throw new BeaconApiError("/eth/v1/config/spec", "no GENESIS_FORK_VERSION");
  }
  return spec.GENESIS_FORK_VERSION.toLowerCase();
}

export type BeaconHead = { slot: number; justifiedEpoch: number; finalizedEpoch: number };

/** Head slot and finality checkpoints. */
export async function beaconHead(baseUrl: string): Promise<BeaconHead> {
  const [header, finality] = await Promise.all([
    get<{ header: { message: { slot: string } } }>(baseUrl, "/eth/v1/beacon/headers/head"),
    get<{ current_justified: { epoch: string }; finalized: { epoch: string } }>(
      baseUrl,
      "/eth/v1/beacon/states/head/finality_checkpoints",
    ),
  ]);
  return {
    slot: Number(header.header.message.slot),
    justifiedEpoch: Number(finality.current_justified.epoch),
    finalizedEpoch: Number(finality.finalized.epoch),
  };
}

export type BeaconValidator = {
  index: number;
  pubkey: string;
  status: string;
  balanceGwei: bigint;
  /** Epoch the validator is (or will be) active from; undefined while not yet scheduled. */
  activationEpoch: number | undefined;
};

const FAR_FUTURE_EPOCH = "18446744073709551615";

/** The validators among `pubkeys` the head state knows (unknown keys are simply absent). */
export async function beaconValidators(baseUrl: string, pubkeys: readonly string[]): Promise<BeaconValidator[]> {
  if (pubkeys.length === 0) return [];
  const data = await get<
    { index: string; status: string; balance: string; validator: { pubkey: string; activation_epoch: string } }[]
  >(baseUrl, `/eth/v1/beacon/states/head/validators?${pubkeys.map((k) => `id=${k}`).join("&")}`);
  return data.map((v) => ({
    index: Number(v.index),
    pubkey: v.validator.pubkey,
    status: v.status,
    balanceGwei: BigInt(v.balance),
    activationEpoch:
      v.validator.activation_epoch === FAR_FUTURE_EPOCH ? undefined : Number(v.validator.activation_epoch),
  }));
}

/** Genesis time of the beacon chain (Unix seconds). */
export async function beaconGenesisTime(baseUrl: string): Promise<number> {
  return Number((await get<{ genesis_time: string }>(baseUrl, "/eth/v1/beacon/genesis")).genesis_time);
}
