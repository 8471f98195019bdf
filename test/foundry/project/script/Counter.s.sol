// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Counter} from "../src/Counter.sol";
import {vm} from "../src/Vm.sol";

/// Deploys a Counter, sets it to 42 and increments it: three transactions broadcast to the node.
contract CounterScript {
    function run() public returns (Counter counter) {
        vm.startBroadcast();
        counter = new Counter();
        counter.setNumber(42);
        counter.increment();
        vm.stopBroadcast();
    }
}
