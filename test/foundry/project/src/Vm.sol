// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The few Foundry cheatcodes the script and the test use (forge-std's Vm, cut down).
interface Vm {
    function startBroadcast() external;
    function stopBroadcast() external;
    function envAddress(string calldata name) external view returns (address);
}

Vm constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
