// The node seam (sim/node_seam.hpp): the world and its checker see a Raft only through
// inputs, actions and a view, so another implementation runs, and is judged, the same.
#include <doctest/doctest.h>

#include "core/node.hpp"
#include "sim/core_node.hpp"
#include "sim/world.hpp"

using namespace sim;

namespace {

// raftsim's core as a stranger would plug it in: no core() for viewers, and each step's
// actions passed through `edit` on the way out.
class Wrapped : public NodeUnderTest {
public:
    using Edit = void (*)(raft::Actions&, std::size_t from);
    Wrapped(const raft::Config& config, const raft::DurableState& durable, Edit edit)
        : node_(config, durable), edit_(edit) {}

    void step(const raft::Input& input, raft::Actions& out) override {
        const std::size_t from = out.size();
        node_.step(input, out);
        if (edit_ != nullptr) edit_(out, from);
    }
    NodeView view() const override { return CoreNode::viewOf(node_); }
    std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const override {
        return node_.log().slice(first, last);
    }

private:
    raft::Node node_;
    Edit edit_;
};

class WrappedImplementation : public Implementation {
public:
    explicit WrappedImplementation(Wrapped::Edit edit) : edit_(edit) {}
    std::string_view name() const override { return "wrapped"; }
    std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                         const raft::DurableState& durable) const override {
        return std::make_unique<Wrapped>(config, durable, edit_);
    }

private:
    Wrapped::Edit edit_;
};

SimOptions swarm(std::uint64_t seed, const Implementation* implementation) {
    SimOptions o;
    o.nodes = 3 + static_cast<int>(seed % 3);
    o.faults = swarmFaults(seed);
    o.implementation = implementation;
    return o;
}

// A Raft that forgets to write its term and vote: what it promised is not on its disk.
void dropHardStateWrites(raft::Actions& out, std::size_t from) {
    std::erase_if(out, [&, i = std::size_t{0}](const raft::Action& a) mutable {
        return i++ >= from && std::holds_alternative<raft::PersistHardState>(a);
    });
}

}  // namespace

TEST_SUITE_BEGIN("seam");

TEST_CASE("seam: another implementation of the same protocol runs the same event stream") {
    const WrappedImplementation wrapped(nullptr);
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        World core(swarm(seed, nullptr), seed);
        World other(swarm(seed, &wrapped), seed);
        const RunResult a = core.run();
        const RunResult b = other.run();
        CHECK(a.eventHash == b.eventHash);
        CHECK(a.stats.events == b.stats.events);
        CHECK(!b.violation);
        CHECK(core.node(0) != nullptr);
        CHECK(other.node(0) == nullptr);  // no core internals: viewers see a stranger
        REQUIRE(other.member(0) != nullptr);
        CHECK(other.member(0)->view().id == 0);
    }
}

TEST_CASE("seam: the checker judges another implementation by what it does") {
    const WrappedImplementation amnesiac(dropHardStateWrites);
    int caught = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const RunResult r = World(swarm(seed, &amnesiac), seed).run();
        if (!r.violation) continue;
        CAPTURE(r.violation->details);
        CHECK((r.violation->property == "durable-before-ack" ||
               r.violation->property == "durability" || r.violation->property == "single-vote" ||
               r.violation->property == "term-monotonic"));
        caught += 1;
    }
    CHECK(caught == 10);
}

TEST_SUITE_END();
