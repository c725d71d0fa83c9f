// Deliberately broken adapters around the real canonical/raft: the checker catches each
// on most seeds, by the property each breaks.
#include <doctest/doctest.h>

#include <set>

#include "sim/canonical/canonical.hpp"
#include "sim/canonical/tests/sweep_helpers.hpp"

using sim::canonical::CanonicalImplementation;
using sim::canonical::Flaw;

namespace {

// Seeds 1..count of 3..5 nodes: how many broke one of `expected`. The only other
// property allowed is canonical/raft's own finding (commit-quorum, README.md), which a
// seed may hit before the flaw shows.
int caught(Flaw flaw, std::uint64_t count, const std::set<std::string>& expected,
           bool harsh = false) {
    const CanonicalImplementation broken(flaw);
    const auto r = canonical_tests::sweep(broken, count, 3, 5, false, harsh);
    int n = 0;
    for (const auto& entry : r.violated) {  // no structured bindings: CAPTURE captures them
        const std::string& property = entry.first;
        const int seeds = entry.second;
        CAPTURE(property);
        CHECK((expected.count(property) == 1 || property == "commit-quorum"));
        if (expected.count(property) == 1) n += seeds;
    }
    MESSAGE(broken.name(), ": caught on ", n, " of ", count, " seeds");
    return n;
}

// canonical/raft with a count of the truncations its I/O wrote: where the truncation
// flaw can show at all.
struct Truncations {
    int count = 0;
};

class CountingNode final : public sim::NodeUnderTest {
public:
    CountingNode(std::unique_ptr<sim::NodeUnderTest> inner, Truncations& seen)
        : inner_(std::move(inner)), seen_(seen) {}
    void step(const raft::Input& input, raft::Actions& out) override {
        const std::size_t from = out.size();
        inner_->step(input, out);
        for (std::size_t i = from; i < out.size(); ++i) {
            const auto* write = std::get_if<raft::PersistEntries>(&out[i]);
            if (write != nullptr && write->entries.empty()) seen_.count += 1;
        }
    }
    sim::NodeView view() const override { return inner_->view(); }
    std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const override {
        return inner_->entries(first, last);
    }

private:
    std::unique_ptr<sim::NodeUnderTest> inner_;
    Truncations& seen_;
};

class Counting final : public sim::Implementation {
public:
    explicit Counting(Truncations& seen) : seen_(seen) {}
    std::string_view name() const override { return "canonical-counting"; }
    std::unique_ptr<sim::NodeUnderTest> start(const raft::Config& config,
                                              const raft::DurableState& durable) const override {
        return std::make_unique<CountingNode>(sim::canonical::implementation().start(config, durable),
                                              seen_);
    }
    bool mayDisregardTerm(const raft::Message& m, const sim::NodeView& receiver) const override {
        return sim::canonical::implementation().mayDisregardTerm(m, receiver);
    }

private:
    Truncations& seen_;
};

}  // namespace

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical flaw: appends acknowledged before they are durable") {
    CHECK(caught(Flaw::AckBeforeDurable, 30, {"durable-before-ack", "durability"}) >= 24);
}

TEST_CASE("canonical flaw: set_vote writes nothing") {
    CHECK(caught(Flaw::DropSetVote, 30, {"durable-before-ack", "durability", "single-vote"}) >= 24);
}

TEST_CASE("canonical flaw: a truncation lands one index too far") {
    // Truncations happen only where logs conflict: the flaw must be caught on every seed
    // whose sound run truncates.
    const CanonicalImplementation broken(Flaw::TruncateOffByOne);
    int truncating = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        Truncations seen;
        const Counting counting(seen);
        sim::World(canonical_tests::sweepOptions(seed, counting, 3, 5), seed).run();
        if (seen.count == 0) continue;
        truncating += 1;
        const sim::RunResult r =
            sim::World(canonical_tests::sweepOptions(seed, broken, 3, 5), seed).run();
        CAPTURE(seed);
        REQUIRE(r.violation);
        // commit-quorum: the shifted log misleads the leader's count, or canonical/raft's
        // own finding came first.
        CHECK((r.violation->property == "log-matching" || r.violation->property == "durability" ||
               r.violation->property == "commit-quorum"));
    }
    MESSAGE("canonical-truncate-off-by-one: caught on all ", truncating,
            " of 60 seeds whose sound run truncates");
    CHECK(truncating >= 20);
}

TEST_SUITE_END();
