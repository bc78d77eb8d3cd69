import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { BUILDER_EXTRA_DATA } from "@nektar/beacon-devnet/builder-marker";
import { createBlockFeeTracker } from "../../src/devnet/blockFees.ts";

const VAULT = `0x${"ab".repeat(20)}`;
const BUILT = `0x${Buffer.from(BUILDER_EXTRA_DATA).toString("hex")}`;

describe("devnet: distributed validators' blocks and their fee recipient", () => {
  it("counts the tracked validators' canonical blocks and those paying the vault, skipping empty slots", async () => {
    // slot → [proposer, fee recipient, extra data]; slot 3 is empty; slot 4's payload is the devnet builder's.
    const blocks = new Map<number, [number, string, string]>([
      [1, [5, VAULT, "0x"]],
      [2, [9, `0x${"66".repeat(20)}`, "0x6c6f63616c"]],
      [4, [5, VAULT.toUpperCase().replace("0X", "0x"), BUILT]],
      [5, [7, `0x${"66".repeat(20)}`, BUILT]],
    ]);
    const server = createServer((req, res) => {
      const slot = Number(req.url?.split("/").pop());
      const b = blocks.get(slot);
      if (b === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          data: {
            message: {
              slot: String(slot),
              proposer_index: String(b[0]),
              body: { execution_payload: { fee_recipient: b[1], extra_data: b[2] } },
            },
          },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      const tracker = createBlockFeeTracker(`http://127.0.0.1:${port}`, VAULT);
      await tracker.update(3, [5, 9]);
      assert.deepEqual(tracker.fees, { proposed: 2, payingVault: 1, foreign: [2], builder: 0 });
      await tracker.update(5, [5, 9]);
      assert.deepEqual(
        tracker.fees,
        { proposed: 3, payingVault: 2, foreign: [2], builder: 1 },
        "slot 4 is a builder block; slot 5 is another validator's",
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
