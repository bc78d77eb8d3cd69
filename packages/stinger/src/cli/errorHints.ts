import type {
  CryptoInputErrorType,
  DepositErrorType,
  DkgAbortedErrorType,
  DkgMessageErrorType,
  DkgUsageErrorType,
  KeystoreErrorType,
  PerformanceMessageErrorType,
  ReshareMessageErrorType,
  RewardsErrorType,
  ThresholdErrorType,
} from "@nektar/crypto";
import type { ErrorHint } from "@nektar/sdk";
import type { ChainErrorType } from "../chain/errors.ts";
import type { ConfigErrorType } from "../config/config.ts";
import type { AgreementErrorType } from "../core/agreement/errors.ts";
import type { PipelineErrorType } from "../core/pipelineError.ts";
import type { CeremonyErrorType, DefinitionErrorType, LockErrorType } from "../dkg/errors.ts";
import type { IdentityErrorType } from "../identity/errors.ts";
import type { NetworkModuleErrorType } from "../networks/errors.ts";
import type { SupervisorErrorType } from "../node/errors.ts";
import type { PerformanceErrorType } from "../performance/errors.ts";
import type { ReshareErrorType } from "../reshare/errors.ts";
import type { SlashingProtectionErrorType } from "../slashing/errors.ts";
import type { AtomicWriteErrorType } from "../storage/atomicFile.ts";

/** Every typed error a `stinger` command can end with (Stinger's own and the crypto package's). */
export type StingerCliErrorType =
  | AgreementErrorType
  | AtomicWriteErrorType
  | CeremonyErrorType
  | ChainErrorType
  | ConfigErrorType
  | CryptoInputErrorType
  | DefinitionErrorType
  | DepositErrorType
  | DkgAbortedErrorType
  | DkgMessageErrorType
  | DkgUsageErrorType
  | IdentityErrorType
  | KeystoreErrorType
  | LockErrorType
  | NetworkModuleErrorType
  | PipelineErrorType
  | ReshareErrorType
  | ReshareMessageErrorType
  | PerformanceErrorType
  | PerformanceMessageErrorType
  | RewardsErrorType
  | SlashingProtectionErrorType
  | SupervisorErrorType
  | ThresholdErrorType;

/** One entry per code, so the compiler refuses a new error type until it has a message and a next step. */
type StingerErrorHints = {
  [T in StingerCliErrorType as T["code"]]: Required<Pick<ErrorHint<Omit<T, "code">>, "message">> &
    ErrorHint<Omit<T, "code">>;
};

const BUG = "This is a bug in Stinger: rerun with --verbose and report the output.";
const PEERS = "Check that the other operators run and are reachable (`--bootnodes`), then retry.";

