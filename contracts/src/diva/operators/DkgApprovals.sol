// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IDkgApprovals} from "../../interfaces/IDkgApprovals.sol";

/// @title DkgApprovals
/// @notice See `IDkgApprovals`. Stateless; deployed by the operator registry's constructor so that the EIP-712 hashing
/// and OpenZeppelin's `SignatureChecker` (ECDSA recovery and the ERC-1271 call) live outside the registry's 24,576
/// bytes. The digest is exactly the one `EIP712("Nektar Operator Registry", "1")` in the registry would give.
/// @dev An ERC-1271 signer sees this contract, not the registry, as `msg.sender`; the digest names the registry and
/// the request, so the approval cannot be replayed elsewhere.
contract DkgApprovals is IDkgApprovals {
    /* solhint-disable gas-small-strings */
    /// @inheritdoc IDkgApprovals
    bytes32 public constant override DKG_RESULT_TYPEHASH = keccak256(
        "DkgResult(uint256 requestId,bytes groupPubkey,bytes sharePubkeys,bytes depositSignature,bytes32 depositDataRoot)"
    );
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /* solhint-enable gas-small-strings */
    bytes32 private constant _NAME_HASH = keccak256("Nektar Operator Registry");
    bytes32 private constant _VERSION_HASH = keccak256("1");

    address private immutable _REGISTRY;

    constructor() {
        _REGISTRY = msg.sender;
    }

    /// @inheritdoc IDkgApprovals
    function registry() external view override returns (address) {
        return _REGISTRY;
    }

    /// @inheritdoc IDkgApprovals
    function resultDigest(
        uint256 requestId,
        bytes calldata groupPubkey,
        bytes calldata sharePubkeys,
        bytes calldata depositSignature,
        bytes32 depositDataRoot
    ) external view override returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                DKG_RESULT_TYPEHASH,
                requestId,
                keccak256(groupPubkey),
                keccak256(sharePubkeys),
                keccak256(depositSignature),
                depositDataRoot
            )
        );
        // Computed per call (not cached) so a chain fork gets its own chain id, as OpenZeppelin's EIP712 ensures.
        bytes32 domainSeparator =
            keccak256(abi.encode(_DOMAIN_TYPEHASH, _NAME_HASH, _VERSION_HASH, block.chainid, _REGISTRY));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator, structHash));
    }

    /// @inheritdoc IDkgApprovals
    function firstInvalidSignature(address[] calldata signers, bytes32 digest, bytes[] calldata signatures)
        external
        view
        override
        returns (uint256 position)
    {
        for (; position < signers.length; ++position) {
            address signer = signers[position];
            if (signer == address(0)) continue;
            bytes calldata signature = signatures[position];
            // An ECDSA signature that recovers to the signer is valid whatever the signer is (as `SignatureChecker`
            // decides for an EOA), without its code-size lookup, a cold account access per signer; anything else
            // must be a valid ERC-1271 signature.
            if (signature.length == 65) {
                (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(
                    digest, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64])
                );
                if (err == ECDSA.RecoverError.NoError && recovered == signer) continue;
            }
            if (!SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature)) return position;
        }
    }
}
