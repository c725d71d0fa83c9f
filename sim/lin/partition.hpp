// Per-key partitioning (Porcupine's P-compositionality): a history of independent
// registers is linearizable exactly when each key's sub-history is, so each key is
// checked on its own, and a failing key is the witness's scope.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/clients.hpp"

namespace sim::lin {

struct KeyHistory {
    std::uint8_t key = 0;
    std::vector<Operation> ops;  // in the order of the run's history
};

// The keys of a run's history, in ascending key order. Failed operations are left out
// (they definitely did not take effect), and so are gets whose outcome is unknown (a
// read that may or may not have happened, with no result, constrains nothing).
std::vector<KeyHistory> partition(std::span<const Operation> history);

}  // namespace sim::lin
