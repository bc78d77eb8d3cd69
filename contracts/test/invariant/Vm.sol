// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The few cheatcodes the invariant suite uses (Hardhat's EDR serves them at the standard address).
interface Vm {
    function deal(address account, uint256 newBalance) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function warp(uint256 timestamp) external;
    function store(address target, bytes32 slot, bytes32 value) external;
    function etch(address target, bytes calldata newRuntimeBytecode) external;
    function envOr(string calldata name, uint256 defaultValue) external view returns (uint256 value);
}

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
