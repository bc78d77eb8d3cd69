import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { requireBalance } from "../internal/balance.ts";
import { transactionResult, WRAPPED_DIVETH } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor, wdivETH } from "../internal/native.ts";
import { read } from "../internal/read.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type DepositDistributorParameters = WithContracts<"wrappedDivETH"> & {
  distributor: Address;
  /** wdivETH (wei, one per divETH share) to deposit. */
  amount: bigint;
  /** Receiver of the Distributor shares (default: the caller). */
  receiver?: Address | undefined;
};

export type DepositDistributorReturnType = TransactionResult & { shares: bigint };

export type DepositDistributorErrorType = InsufficientBalanceError | SendErrorType;

/** Deposits wdivETH into a Distributor (ERC-4626), approving it first when needed; the balance is checked first. */
export async function depositDistributor(
  client: NektarWriteClient,
  p: DepositDistributorParameters,
): Promise<DepositDistributorReturnType> {
  const account = client.account.address;
  const balance = await read(client, WRAPPED_DIVETH, {
    ...wdivETH(p.contracts.wrappedDivETH),
    functionName: "balanceOf",
    args: [account],
  });
  requireBalance(account, "wdivETH", balance, p.amount);
  await ensureAllowance(client, {
    contract: WRAPPED_DIVETH,
    token: p.contracts.wrappedDivETH,
    spender: p.distributor,
    amount: p.amount,
  });
  const d = distributor(p.distributor);
  const sent = await send(client, DISTRIBUTOR, {
    ...d,
    functionName: "deposit",
    args: [p.amount, p.receiver ?? account],
  });
  const event = eventArgs(d.abi, sent.receipt.logs, "Deposit");
  return { ...transactionResult(sent), shares: event.shares };
}
