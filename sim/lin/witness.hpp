// A small witness for a non-linearizable key: the operations that cannot be ordered,
// found by deleting operations while what is left stays non-linearizable.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/clients.hpp"

namespace sim::lin {

struct Witness {
    std::vector<Operation> ops;   // in invocation order
    bool minimal = false;         // false: the budget ran out before deletion was done
    std::uint64_t steps = 0;      // search steps the deletion spent
};

// Shrinks a non-linearizable sub-history of one key: deletes chunks, halving their size
// down to single operations, then single operations until a whole pass deletes none;
// a deletion is kept only if the search still says Violated within `stepsPerSearch`.
// Deleting a write takes with it the operations it may have fed (reads of its value, a
// cas of unknown outcome expecting it, failed cas that might otherwise have succeeded),
// and a read goes with the write of its value invoked last before it, so that what is
// left never fails for a reason the whole history did not have: a stale read shows as
// that write, the one that overwrote it and the read, never as a read of a value nobody
// wrote. Minimal: no single deletion keeps it failing. `stepsMax` bounds the whole
// shrink; over it, the witness so far is returned, not minimal.
Witness shrinkWitness(std::vector<Operation> ops, std::uint64_t stepsPerSearch, std::uint64_t stepsMax);

}  // namespace sim::lin
