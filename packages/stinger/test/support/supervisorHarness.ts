import { Registry } from "prom-client";
import type { AgreementProtocol } from "../../src/core/agreement/types.ts";
import { connectBeaconNode } from "../../src/node/beaconConnection.ts";
import type { ValidatorSupervisorOptions } from "../../src/node/validatorSupervisor.ts";
import type { InProcessOperator } from "./ceremonyHarness.ts";
import { silentLogger } from "./p2pHarness.ts";

/** Supervisor options for an in-process operator of the ceremony harness, on the beacon node at `beaconUrl`. */
export async function supervisorOptions(
  op: InProcessOperator,
  beaconUrl: string,
  protocol: AgreementProtocol = "one-round",
): Promise<ValidatorSupervisorOptions> {
  return {
    beacon: await connectBeaconNode(beaconUrl),
    node: op.node,
    allowlist: op.deps.allowlist,
    identity: { peerId: op.identity.peerId.toString(), privateKey: op.identity.privateKey },
    dataDir: op.deps.dataDir,
    password: "share password",
    protocol,
    registry: new Registry(),
    logger: silentLogger,
  };
}
