// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;
contract Probe { uint256 public x; function inc() external { ++x; } }
