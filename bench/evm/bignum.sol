// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A big-number loop for the EVM benchmark: modular exponentiation by squaring with MULMOD over
/// the 255-bit prime 2^255-19, ADDMOD accumulation and EXP on full words.
contract BigNum {
    uint256 constant P = 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed;

    function powmod(uint256 b, uint256 e) internal pure returns (uint256 r) {
        r = 1;
        while (e > 0) {
            if (e & 1 == 1) r = mulmod(r, b, P);
            b = mulmod(b, b, P);
            e >>= 1;
        }
    }

    function run(uint256 n) external pure returns (uint256 acc, uint256 wrapped) {
        wrapped = 3;
        for (uint256 i = 0; i < n; i++) {
            uint256 x = powmod(i + 0x1234567890abcdef1234567890abcdef, 0xfffffffffffffff1);
            acc = addmod(acc, x, P);
            unchecked {
                wrapped = (wrapped | 1) ** (x | 3) + x;
            }
        }
    }
}
