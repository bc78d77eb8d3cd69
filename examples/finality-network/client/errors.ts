import { BaseError, networkRegistryAbi } from "@nektar/sdk";
import { ContractFunctionRevertedError, decodeErrorResult, type Hex, BaseError as ViemBaseError } from "viem";
import { finalityRelayAbi } from "./abi.ts";

/** What to do next after each revert of the relay (or of the registry when it forwards slashing evidence). */
export const RELAY_REVERT_HINTS: Readonly<Record<string, string>> = {
  NotOptedIn: "Opt the operator in first: `stinger operator optin <networkId> --owner-key-file <f>`.",
  KeyAlreadyRegistered: "This operator already has a Network key; nothing to do (see `finality-network status`).",
  KeyInUse: "Another operator registered this key: create a fresh Network key (never share one).",
  InvalidProofOfPossession: "Sign `popMessage(operator, pubkey)` with the key itself, for the registering operator.",
  TooManyOperators: "The Network is full: a fork can raise the cap or page its operator set.",
  EpochNotFinalizable: "Wait until the beacon epoch is finalized (two epochs behind the head).",
  EpochAlreadyCertified: "A certificate for this or a later epoch exists already; nothing to do.",
  NoSigners: "Give at least one signer.",
  DuplicateSigner: "Each signer index once, strictly ascending.",
  SignersNotAscending: "Sort the signer indices in strictly ascending order.",
  UnknownSigner: "Use indices of operators with a registered Network key (`finality-network status`).",
  SignerKeyMismatch: "Give each signer's registered key (`finality-network status` lists them).",
  SignerKeysLength: "Give 128 bytes (an uncompressed G1 point) per signer, in signer order.",
  InsufficientStake: "Collect signatures from operators holding at least two thirds of the Network's stake.",
  InvalidAggregateSignature: "Aggregate only signatures over this very statement by the listed signers.",
  OnlyRegistry: "Submit evidence through `NetworkRegistry.slashWithEvidence` (`finality-network slash …`).",
  WrongNetwork: "The evidence was sent for another Network id: use the relay's `networkId`.",
  InvalidEvidence: "The evidence does not prove the offence: check the statements, signatures and the operator.",
  AlreadySlashed: "This operator was already slashed for that epoch; nothing to do.",
  NothingToPay: "Nothing is owed for that vault epoch (no certificate, or already paid).",
  BeaconRootNotFound: "The EIP-4788 contract has no root for that slot (empty slot, or older than ~27 hours).",
  BLSInvalidLength: "Check the sizes: compressed key 48 bytes, G1 point 128, G2 point 256.",
  BLSInvalidCompressedEncoding: "The compressed key is not a valid BLS12-381 G1 encoding.",
  BLSPointMismatch: "The uncompressed point is not the compressed key's point.",
  BLSPubkeyAtInfinity: "The key is the point at infinity; create a real key.",
  BLSPrecompileFailed: "The chain lacks EIP-2537 (Prague) BLS precompiles.",
  BLSInvalidExpandLength: "Report it: the message expansion length is out of range.",
  BLSInvalidAggregate: "Give the signer keys as whole 128-byte points.",
  CaptureOutOfWindow: "Evidence must be submitted while the capture time is within the slashing window.",
  NothingSlashable: "The operator holds no slashable stake for the Network (never staked, or already slashed).",
  UnknownNetwork: "Check the relay address: its Network id is not in this registry.",
  WrongSlashKind: "The Network is not an objective-slashing Network.",
};

/** A finality-relay transaction would revert (decoded before anything is sent). */
export class FinalityRelayRevertedError extends BaseError<{
  code: "ERR_FINALITY_RELAY_REVERTED";
  functionName: string;
  errorName: string;
}> {
  override name = "FinalityRelayRevertedError";
  readonly errorName: string;
  readonly args: readonly unknown[];
  constructor(functionName: string, errorName: string, args: readonly unknown[], cause?: unknown) {
    const shown = args.map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ");
    super(
      { code: "ERR_FINALITY_RELAY_REVERTED", functionName, errorName },
      `${functionName} would revert: ${errorName}(${shown})`,
      { hint: RELAY_REVERT_HINTS[errorName] ?? "Rerun with --verbose to see the cause.", cause },
    );
    this.errorName = errorName;
    this.args = args;
  }
}

/** The address given is not a finality relay (no code, or it does not answer the relay's views). */
export class NotAFinalityRelayError extends BaseError<{ code: "ERR_FINALITY_NOT_A_RELAY"; relay: string }> {
  override name = "NotAFinalityRelayError";
  constructor(relay: string, cause?: unknown) {
    super({ code: "ERR_FINALITY_NOT_A_RELAY", relay }, `${relay} is not a finality relay`, {
      hint: "Pass --relay <address> of the deployed FinalityRelay (the devnet prints it; see network.json in its directory).",
      cause,
    });
  }
}

/** Bad evidence input before anything is sent (missing signature, statements of different epochs, …). */
export class FinalityEvidenceError extends BaseError<{ code: "ERR_FINALITY_EVIDENCE" }> {
  override name = "FinalityEvidenceError";
  constructor(shortMessage: string, hint: string) {
    super({ code: "ERR_FINALITY_EVIDENCE" }, shortMessage, { hint });
  }
}

/** A certificate that cannot be valid, found before anything is sent (unknown signer, bad signature, …). */
export class FinalityCertificateError extends BaseError<{ code: "ERR_FINALITY_CERTIFICATE" }> {
  override name = "FinalityCertificateError";
  constructor(shortMessage: string, hint: string) {
    super({ code: "ERR_FINALITY_CERTIFICATE" }, shortMessage, { hint });
  }
}

/** Hints of this package's error codes, for a command line's error reporter. */
export const FINALITY_ERROR_HINTS = {
  ERR_FINALITY_RELAY_REVERTED: { hint: "Read the decoded revert; its own hint says what to do." },
  ERR_FINALITY_NOT_A_RELAY: { hint: "Pass --relay <address> of the deployed FinalityRelay.", usage: true },
  ERR_FINALITY_EVIDENCE: { hint: "Check the evidence file against `finality-network slash --help`.", usage: true },
  ERR_FINALITY_ARTIFACT: { hint: "Run `npm run build -w @nektar/finality-network`." },
  ERR_FINALITY_CERTIFICATE: {
    hint: "Check the signatures file against `finality-network certify --help`.",
    usage: true,
  },
} as const;

/** Decodes a revert of the relay or the registry into `FinalityRelayRevertedError`; other errors pass unchanged. */
export function decodeRelayRevert(error: unknown, functionName: string): unknown {
  if (!(error instanceof ViemBaseError)) return error;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  const raw =
    reverted instanceof ContractFunctionRevertedError
      ? reverted.raw
      : (error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null)?.data;
  if (raw === undefined) return error;
  for (const abi of [finalityRelayAbi, networkRegistryAbi]) {
    try {
      const d = decodeErrorResult({ abi, data: raw });
      return new FinalityRelayRevertedError(functionName, d.errorName, d.args ?? [], error);
    } catch {}
  }
  return error;
}
