// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice Measures the execution gas of one of the inheriting harness's own functions (benchmarks only). Read the result
/// with an `eth_call`: the figure excludes the transaction's intrinsic and calldata gas, and includes ~1k gas of
/// inner-call overhead (the call, copying the arguments to memory and back).
abstract contract GasMeter {
    /// @notice The inner call reverted.
    error MeasuredCallReverted(bytes reason);

    /// @notice Gas used by calling this contract with `data`.
    function measureGas(bytes calldata data) external returns (uint256 gasUsed) {
        uint256 start = gasleft();
        (bool ok, bytes memory reason) = address(this).call(data);
        gasUsed = start - gasleft();
        if (!ok) revert MeasuredCallReverted(reason);
    }
}
