/**
 * A misbehaving operator for fault tests: the real `stinger` CLI with its network patched to send a corrupted
 * secret share to one recipient (env BAD_SHARE_TO, 1-based operator id) and to withhold its public answer, so the
 * protocol must disqualify it. Test code only.
 */
import { decodeDkgMessage, encodeDkgMessage } from "@nektar/crypto";
import { ClusterNetwork } from "../../../src/p2p/clusterNetwork.ts";
import { MessageKind } from "../../../src/p2p/envelope.ts";

const target = Number(process.env.BAD_SHARE_TO) - 1;
const send = ClusterNetwork.prototype.send;
ClusterNetwork.prototype.send = async function (this: ClusterNetwork, kind, round, recipient, payload) {
  if (kind === MessageKind.dkg) {
    const message = decodeDkgMessage(payload);
    if (message.type === "answer") return;
    if (message.type === "share" && recipient === target) {
      const share = Uint8Array.from(message.share);
      share[31] = (share[31] as number) ^ 1;
      return send.call(this, kind, round, recipient, encodeDkgMessage({ ...message, share }));
    }
  }
  return send.call(this, kind, round, recipient, payload);
};

const { runStinger } = await import("../../../src/cli/main.ts");
process.exitCode = await runStinger(process.argv.slice(2));
