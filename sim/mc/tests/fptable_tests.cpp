#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "sim/mc/fptable.hpp"
#include "sim/mc/trail.hpp"

using mc::FpTable;
using mc::Trail;

TEST_CASE("FpTable_insert_addsOnceThenFindsPresent") {
    FpTable t(64);
    CHECK(t.insert(42) == FpTable::Outcome::Added);
    CHECK(t.insert(42) == FpTable::Outcome::Present);
    CHECK(t.size() == 1);
    CHECK(t.contains(42));
    CHECK_FALSE(t.contains(43));
}

TEST_CASE("FpTable_insert_zeroFingerprintIsStorable") {
    FpTable t(16);
    CHECK(t.insert(0) == FpTable::Outcome::Added);
    CHECK(t.contains(0));
    CHECK_FALSE(t.contains(2));
}

TEST_CASE("FpTable_insert_reportsFullPastTheLoadLimit") {
    FpTable t(20);
    int added = 0;
    for (std::uint64_t fp = 1; fp <= 40; ++fp) {
        if (t.insert(fp * 0x9e3779b97f4a7c15ULL) == FpTable::Outcome::Added) ++added;
    }
    CHECK(added == 19);  // 95% of 20
    CHECK(t.bytes() == 20 * 8);
}

TEST_CASE("FpTable_grow_keepsEveryEntry") {
    FpTable t(16);
    std::vector<std::uint64_t> fps;
    for (std::uint64_t k = 1; k <= 15; ++k) fps.push_back(k * 0xbf58476d1ce4e5b9ULL);
    for (const std::uint64_t fp : fps) t.insert(fp);
    t.grow(1000);
    CHECK(t.size() == 15);
    CHECK(t.capacity() == 1000);
    for (const std::uint64_t fp : fps) CHECK(t.insert(fp) == FpTable::Outcome::Present);
    CHECK(t.insert(7) == FpTable::Outcome::Added);
}

// Larger than one huge page, so the rehash frees the old table in several pieces.
TEST_CASE("FpTable_grow_manyEntriesAcrossChunks") {
    FpTable t(1 << 19);
    for (std::uint64_t k = 1; k <= 400'000; ++k) REQUIRE(t.insert(k * 0x94d049bb133111ebULL) == FpTable::Outcome::Added);
    t.grow(900'001);
    CHECK(t.size() == 400'000);
    for (std::uint64_t k = 1; k <= 400'000; ++k) {
        if (!t.contains(k * 0x94d049bb133111ebULL)) FAIL("lost entry ", k);
    }
    CHECK_FALSE(t.contains(0x1234));
}

TEST_CASE("Trail_chainTo_walksParentsBackThroughTheLevels") {
    Trail trail;
    // Level 1: 10 and 11 from the initial state 1; level 2: 20 from 11, 21 from 10.
    Trail::Writer a(trail);
    Trail::Writer b(trail);
    a.add(10, 1);
    b.add(11, 1);
    a.flush();
    b.flush();
    trail.endLevel();
    a.add(21, 10);
    b.add(20, 11);
    b.flush();
    a.flush();
    trail.endLevel();
    CHECK(trail.chainTo(20, 2) == std::vector<std::uint64_t>{1, 11, 20});
    CHECK(trail.chainTo(21, 2) == std::vector<std::uint64_t>{1, 10, 21});
    CHECK(trail.chainTo(10, 1) == std::vector<std::uint64_t>{1, 10});
    CHECK(trail.chainTo(1, 0) == std::vector<std::uint64_t>{1});
    CHECK(trail.bytes() == 4 * 16);
}

// More links than one writer buffer or one read chunk holds.
TEST_CASE("Trail_chainTo_findsLinksPastOneBuffer") {
    Trail trail;
    Trail::Writer w(trail);
    for (std::uint64_t k = 0; k < 200'000; ++k) w.add(1'000'000 + k, 1);
    w.flush();
    trail.endLevel();
    w.add(5, 1'000'000 + 199'999);
    w.flush();
    trail.endLevel();
    CHECK(trail.chainTo(5, 2) == std::vector<std::uint64_t>{1, 1'199'999, 5});
}
