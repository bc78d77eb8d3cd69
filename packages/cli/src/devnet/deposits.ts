import { parseEther } from "viem";

/** Ether a validator request reserves, and what a validator holds once complete. */
export const DEPOSIT = parseEther("32");
/** Ether a predeposited validator keeps reserved until its credentials are proven (32 ETH minus the 1 ETH predeposit). */
export const TOP_UP = parseEther("31");
