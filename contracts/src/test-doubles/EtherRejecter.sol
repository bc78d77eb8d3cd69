// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice Test double that rejects every ether transfer.
contract EtherRejecter {
    error Rejected();

    receive() external payable {
        revert Rejected();
    }
}
