// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A call-heavy workload for the EVM benchmark: `n` external CALLs (not static: the callee is
/// not view) from one contract into another, each with ABI-encoded arguments and return.
contract Callee {
    uint256 public calls;

    function step(uint256 acc, uint256 i) external returns (uint256) {
        unchecked {
            return acc * 31 + i;
        }
    }
}

contract Caller {
    function run(Callee callee, uint256 n) external returns (uint256 acc) {
        for (uint256 i = 0; i < n; i++) acc = callee.step(acc, i);
    }
}
