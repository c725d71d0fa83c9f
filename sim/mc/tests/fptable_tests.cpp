#include <doctest/doctest.h>

#include "sim/mc/fptable.hpp"

using mc::FpTable;

TEST_CASE("FpTable_insert_addsOnceThenFindsPresent") {
    FpTable t(64);
    const FpTable::Insert a = t.insert(42, FpTable::kNoParent);
    CHECK(a.outcome == FpTable::Outcome::Added);
    const FpTable::Insert b = t.insert(42, 7);
    CHECK(b.outcome == FpTable::Outcome::Present);
    CHECK(b.slot == a.slot);
    CHECK(t.size() == 1);
    CHECK(t.parentAt(a.slot) == FpTable::kNoParent);
    CHECK(t.find(42) == a.slot);
    CHECK_FALSE(t.find(43).has_value());
}

TEST_CASE("FpTable_insert_zeroFingerprintIsStorable") {
    FpTable t(16);
    CHECK(t.insert(0, FpTable::kNoParent).outcome == FpTable::Outcome::Added);
    CHECK(t.find(0).has_value());
}

TEST_CASE("FpTable_insert_reportsFullPastTheLoadLimit") {
    FpTable t(20);
    int added = 0;
    for (std::uint64_t fp = 1; fp <= 40; ++fp) {
        if (t.insert(fp * 0x9e3779b97f4a7c15ULL, FpTable::kNoParent).outcome == FpTable::Outcome::Added) {
            ++added;
        }
    }
    CHECK(added == 19);  // 95% of 20
}

TEST_CASE("FpTable_grow_keepsEntriesAndRemapsParents") {
    FpTable t(16);
    std::uint32_t parent = FpTable::kNoParent;
    std::vector<std::uint64_t> fps;
    for (std::uint64_t k = 1; k <= 12; ++k) {
        const std::uint64_t fp = k * 0xbf58476d1ce4e5b9ULL;
        fps.push_back(fp);
        parent = t.insert(fp, parent).slot;
    }
    const std::vector<std::uint32_t> moved = t.grow(1000);
    CHECK(t.size() == 12);
    CHECK(t.capacity() == 1000);
    // Walk the chain from the last back to the first.
    std::uint32_t slot = *t.find(fps.back());
    for (std::size_t k = fps.size(); k-- > 0;) {
        CHECK(t.fpAt(slot) == fps[k]);
        slot = t.parentAt(slot);
    }
    CHECK(slot == FpTable::kNoParent);
    CHECK(moved.size() == 16);
}
