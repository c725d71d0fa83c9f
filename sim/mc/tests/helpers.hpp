// Helpers of the model checker's tests: presets by name, bug switches, a held verdict.
#pragma once

#include <doctest/doctest.h>

#include "sim/mc/explore.hpp"

namespace mc::test {

inline Bounds preset(const char* name) {
    const std::optional<Bounds> b = presetByName(name);
    REQUIRE(b.has_value());
    return *b;
}

inline Bounds withBug(Bounds b, raft::Bug bug) {
    b.bugs.enable(bug);
    return b;
}

// A breadth-first search on `jobs` threads, from a small table that has to grow.
inline SearchResult bfs(const Bounds& b, int jobs = 2) {
    SearchOptions o;
    o.jobs = jobs;
    o.capacity = 1024;
    return search(b, o);
}

// Exhausted, no counterexample, and not vacuously: a leader was elected and an entry committed.
inline void checkHeld(const SearchResult& r) {
    CHECK(r.complete);
    CHECK_FALSE(r.counterexample.has_value());
    CHECK(r.sawLeader);
    CHECK(r.sawCommit);
}

}  // namespace mc::test
