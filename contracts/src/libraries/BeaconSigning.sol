// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BLS} from "./BLS.sol";
import {SSZ} from "./SSZ.sol";

/// @title BeaconSigning
/// @notice Consensus-spec signing roots (`compute_domain`, `compute_signing_root`) and the deposit-signature check:
/// what a validator key signs for a deposit, verified on-chain with `BLS`.
/// @dev Deposits are signed over `DepositMessage(pubkey, withdrawal_credentials, amount)` with
/// `DOMAIN_DEPOSIT = 0x03000000`, the network's **genesis** fork version and a zero genesis validators root, so a
/// deposit signature stays valid across forks (consensus specs, phase0 `process_deposit`). The beacon chain does not
/// reject a block for a bad deposit signature — it ignores that deposit (unless the key already exists, when the
/// signature is not checked at all); checking on-chain is what lets a contract refuse a deposit the beacon chain would
/// drop.
library BeaconSigning {
    /// @notice `DOMAIN_DEPOSIT` (consensus specs, phase0).
    bytes4 internal constant DOMAIN_DEPOSIT = 0x03000000;
    /// @notice Ethereum's BLS ciphersuite: proof-of-possession scheme with hash-to-G2 `BLS12381G2_XMD:SHA-256_SSWU_RO_`.
    bytes internal constant DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    /// @notice `compute_domain(domainType, forkVersion, genesisValidatorsRoot)`: the domain type followed by the
    /// first 28 bytes of `hash_tree_root(ForkData(forkVersion, genesisValidatorsRoot))`.
    function computeDomain(
        bytes4 domainType,
        bytes4 forkVersion,
        bytes32 genesisValidatorsRoot
    ) internal view returns (bytes32) {
        bytes32 forkDataRoot = SSZ.hashPair(bytes32(forkVersion), genesisValidatorsRoot);
        return bytes32(domainType) | (forkDataRoot >> 32);
    }

    /// @notice `compute_signing_root`: `hash_tree_root(SigningData(objectRoot, domain))`.
    function computeSigningRoot(bytes32 objectRoot, bytes32 domain) internal view returns (bytes32) {
        return SSZ.hashPair(objectRoot, domain);
    }

    /// @notice `hash_tree_root(DepositMessage(pubkey, withdrawalCredentials, amountGwei))` (`deposit_message_root`).
    function depositMessageRoot(
        bytes memory pubkey,
        bytes32 withdrawalCredentials,
        uint64 amountGwei
    ) internal view returns (bytes32) {
        return SSZ.hashPair(
            SSZ.hashPair(SSZ.pubkeyRoot(pubkey), withdrawalCredentials),
            SSZ.hashPair(SSZ.toLittleEndian64(amountGwei), bytes32(0))
        );
    }

    /// @notice The root a deposit signature signs on the network with `genesisForkVersion`.
    function depositSigningRoot(
        bytes memory pubkey,
        bytes32 withdrawalCredentials,
        uint64 amountGwei,
        bytes4 genesisForkVersion
    ) internal view returns (bytes32) {
        return computeSigningRoot(
            depositMessageRoot(pubkey, withdrawalCredentials, amountGwei),
            computeDomain(DOMAIN_DEPOSIT, genesisForkVersion, bytes32(0))
        );
    }

    /// @notice Whether `signature` is a valid deposit signature of validator `pubkey` for
    /// (`withdrawalCredentials`, `amountGwei`) on the network with `genesisForkVersion`.
    /// @param pubkey The validator key as deposited (48 bytes compressed).
    /// @param pubkeyPoint The same key uncompressed (EIP-2537 G1, 128 bytes), checked against `pubkey`.
    /// @param signature The deposit signature as deposited (96 bytes compressed).
    /// @param signaturePoint The same signature uncompressed (EIP-2537 G2, 256 bytes), checked against `signature`.
    /// @dev Reverts (custom errors of `BLS`/`SSZ`) for malformed encodings; false for a well-formed wrong signature.
    function verifyDepositSignature(
        bytes memory pubkey,
        bytes memory pubkeyPoint,
        bytes32 withdrawalCredentials,
        uint64 amountGwei,
        bytes memory signature,
        bytes memory signaturePoint,
        bytes4 genesisForkVersion
    ) internal view returns (bool) {
        bytes32 root = depositSigningRoot(pubkey, withdrawalCredentials, amountGwei, genesisForkVersion);
        return BLS.verifyCompressed(pubkey, pubkeyPoint, abi.encodePacked(root), signature, signaturePoint, DST);
    }
}
