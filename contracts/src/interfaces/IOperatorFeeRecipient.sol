// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IOperatorFeeRecipient
/// @notice What the staking pool calls on a contract operator-rewards recipient after minting it an operator fee.
interface IOperatorFeeRecipient {
    /// @notice The pool minted `feeShares` divETH shares of operator fee to the caller's recipient (this contract),
    /// while applying an oracle report.
    /// @param feeShares divETH shares minted.
    function onOperatorFee(uint256 feeShares) external;
}
