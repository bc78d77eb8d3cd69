// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test double: a plain mintable ERC-20 reward token; with `reenterTarget` set, every transfer first calls
/// it with `reenterData` and requires the call to fail (a reentrant token probing the restaking vault's guard).
contract RewardTokenDouble is ERC20 {
    error ReentryNotRejected();

    address public reenterTarget;
    bytes public reenterData;
    /// @notice Fee taken from each transfer, in basis points (a fee-on-transfer token when non-zero).
    uint256 public feeBps;

    constructor() ERC20("Reward", "RWD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setReentry(address target, bytes calldata data) external {
        reenterTarget = target;
        reenterData = data;
    }

    function setFee(uint256 bps) external {
        feeBps = bps;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (reenterTarget != address(0) && from != address(0)) {
            (bool ok,) = reenterTarget.call(reenterData);
            if (ok) revert ReentryNotRejected();
        }
        uint256 fee = from == address(0) ? 0 : value * feeBps / 10_000;
        if (fee != 0) super._update(from, address(0xfee), fee);
        super._update(from, to, value - fee);
    }
}
