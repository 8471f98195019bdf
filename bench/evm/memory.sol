// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A memory-heavy loop for the EVM benchmark: a 1 MiB array (32768 words) written and read
/// back in `rounds` passes of MSTORE/MLOAD, with Solidity's bounds checks.
contract MemoryHeavy {
    function run(uint256 rounds) external pure returns (uint256 sum) {
        uint256[] memory a = new uint256[](32768);
        for (uint256 r = 0; r < rounds; r++) {
            for (uint256 i = 0; i < a.length; i++) {
                unchecked {
                    a[i] = a[i] * 31 + (i ^ r);
                }
            }
        }
        for (uint256 i = 0; i < a.length; i += 97) {
            unchecked {
                sum += a[i];
            }
        }
    }
}
