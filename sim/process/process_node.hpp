// A node that runs in a process of its own and speaks the process protocol
// (sim/process/protocol.hpp) on its standard input and output: any language, one
// process per node incarnation (a crash kills it, a restart starts a new one from the
// node's disk).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/node_seam.hpp"

namespace sim::process {

// Runs `command` (through /bin/sh -c) for each node.
class ProcessImplementation final : public Implementation {
public:
    explicit ProcessImplementation(std::string command);
    std::string_view name() const override { return name_; }
    std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                         const raft::DurableState& durable) const override;

private:
    std::string command_;
    std::string name_;  // "process:" + command
};

// The implementation a run names: one built in (sim/implementations.hpp), or
// "process:COMMAND". The same name gives the same object for the life of the program.
// Null for an unknown name.
const Implementation* resolveImplementation(std::string_view name);

}  // namespace sim::process
