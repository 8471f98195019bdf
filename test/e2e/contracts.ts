/**
 * The contracts the end-to-end tests deploy, compiled once per process with the `solc` npm
 * package (solc-js): an ERC-20 with a reason-string revert and a custom error, a delegate for
 * EIP-7702 and a Multicall3-compatible aggregator (viem's `multicall` calls `aggregate3`).
 */
import solc from 'solc'
import type { Abi, Hex } from 'viem'

const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Token {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address account, uint256 available, uint256 required);

    constructor(string memory name_, string memory symbol_, uint256 supply) {
        name = name_;
        symbol = symbol_;
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        require(a >= value, "Token: allowance exceeded");
        allowance[from][msg.sender] = a - value;
        _move(from, to, value);
        return true;
    }

    /** Always reverts with a reason string. */
    function fail() external pure {
        revert("Token: failed on purpose");
    }

    /** Reverts with the custom error when amount exceeds the caller's balance. */
    function burn(uint256 amount) external {
        uint256 b = balanceOf[msg.sender];
        if (b < amount) revert InsufficientBalance(msg.sender, b, amount);
        balanceOf[msg.sender] = b - amount;
        totalSupply -= amount;
        emit Transfer(msg.sender, address(0), amount);
    }

    function _move(address from, address to, uint256 value) internal {
        uint256 b = balanceOf[from];
        if (b < value) revert InsufficientBalance(from, b, value);
        balanceOf[from] = b - value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

/** Code an EOA delegates to (EIP-7702): runs in the EOA's context, so it counts in the EOA's storage. */
contract Delegate {
    uint256 public count;
    event Pinged(address self, address sender, uint256 count);

    function ping() external returns (address) {
        count += 1;
        emit Pinged(address(this), msg.sender, count);
        return address(this);
    }
}

/** The aggregate3 entry of Multicall3 (same ABI), enough for viem's multicall. */
contract Multicall {
    struct Call3 { address target; bool allowFailure; bytes callData; }
    struct Result { bool success; bytes returnData; }

    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            require(ok || calls[i].allowFailure, "Multicall3: call failed");
            results[i] = Result(ok, ret);
        }
    }
}
`

export interface Compiled {
  abi: Abi
  bytecode: Hex
}

let compiled: Record<'Token' | 'Delegate' | 'Multicall', Compiled> | undefined

/** Compiles Solidity `source` for Prague, the dev chain's fork; returns the named contracts. */
export function compile<N extends string>(source: string, names: readonly N[]): Record<N, Compiled> {
  const input = {
    language: 'Solidity',
    sources: { 'E2E.sol': { content: source } },
    settings: { evmVersion: 'prague', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  }
  const out = JSON.parse(solc.compile(JSON.stringify(input)))
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length) throw new Error(`solc: ${errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n')}`)
  const c = out.contracts['E2E.sol']
  return Object.fromEntries(names.map((n) => [n, { abi: c[n].abi, bytecode: `0x${c[n].evm.bytecode.object}` }])) as Record<N, Compiled>
}

/** The contracts above, compiled once per process. */
export function contracts(): Record<'Token' | 'Delegate' | 'Multicall', Compiled> {
  return (compiled ??= compile(SOURCE, ['Token', 'Delegate', 'Multicall']))
}

export const TOKEN_SUPPLY = 1_000_000n * 10n ** 18n
export const REVERT_REASON = 'Token: failed on purpose'
