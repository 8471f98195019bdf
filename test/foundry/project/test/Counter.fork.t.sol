// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Counter} from "../src/Counter.sol";
import {vm} from "../src/Vm.sol";

/// Runs with `forge test --fork-url` against the node the script deployed to: reads the
/// deployed Counter (COUNTER) from the fork and changes it locally.
contract CounterForkTest {
    Counter counter;

    function setUp() public {
        counter = Counter(vm.envAddress("COUNTER"));
    }

    function test_readsTheDeployedState() public view {
        require(counter.number() == 43, "number is not 43");
        require(counter.owner() == 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, "owner is not account 0");
        require(address(counter).code.length > 0, "no code at COUNTER");
    }

    function test_changesTheForkLocally() public {
        counter.increment();
        require(counter.number() == 44, "increment on the fork");
    }

    function test_onlyTheOwnerSets() public {
        (bool ok,) = address(counter).call(abi.encodeCall(Counter.setNumber, (1)));
        require(!ok, "a stranger could set the number");
    }
}
