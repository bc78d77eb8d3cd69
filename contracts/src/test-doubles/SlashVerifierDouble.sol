// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ISlashVerifier} from "../nektar/interfaces/ISlashVerifier.sol";

/// @notice Test double of an objective network's verifier: the evidence is `abi.encode(bool valid, uint256 amount)`.
contract SlashVerifierDouble is ISlashVerifier {
    error EvidenceRejected();

    /// @inheritdoc ISlashVerifier
    function verifySlash(uint256, address, uint48, bytes calldata evidence) external pure returns (uint256) {
        (bool valid, uint256 amount) = abi.decode(evidence, (bool, uint256));
        if (!valid) revert EvidenceRejected();
        return amount;
    }
}
