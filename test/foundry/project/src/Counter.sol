// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public number;
    address public owner;

    event Set(uint256 value);

    constructor() {
        owner = msg.sender;
    }

    function setNumber(uint256 value) public {
        require(msg.sender == owner, "not the owner");
        number = value;
        emit Set(value);
    }

    function increment() public {
        number++;
    }
}
