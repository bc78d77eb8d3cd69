// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReshareMessage} from "../libraries/ReshareMessage.sol";
import {GasMeter} from "./GasMeter.sol";

/// @notice Test harness exposing the ReshareMessage library, under the operator registry's EIP-712 domain name so the
/// newcomer's approval is checked the way the registry will check it (tests and benchmarks only, never deployed on a
/// network).
contract ReshareMessageHarness is GasMeter, EIP712 {
    constructor() EIP712("Nektar Operator Registry", "1") {}

    /// @notice `ReshareMessage.encode`.
    function encode(ReshareMessage.Result calldata r) external pure returns (bytes memory) {
        return ReshareMessage.encode(r);
    }

    /// @notice `ReshareMessage.resultRoot`.
    function resultRoot(ReshareMessage.Result calldata r) external pure returns (bytes32) {
        return ReshareMessage.resultRoot(r);
    }

    /// @notice `ReshareMessage.signingRoot`.
    function signingRoot(ReshareMessage.Result calldata r, bytes4 genesisForkVersion) external view returns (bytes32) {
        return ReshareMessage.signingRoot(r, genesisForkVersion);
    }

    /// @notice `ReshareMessage.verifyValidatorSignature`.
    function verifyValidatorSignature(
        ReshareMessage.Result calldata r,
        bytes4 genesisForkVersion,
        bytes calldata pubkeyPoint,
        bytes calldata signature,
        bytes calldata signaturePoint
    ) external view returns (bool) {
        return ReshareMessage.verifyValidatorSignature(r, genesisForkVersion, pubkeyPoint, signature, signaturePoint);
    }

    /// @notice Whether `signature` is the newcomer's EIP-712 approval of `r` under this contract's domain.
    function verifyApproval(ReshareMessage.Result calldata r, bytes calldata signature) external view returns (bool) {
        bytes32 digest = _hashTypedDataV4(ReshareMessage.approvalStructHash(ReshareMessage.resultRoot(r)));
        return SignatureChecker.isValidSignatureNow(r.newcomer, digest, signature);
    }

    /// @notice Both checks a registry runs on a submitted result (what the gas benchmark measures).
    function checkResult(
        ReshareMessage.Result calldata r,
        bytes4 genesisForkVersion,
        bytes calldata pubkeyPoint,
        bytes calldata signature,
        bytes calldata signaturePoint,
        bytes calldata approval
    ) external view returns (bool) {
        bytes32 root = ReshareMessage.resultRoot(r);
        bytes32 digest = _hashTypedDataV4(ReshareMessage.approvalStructHash(root));
        return ReshareMessage.verifyValidatorSignature(r, genesisForkVersion, pubkeyPoint, signature, signaturePoint)
            && SignatureChecker.isValidSignatureNow(r.newcomer, digest, approval);
    }
}