/** What `stinger` (and `nektar operator`) print for each typed error: a one-line message and the next step. */
export const STINGER_ERROR_HINTS: StingerErrorHints = {
  // identity (stinger init, and every command that reads --data-dir)
  ERR_IDENTITY_EXISTS: {
    message: (m) => `an operator identity already exists at ${m.path}`,
    hint: "Use that identity, or give another --data-dir for a new one (never delete an identity you registered).",
    usage: true,
  },
  ERR_IDENTITY_NOT_FOUND: {
    message: (m) => `no operator identity at ${m.path}`,
    hint: "Create one with `stinger init --data-dir <dir> --el-address <0x…>`, or point --data-dir at yours.",
    usage: true,
  },
  ERR_IDENTITY_INVALID: {
    message: (m) => `the operator identity at ${m.path} is unusable: ${m.reason}`,
    hint: "Restore the data directory from your backup, or give the right --data-dir.",
    usage: true,
  },
  ERR_IDENTITY_WRONG_PASSWORD: {
    message: (m) => `wrong password for the identity keystore ${m.path}`,
    hint: "Give the password used at `stinger init` (--password-file, or STINGER_PASSWORD).",
    usage: true,
  },
  ERR_PASSWORD_UNAVAILABLE: {
    message: (m) => `no identity keystore password: ${m.reason}`,
    hint: "Pass --password-file <file> or set STINGER_PASSWORD (a prompt needs a terminal).",
    usage: true,
  },
  ERR_EL_ACCOUNT_INVALID: {
    message: (m) => `invalid execution-layer account: ${m.reason}`,
    hint: "Give --el-address a 0x-prefixed 20-byte address.",
    usage: true,
  },
  ERR_CONFIG_INVALID: {
    message: (m) => `invalid configuration ${m.key} (${m.source}): ${m.reason}`,
    hint: "Fix that key in the config file, environment variable or flag; `stinger <command> --help` lists them.",
    usage: true,
  },
  ERR_ATOMIC_WRITE_FAILED: {
    message: (m) => `could not write ${m.path}: ${m.reason}`,
    hint: "Check free disk space and that the data directory is writable by this user.",
  },
  // registry (operator commands, following)
  ERR_CHAIN_CURSOR_INVALID: {
    message: (m) => `the registry cursor ${m.path} is unreadable: ${m.reason}`,
    hint: "Move the file aside: the follower rescans the registry from the manifest's deployment block.",
  },
  ERR_CHAIN_ATTESTATIONS_INVALID: {
    message: (m) => `the DKG attestation record ${m.path} is unusable: ${m.reason}`,
    hint: "Use the data directory of this network; if the contracts were redeployed, move the file aside (the node then attests its open DKG rounds once more, which the registry accepts).",
  },
  ERR_CHAIN_CURSOR_MISMATCH: {
    message: (m) => `the registry cursor ${m.path} belongs to ${m.found}, not ${m.expected}`,
    hint: "Use the data directory of this network, or move the cursor aside if the contracts were redeployed.",
    usage: true,
  },
  ERR_CHAIN_NOT_MEMBER: {
    message: (m) => `request ${m.requestId} does not name this node (${m.identityPubkey})`,
    hint: "Nothing to do for this node; check `stinger operator status` if you expected to be drawn.",
  },
  ERR_CHAIN_RESULT_MISMATCH: {
    message: (m) => `request ${m.requestId}: operator ${m.operator} signed another DKG result (${m.reason})`,
    hint: "The ceremony outputs differ between operators; the request expires and is retried with a new draw.",
  },
  ERR_CHAIN_SIGNATURES_MISSING: {
    message: (m) => `request ${m.requestId}: no result signature from operators ${m.missing.join(",")}`,
    hint: PEERS,
  },
  ERR_CHAIN_BEACON_PROOF: {
    message: (m) => `building a withdrawal-credentials proof: ${m.call} failed (${m.reason})`,
    hint: "The beacon node must serve the standard Beacon API including /eth/v2/debug/beacon/states; check --beacon-node.",
  },
  ERR_CHAIN_NOT_SUBMITTED: {
    message: (m) => `request ${m.requestId}: result not submitted in ${m.timeoutMs} ms (status ${m.status})`,
    hint: "Check that the submitters' signer accounts hold ETH for gas and the RPC is reachable.",
  },
  ERR_CHAIN_SIGNER_NOT_REGISTERED: {
    message: (m) =>
      `request ${m.requestId}: operator ${m.position} signs as ${m.have}, the registry expects ${m.expected}`,
    hint: "Run with the registered signer's key (--signer-key-file), or update the operator's signer in the registry.",
    usage: true,
  },
  // DKG ceremonies
  ERR_DEFINITION_INVALID: {
    message: (m) => `cluster definition ${m.path}: ${m.reason}`,
    hint: "Fix the definition file (every operator must use the identical file).",
    usage: true,
  },
  ERR_LOCK_INVALID: {
    message: (m) => `invalid cluster lock: ${m.reason}`,
    hint: "Use the lock this ceremony wrote; compare lock hashes with the other operators (`stinger dkg verify`).",
    usage: true,
  },
  ERR_CEREMONY_NOT_MEMBER: {
    message: (m) => `this node (${m.peerId}) is not an operator of the definition`,
    hint: "Give the --data-dir of an operator named in the definition.",
    usage: true,
  },
  ERR_CEREMONY_TIMEOUT: {
    message: (m) => `ceremony ${m.phase} timed out after ${m.timeoutMs} ms, missing operators ${m.missing.join(",")}`,
    hint: PEERS,
  },
  ERR_CEREMONY_DKG_FAILED: {
    message: (m) => `the DKG failed: ${m.reason}`,
    hint: "Start a new ceremony; if it fails again, rerun with --verbose and compare logs with the other operators.",
  },
  ERR_CEREMONY_PEER_ABORTED: {
    message: (m) => `operator ${m.operator} aborted the ceremony: ${m.reason}`,
    hint: "Ask that operator why (its log says), then start a new ceremony.",
  },
  ERR_CEREMONY_LOCK_MISMATCH: {
    message: (m) => `operator ${m.operator} computed lock ${m.got}, this node ${m.expected}`,
    hint: "Do not deposit: the operators disagree on the result. Start a new ceremony with the identical definition.",
  },
  ERR_CEREMONY_QUALIFIED_SET_MISMATCH: {
    message: (m) => `operator ${m.operator} ended the DKG with qualified set and key ${m.got}, this node ${m.expected}`,
    hint: "Nothing was written. Every operator aborts; start a new ceremony and keep the logs (an operator equivocated or the network split).",
  },
  ERR_CEREMONY_SESSION_MISMATCH: {
    message: (m) =>
      `operators ${String(m.operators)} run this ceremony with a different definition (another session id)`,
    hint: "Compare the definition with those operators (threshold, withdrawal credentials, fork version, amount, operators) and start again with identical files.",
    usage: true,
  },
  ERR_CEREMONY_DEPOSIT_SIGNATURE: {
    message: (m) => `the deposit signature does not verify: ${m.reason}`,
    hint: "Do not deposit; check the fork version (--fork-version) and start a new ceremony.",
  },
  ERR_CEREMONY_OUTPUT_EXISTS: {
    message: (m) => `ceremony output ${m.path} already exists`,
    hint: "A finished ceremony is never overwritten: move that output aside, or use another --data-dir.",
    usage: true,
  },
  // resharing (one operator of a validator replaced)
  ERR_RESHARE_REQUEST_INVALID: {
    message: (m) => `the reshare request does not match this node's cluster lock: ${m.reason}`,
    hint: "Check that the node runs with the validator's current lock and the registry's request; nothing was dealt.",
  },
  ERR_RESHARE_MESSAGE_INVALID_FIELD: {
    message: (m) => `the reshare result is malformed: ${m.field} ${m.reason}`,
    hint: BUG,
  },
  ERR_RESHARE_NOT_MEMBER: {
    message: (m) => `this operator (${m.peerId}) takes no part in the resharing`,
    hint: "The leaving operator and operators outside the cluster do not run it; nothing to do on this node.",
  },
  ERR_RESHARE_TOO_FEW_DEALERS: {
    message: (m) => `only seats ${m.dealers} dealt; ${m.threshold} are needed`,
    hint: PEERS,
  },
  ERR_RESHARE_FAILED: {
    message: (m) => `the resharing failed: ${m.reason}`,
    hint: "The current shares stay in use; the registry retries with a new request after the deadline.",
  },
  ERR_RESHARE_VALIDATOR_SIGNATURE: {
    message: (m) => `the old shares did not sign the result: ${m.reason}`,
    hint: PEERS,
  },
  ERR_RESHARE_SLASHING_STATE: {
    message: (m) => `the slashing-protection state for the newcomer is not attested: ${m.reason}`,
    hint: "The newcomer signs nothing for the validator without it. During a resharing: check that the members run; the registry retries with a new request. When loading a reshared share: import the validator's slashing-protection history (`stinger slashing import`) before restarting.",
  },
  // per-share performance statements
  ERR_PERFORMANCE_MESSAGE_INVALID_FIELD: {
    message: (m) => `the performance statement is malformed: ${m.field} ${m.reason}`,
    hint: BUG,
  },
  ERR_REWARDS_INVALID_INPUT: {
    message: (m) => `the rewards distribution does not fit the registry: ${m.field} ${m.reason}`,
    hint: "Rebuild the distribution file from the clusters' statements for the fee's frame (16 counts per validator, ids 1..n).",
    usage: true,
  },
  ERR_PERFORMANCE_STORE_CORRUPT: {
    message: (m) => `performance record ${m.path} cannot be read: ${m.reason}`,
    hint: "Move that file aside (the frame's counts restart from zero); duties are not affected.",
  },
  ERR_PERFORMANCE_ALREADY_SIGNED: {
    message: (m) =>
      `this node already signed another performance statement for validator ${m.validator} in frame ${m.frame} (${m.signedRoot})`,
    hint: "Nothing to do: a member signs one statement per frame, so the cluster can never hold two.",
  },
  ERR_PERFORMANCE_PROPOSAL_REJECTED: {
    message: (m) =>
      `the performance statement proposal for ${m.validator} in frame ${m.frame} was refused: ${m.reason}`,
    hint: PEERS,
  },
  ERR_PERFORMANCE_TOO_FEW_SIGNATURES: {
    message: (m) =>
      `only ${m.have} of the ${m.need} signatures of the performance statement for ${m.validator} in frame ${m.frame}`,
    hint: PEERS,
  },
  // duties
  ERR_SUPERVISOR_LOCK_INVALID: {
    message: (m) => `validator lock ${m.lock} cannot be loaded: ${m.reason}`,
    hint: "Restore that ceremony output from your backup; the other validators keep running.",
  },
  ERR_SUPERVISOR_LOCK_CONFLICT: {
    message: (m) => `validator lock ${m.lock} contradicts another or this node's flags: ${m.reason}`,
    hint:
      "Keep one copy of each validator's ceremony outputs in the data directory; run with the --agreement " +
      "(and --agreement-timeout-ms) the lock binds, or leave them out to follow the locks.",
  },
  ERR_DUTY_DATA_INVALID: {
    message: (m) => `invalid duty data: ${m.reason}`,
    hint: "Check the beacon node (--beacon-node) is synced and on the same network as the cluster.",
  },
  ERR_DUTY_SLASHABLE: {
    message: (m) => `refused to sign ${m.duty}: ${m.reason}`,
    hint: "Slashing protection worked; check that no other client runs with the same key shares.",
  },
  ERR_DUTY_CONFLICT: {
    message: (m) => `duty ${m.duty} was decided with another value`,
    hint: "Nothing to do: the cluster's agreed value wins.",
  },
  ERR_DUTY_ABORTED: {
    message: (m) => `duty ${m.duty} was aborted`,
    hint: "Nothing to do unless it repeats; then check the beacon node's and the peers' latency.",
  },
  ERR_DUTY_UNKNOWN_VALIDATOR: {
    message: (m) => `no key share for validator ${m.validator}`,
    hint: "Check that the validator's ceremony outputs are in this --data-dir.",
  },
  ERR_DUTY_INSUFFICIENT_PARTIALS: {
    message: (m) => `duty ${m.duty}: ${m.have} of ${m.need} partial signatures`,
    hint: PEERS,
  },
  ERR_BEACON_NODE: {
    message: (m) => `beacon node call ${m.call} failed: ${m.reason}`,
    hint: "Check that --beacon-node is reachable and synced.",
  },
  ERR_AGREEMENT_MESSAGE_INVALID: { message: (m) => `invalid agreement message: ${m.reason}`, hint: BUG },
  ERR_AGREEMENT_CONFIG_INVALID: {
    message: (m) => `invalid agreement configuration: ${m.reason}`,
    hint: "Fix --agreement and the timing flags (`stinger run --help`).",
    usage: true,
  },
  // slashing protection
  ERR_SLASHING_DB_GENESIS_MISMATCH: {
    message: (m) => `the slashing database belongs to genesis ${m.actual}, not ${m.expected}`,
    hint: "Use the data directory of this network; never reuse one across networks.",
    usage: true,
  },
  ERR_SLASHING_DB_CORRUPT: {
    message: (m) => `the slashing database ${m.file} is corrupt: ${m.reason}`,
    hint: "Stop: restore it from a backup or import an EIP-3076 interchange before signing again.",
  },
  ERR_SLASHING_DB_CLOSED: { message: () => "the slashing database is closed", hint: BUG },
  // Network modules (stinger run --networks)
  ERR_NETWORK_KEY_NOT_FOUND: {
    message: (m) => `no Network key at ${m.path}`,
    hint: "Start the module once (`stinger run --networks <file>`) to create it, or restore it from your backup.",
    usage: true,
  },
  ERR_NETWORK_KEY_INVALID: {
    message: (m) => `the Network key at ${m.path} is unusable: ${m.reason}`,
    hint: "Restore the keystore from your backup.",
    usage: true,
  },
  ERR_NETWORK_KEY_WRONG_PASSWORD: {
    message: (m) => `wrong password for the Network keystore ${m.path}`,
    hint: "Network keys use the node's password (--password-file, or STINGER_PASSWORD).",
    usage: true,
  },
  ERR_NETWORK_CONFLICTING_SIGNATURE: {
    message: (m) =>
      `refused to sign for module ${m.module}: epoch ${m.epoch} already has signing root ${m.signed}, asked ${m.requested}`,
    hint: "Signing both would get the operator slashed. Check that no second node runs with this data directory.",
  },
  ERR_NETWORK_PROTECTION_CORRUPT: {
    message: (m) => `the Network module's slashing protection at ${m.path} is unreadable: ${m.reason}`,
    hint: "Restore it from your backup; never delete it while the module's Network key is registered.",
  },
  ERR_NETWORK_EPOCH_BELOW_WATERMARK: {
    message: (m) =>
      `refused to sign for module ${m.module}: epoch ${m.epoch} is at or below the pruned history (${m.watermark})`,
    hint: "An old epoch cannot be signed again safely; the module continues with newer epochs.",
  },
  ERR_NETWORK_MODULE_INVALID: {
    message: (m) => `Network module ${m.module}: ${m.reason}`,
    hint: 'Fix the entry in networks.json (see packages/stinger/README.md, "Network modules").',
    usage: true,
  },
  ERR_NETWORK_MODULE_DUPLICATE: {
    message: (m) => `two Network modules are named ${m.module}`,
    hint: 'Give one of them another "name" in networks.json.',
    usage: true,
  },
  ERR_SLASHING_DB_FAILED: {
    message: (m) => `the slashing database failed: ${m.reason}`,
    hint: "Check free disk space and permissions of the data directory.",
  },
  ERR_SLASHING_DB_LOCKED: {
    message: (m) => `the slashing database in ${m.dir} is in use by another process`,
    hint: "Stop the other Stinger using this --data-dir; two signers on one key share is how validators get slashed.",
    usage: true,
  },
  ERR_INTERCHANGE_INVALID: {
    message: (m) => `interchange file ${m.path}: ${m.reason}`,
    hint: "Give an EIP-3076 interchange file (version 5).",
    usage: true,
  },
  ERR_INTERCHANGE_VERSION: {
    message: (m) => `unsupported interchange version ${m.version}`,
    hint: "Export the interchange as EIP-3076 version 5.",
    usage: true,
  },
  ERR_INTERCHANGE_GENESIS_MISMATCH: {
    message: (m) => `the interchange is for genesis ${m.actual}, not ${m.expected}`,
    hint: "Import the interchange of this network.",
    usage: true,
  },
  ERR_SIGNING_REQUEST_INVALID: { message: (m) => `invalid signing request: ${m.reason}`, hint: BUG },
  // crypto
  ERR_KEYSTORE_INVALID: {
    message: (m) => `invalid keystore: ${m.reason}`,
    hint: "Restore the keystore file from your backup.",
    usage: true,
  },
  ERR_KEYSTORE_WRONG_PASSWORD: {
    message: () => "wrong keystore password",
    hint: "Give the password the keystore was created with (--password-file, or STINGER_PASSWORD).",
    usage: true,
  },
  ERR_KEYSTORE_INVALID_SECRET: {
    message: () => "the keystore holds an invalid secret key",
    hint: "Restore the keystore file from your backup.",
  },
  ERR_KEYSTORE_PUBKEY_MISMATCH: {
    message: () => "the keystore's public key does not match its secret",
    hint: "Restore the keystore file from your backup.",
  },
  ERR_DEPOSIT_INVALID_FIELD: {
    message: (m) => `invalid deposit data ${m.field}: ${m.reason}`,
    hint: "Do not deposit; regenerate the deposit data with a new ceremony.",
  },
  ERR_DEPOSIT_INVALID_SIGNATURE: {
    message: () => "the deposit signature does not verify",
    hint: "Do not deposit; check the fork version and regenerate the deposit data.",
  },
  ERR_DKG_ABORTED: {
    message: (m) => `the DKG aborted (${m.reason}): ${m.qualified} qualified dealers, ${m.needed} needed`,
    hint: "Start a new ceremony once enough operators are online.",
  },
  ERR_DKG_INVALID_CONFIG: {
    message: (m) => `invalid DKG configuration: ${m.reason}`,
    hint: "Fix the cluster definition (operators and threshold).",
    usage: true,
  },
  ERR_DKG_INVALID_PHASE: { message: (m) => `DKG ${m.action} in phase ${m.phase}`, hint: BUG },
  ERR_DKG_MESSAGE_TOO_LARGE: { message: (m) => `DKG message of ${m.size} bytes (max ${m.max})`, hint: PEERS },
  ERR_DKG_MALFORMED_MESSAGE: { message: (m) => `malformed DKG message: ${m.reason}`, hint: PEERS },
  ERR_DKG_UNSUPPORTED_VERSION: {
    message: (m) => `DKG message version ${m.version} is not supported`,
    hint: "Run the same Stinger version as the other operators.",
  },
  ERR_DKG_WRONG_SESSION: { message: () => "DKG message of another session", hint: PEERS },
  ERR_DKG_SENDER_MISMATCH: {
    message: (m) => `DKG message from ${m.from} claims to be from ${m.claimed}`,
    hint: PEERS,
  },
  ERR_DKG_UNKNOWN_SENDER: { message: (m) => `DKG message from unknown operator ${m.from}`, hint: PEERS },
  ERR_DKG_WRONG_RECIPIENT: {
    message: (m) => `DKG message for operator ${m.recipient} reached operator ${m.self}`,
    hint: PEERS,
  },
  ERR_DKG_WRONG_ROUND: { message: (m) => `DKG ${m.messageType} received in phase ${m.phase}`, hint: PEERS },
  ERR_DKG_DUPLICATE_MESSAGE: { message: (m) => `duplicate DKG ${m.messageType} from ${m.from}`, hint: PEERS },
  ERR_DKG_EQUIVOCATION: {
    message: (m) => `operator ${m.from} sent two different ${m.messageType} messages`,
    hint: "That operator is faulty or malicious: report it to the cluster.",
  },
  ERR_DKG_INVALID_MESSAGE: {
    message: (m) => `invalid DKG ${m.messageType} from ${m.from}: ${m.reason}`,
    hint: "That operator is faulty or misconfigured: report it to the cluster.",
  },
  ERR_CRYPTO_INVALID_SCALAR: { message: (m) => `invalid scalar: ${m.reason}`, hint: BUG },
  ERR_CRYPTO_INVALID_POINT: { message: (m) => `invalid ${m.kind} point: ${m.reason}`, hint: BUG },
  ERR_CRYPTO_INVALID_SHARE_INDEX: {
    message: (m) => `invalid share index ${m.shareIndex} (1..${m.max})`,
    hint: "Fix the cluster definition's operator list.",
    usage: true,
  },
  ERR_CRYPTO_INVALID_THRESHOLD: {
    message: (m) => `invalid threshold ${m.threshold} of ${m.participants}`,
    hint: "Fix the cluster definition's threshold.",
    usage: true,
  },
  ERR_CRYPTO_DUPLICATE_SHARE_INDEX: {
    message: (m) => `share index ${m.shareIndex} appears twice`,
    hint: "Fix the cluster definition's operator list.",
    usage: true,
  },
  ERR_THRESHOLD_INSUFFICIENT_PARTIALS: {
    message: (m) => `${m.have} of ${m.need} partial signatures (rejected: ${m.bad || "none"})`,
    hint: PEERS,
  },
  ERR_THRESHOLD_INCONSISTENT_KEYS: {
    message: (m) => `the key shares do not belong to one group key (${m.used})`,
    hint: "Restore this validator's ceremony outputs; compare lock hashes with the other operators.",
  },
  ERR_THRESHOLD_INVALID_SHARE_PUBLIC_KEY: {
    message: (m) => `invalid public key share of share index ${m.shareIndex}`,
    hint: "Restore this validator's cluster lock from your backup.",
  },
  ERR_THRESHOLD_INVALID_GROUP_PUBLIC_KEY: {
    message: () => "invalid group public key",
    hint: "Restore this validator's cluster lock from your backup.",
  },
};
