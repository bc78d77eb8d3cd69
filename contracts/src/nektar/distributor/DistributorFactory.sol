// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IWrappedDivETH} from "../../interfaces/IWrappedDivETH.sol";
import {IDistributorStrategy} from "../interfaces/IDistributorStrategy.sol";
import {IRestakingVault} from "../interfaces/IRestakingVault.sol";
import {Distributor} from "./Distributor.sol";

/// @title DistributorFactory
/// @notice Anyone deploys a Distributor with their own strategy and becomes its curator; the factory lists them for
/// the marketplace.
contract DistributorFactory {
    IRestakingVault private immutable _VAULT;
    IWrappedDivETH private immutable _WDIV_ETH;
    address[] private _distributors;

    /// @notice `curator` deployed `distributor` with `strategy`.
    event DistributorCreated(address indexed distributor, address indexed curator, address strategy, string name);

    /// @notice Strategy is the zero address.
    error ZeroStrategy();

    /// @param vault The restaking vault.
    /// @param wdivETH The wdivETH token.
    constructor(IRestakingVault vault, IWrappedDivETH wdivETH) {
        _VAULT = vault;
        _WDIV_ETH = wdivETH;
    }

    /// @notice Deploys a Distributor curated by the caller.
    /// @return distributor Its address.
    function create(IDistributorStrategy strategy, string calldata name, string calldata symbol)
        external
        returns (address distributor)
    {
        if (address(strategy) == address(0)) revert ZeroStrategy();
        distributor = address(new Distributor(_VAULT, _WDIV_ETH, strategy, msg.sender, name, symbol));
        _distributors.push(distributor);
        emit DistributorCreated(distributor, msg.sender, address(strategy), name);
    }

    /// @notice Number of Distributors deployed.
    function distributorCount() external view returns (uint256) {
        return _distributors.length;
    }

    /// @notice Up to `limit` Distributors from `offset`.
    function distributors(uint256 offset, uint256 limit) external view returns (address[] memory out) {
        uint256 n = _distributors.length;
        if (offset >= n) return out;
        uint256 end = offset + limit > n ? n : offset + limit;
        out = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            out[i - offset] = _distributors[i];
        }
    }
}
