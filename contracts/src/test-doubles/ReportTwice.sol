// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccountingOracle} from "../interfaces/IAccountingOracle.sol";

/// @notice Test double: submits two reports in one transaction (the second must fail with `ReportInSameBlock`).
contract ReportTwice {
    /// @notice Submits `report` to `oracle` twice.
    /// @param oracle The oracle (this contract needs its reporter role).
    /// @param report The report.
    function run(IAccountingOracle oracle, IAccountingOracle.Report calldata report) external {
        oracle.submitReport(report);
        oracle.submitReport(report);
    }
}
