// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";

/// @notice One operator owned by a contract (tests and benchmarks only): registers and bonds ether in its constructor,
/// so a fleet can create thousands of real operators, each with its own owner, in a few transactions.
contract FleetOperator {
    constructor(IOperatorRegistry registry, address signer, bytes32 nodeIdentity) payable {
        uint256 operatorId = registry.registerOperator(signer, nodeIdentity, "");
        if (msg.value != 0) registry.bondEther{value: msg.value}(operatorId);
    }
}

/// @notice Batch creator of `FleetOperator`s (tests and benchmarks only, never deployed on a network). Every operator
/// goes through the registry's public `registerOperator` and `bondEther`, exactly as an externally owned owner would.
contract OperatorFleet {
    /// @notice The value sent does not equal the sum of the bonds.
    error ValueMismatch(uint256 value, uint256 bonds);

    /// @notice Registers `signers.length` operators, operator `i` with `bonds[i]` wei of ether bond.
    /// @param registry The operator registry.
    /// @param signers DKG result signers, one per operator.
    /// @param nodeIdentities Node identities, one per operator.
    /// @param bonds Ether bonds in wei, one per operator (zero for none).
    function register(
        IOperatorRegistry registry,
        address[] calldata signers,
        bytes32[] calldata nodeIdentities,
        uint256[] calldata bonds
    ) external payable {
        uint256 total;
        for (uint256 i; i < signers.length; ++i) {
            total += bonds[i];
            new FleetOperator{value: bonds[i]}(registry, signers[i], nodeIdentities[i]);
        }
        if (total != msg.value) revert ValueMismatch(msg.value, total);
    }
}
