// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDistributorStrategy} from "../nektar/interfaces/IDistributorStrategy.sol";

/// @title StrategyDouble
/// @notice Distributor strategy with weights tests set, a switch that makes it revert and one that makes it burn all
/// its gas.
contract StrategyDouble is IDistributorStrategy {
    uint256[] private _weights;
    bool public reverts;
    bool public burnsGas;

    /// @notice The strategy refuses.
    error StrategyRefused();

    /// @notice Sets the weights returned.
    function setWeights(uint256[] calldata w) external {
        _weights = w;
    }

    /// @notice Sets the failure modes.
    function setFailure(bool reverts_, bool burnsGas_) external {
        reverts = reverts_;
        burnsGas = burnsGas_;
    }

    /// @inheritdoc IDistributorStrategy
    function weights(address, address[] calldata) external view override returns (uint256[] memory) {
        if (reverts) revert StrategyRefused();
        if (burnsGas) {
            uint256 x;
            while (gasleft() > 1_000) x = uint256(keccak256(abi.encode(x)));
        }
        return _weights;
    }
}
