// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";
import {IDistributorStrategy, IPerformanceSource} from "../interfaces/IDistributorStrategy.sol";
import {INetworkRegistry} from "../interfaces/INetworkRegistry.sol";
import {IRestakingVault} from "../interfaces/IRestakingVault.sol";

/// @title SignalStrategy
/// @notice Reference Distributor strategy from on-chain signals, not static ratios. Per operator a score:
/// - zero unless it is a Diva operator (its restaking address owns a Diva operator id) that is neither paused nor
///   ejected; otherwise its Diva bond units (skin in the game);
/// - divided by 4 if the restaking vault slashed it within `SLASH_MEMORY` seconds;
/// - scaled by 10,000 / (10,000 + `EXPOSURE_PENALTY_BPS` × networks it is opted into, of the first `MAX_NETWORKS`):
///   more Networks, more ways to be slashed;
/// - scaled by its performance (basis points) when a performance source is set. Per-share performance is not on-chain
///   yet (Stinger signs statements of it); until a source exists this factor is 1.
/// Weights are the scores normalised to 10,000, each capped at `CAP_BPS` (the capped excess stays idle).
contract SignalStrategy is IDistributorStrategy {
    /// @notice Networks scanned for exposure.
    uint256 public constant MAX_NETWORKS = 16;
    /// @notice Penalty per Network an operator is opted into, in basis points.
    uint256 public constant EXPOSURE_PENALTY_BPS = 1_000;
    uint256 private constant _BPS = 10_000;

    /// @notice Most any one operator may get, in basis points.
    uint256 public immutable CAP_BPS;
    /// @notice How long a slash lowers an operator's score.
    uint256 public immutable SLASH_MEMORY;

    IOperatorRegistry private immutable _DIVA;
    IRestakingVault private immutable _VAULT;
    INetworkRegistry private immutable _NETWORKS;
    IPerformanceSource private immutable _PERFORMANCE;

    /// @notice A constructor argument is out of range.
    error InvalidParameter(uint256 capBps);

    /// @param diva The Diva operator registry (bonds, pause/ejection state).
    /// @param vault The restaking vault (slashing history).
    /// @param networks The network registry (exposure).
    /// @param performance Performance source, or zero for none.
    /// @param capBps Concentration cap per operator (1..10,000).
    /// @param slashMemory Seconds a slash keeps lowering the score.
    constructor(
        IOperatorRegistry diva,
        IRestakingVault vault,
        INetworkRegistry networks,
        IPerformanceSource performance,
        uint256 capBps,
        uint256 slashMemory
    ) {
        if (capBps == 0 || capBps > _BPS) revert InvalidParameter(capBps);
        _DIVA = diva;
        _VAULT = vault;
        _NETWORKS = networks;
        _PERFORMANCE = performance;
        CAP_BPS = capBps;
        SLASH_MEMORY = slashMemory;
    }

    /// @inheritdoc IDistributorStrategy
    function weights(address, address[] calldata operators) external view override returns (uint256[] memory w) {
        uint256 n = operators.length;
        w = new uint256[](n);
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            w[i] = score(operators[i]);
            sum += w[i];
        }
        if (sum == 0) return w;
        for (uint256 i = 0; i < n; ++i) {
            w[i] = Math.min(Math.mulDiv(w[i], _BPS, sum), CAP_BPS);
        }
    }

    /// @notice The operator's score (see the contract notice).
    function score(address operator) public view returns (uint256 s) {
        uint256 id = _DIVA.operatorIdByOwner(operator);
        if (id == 0) return 0;
        IOperatorRegistry.Operator memory o = _DIVA.getOperator(id);
        if (o.paused || o.ejected) return 0;
        s = o.bondUnits;
        uint256 since = block.timestamp > SLASH_MEMORY ? block.timestamp - SLASH_MEMORY : 0;
        if (_VAULT.slashedSince(operator, since) != 0) s /= 4;
        uint256 networks = Math.min(_NETWORKS.networkCount(), MAX_NETWORKS);
        uint256 exposure;
        for (uint256 id_ = 1; id_ <= networks; ++id_) {
            if (_NETWORKS.isOptedIn(id_, operator, block.timestamp)) ++exposure;
        }
        s = Math.mulDiv(s, _BPS, _BPS + EXPOSURE_PENALTY_BPS * exposure);
        if (address(_PERFORMANCE) != address(0)) s = Math.mulDiv(s, Math.min(_PERFORMANCE.performanceBps(operator), _BPS), _BPS);
    }
}
