// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title WithdrawalRequestPredeployDouble
/// @notice Test double of the EIP-7002 withdrawal request contract, installed at its address with `hardhat_setCode`:
/// the same calling convention (empty calldata returns the fee; 56 bytes `pubkey ‖ amount` with value ≥ fee queues a
/// request and emits the same 76-byte LOG0 `source ‖ pubkey ‖ amount`) with a fee tests can set, a switch that makes it
/// refuse requests, and a count of the requests it accepted.
contract WithdrawalRequestPredeployDouble {
    uint256 public fee;
    bool public refuse;
    uint256 public requests;

    /// @notice The request was refused (switched off, malformed, or underpaid).
    error Refused();

    /// @notice Sets the fee the contract reports and asks for.
    function setFee(uint256 fee_) external {
        fee = fee_;
    }

    /// @notice Makes the contract refuse (revert) every request.
    function setRefuse(bool refuse_) external {
        refuse = refuse_;
    }

    // solhint-disable-next-line no-complex-fallback
    fallback(bytes calldata input) external payable returns (bytes memory) {
        if (input.length == 0) return abi.encode(fee);
        if (refuse || input.length != 56 || msg.value < fee) revert Refused();
        ++requests;
        bytes memory data = abi.encodePacked(msg.sender, input);
        assembly ("memory-safe") {
            log0(add(data, 32), mload(data))
        }
        return "";
    }
}
