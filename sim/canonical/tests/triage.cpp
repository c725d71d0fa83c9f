// canonical_triage FIRST LAST [JOBS]: the canonical/raft campaign's triage. Runs seeds
// FIRST..LAST as `raftsim sweep --impl canonical --nodes 1..5 --pre-vote swarm` does,
// and sorts every violation into the findings README.md explains:
//   finding-1  commit-quorum where the violating commit is of the leader's own term, and
//              which vanishes when followers acknowledge only figure 2's matchIndex
//              (canonical-figure2-acks), the seed otherwise unchanged; when the patched
//              run breaks a property by figure 8 instead, "finding-1, then finding-3";
//   finding-2  log-matching in a one-node cluster (a lone voter re-elects itself at the
//              same term after a restart);
//   finding-3  commit-quorum or state-machine-safety where the violating commit raised a
//              leader's commit index to an entry of an earlier term (figure 8: committed
//              by counting); leader-completeness after such a commit earlier in the run;
//   finding-4  liveness with PreVote where, at the end, every node is a pre-candidate and
//              a node with a most up-to-date log has a lower term than another node
//              (refused pre-votes echo the request's term: the candidate never learns the
//              higher term, and the higher-term nodes cannot win);
//   other      anything else, printed with its seed for a closer look.
// Prints one line per violated seed, then the totals.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/node.hpp"
#include "sim/canonical/canonical.hpp"
#include "sim/canonical/tests/sweep_helpers.hpp"

namespace {

sim::SimOptions campaignOptions(std::uint64_t seed, const sim::Implementation& impl) {
    sim::SimOptions o = canonical_tests::sweepOptions(seed, impl, 1, 5);
    o.preVote = sim::swarmPreVote(seed);
    return o;
}

// Watches a run for a leader raising its commit index to an entry of an earlier term.
// canonical/raft 0.15 does so routinely (a new leader appends no entry of its own), so
// only the violating commit itself tells figure 8 from finding 1.
class OldTermCommits final : public sim::EventObserver {
public:
    const sim::World* world = nullptr;
    bool seen = false;

    void onEvent(const sim::EventRecord& e) override {
        if (e.node == raft::kNoNode || !e.up || e.role != raft::Role::Leader) return;
        const sim::NodeUnderTest* node = world->member(e.node);
        if (e.commitIndex == 0 || node == nullptr) return;
        if (node->entries(e.commitIndex, e.commitIndex)[0].term < e.term) seen = true;
    }
};

bool everCommittedOldTerm(std::uint64_t seed, const sim::SimOptions& o) {
    OldTermCommits watch;
    sim::World world(o, seed, sim::Tap{.observer = &watch});
    watch.world = &world;
    world.run();
    return watch.seen;
}

// Whether a leader's commit index, where the run stopped (at its violation), is an
// entry of an earlier term.
bool committedOldTerm(const sim::World& world) {
    for (int i = 0; i < world.nodeCount(); ++i) {
        const sim::NodeUnderTest* node = world.member(static_cast<raft::NodeId>(i));
        if (node == nullptr) continue;
        const sim::NodeView v = node->view();
        if (v.role != raft::Role::Leader || v.commitIndex == 0) continue;
        if (node->entries(v.commitIndex, v.commitIndex)[0].term < v.currentTerm) return true;
    }
    return false;
}

// The pre-vote deadlock: all pre-candidates, and the best log sits at a lower term.
bool preVoteDeadlock(const sim::World& world) {
    std::vector<sim::NodeView> views;
    for (int i = 0; i < world.nodeCount(); ++i) {
        const sim::NodeUnderTest* node = world.member(static_cast<raft::NodeId>(i));
        if (node == nullptr) return false;
        views.push_back(node->view());
        if (views.back().role != raft::Role::PreCandidate) return false;
    }
    const auto upToDate = [](const sim::NodeView& a, const sim::NodeView& b) {
        return a.lastTerm > b.lastTerm || (a.lastTerm == b.lastTerm && a.lastIndex >= b.lastIndex);
    };
    raft::Term highest = 0;
    for (const sim::NodeView& v : views) highest = std::max(highest, v.currentTerm);
    for (const sim::NodeView& best : views) {
        bool isBest = true;
        for (const sim::NodeView& other : views) isBest = isBest && upToDate(best, other);
        if (isBest && best.currentTerm < highest) return true;
    }
    return false;
}

std::string classify(std::uint64_t seed, const sim::SimOptions& o, const sim::World& world,
                     const sim::Violation& v) {
    if (v.property == "liveness" && o.preVote && preVoteDeadlock(world)) return "finding-4";
    if (v.property == "log-matching" && o.nodes == 1) return "finding-2";
    const bool commitStep = v.property == "commit-quorum" || v.property == "state-machine-safety";
    if (commitStep && committedOldTerm(world)) return "finding-3";
    if (v.property == "leader-completeness" && everCommittedOldTerm(seed, o)) {
        return "finding-3 (leader-completeness)";
    }
    if (v.property == "commit-quorum") {
        const sim::SimOptions p = campaignOptions(seed, sim::canonical::figure2AcksImplementation());
        sim::World patched(p, seed);
        const sim::RunResult r = patched.run();
        if (!r.violation) return "finding-1";
        if (committedOldTerm(patched) ||
            (r.violation->property == "leader-completeness" && everCommittedOldTerm(seed, p))) {
            return "finding-1, then finding-3 once patched (" + r.violation->property + ")";
        }
        return "commit-quorum, and with figure 2 acks: " + r.violation->property;
    }
    return "other";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        fmt::print(stderr, "usage: canonical_triage FIRST LAST [JOBS]\n");
        return 2;
    }
    const std::uint64_t first = std::stoull(argv[1]), last = std::stoull(argv[2]);
    const int jobs = argc > 3 ? std::stoi(argv[3]) : 1;
    std::atomic<std::uint64_t> next{first};
    std::mutex mutex;
    std::map<std::string, std::uint64_t> totals;
    std::map<std::uint64_t, std::string> lines;
    auto worker = [&] {
        for (std::uint64_t seed = next++; seed <= last; seed = next++) {
            const sim::SimOptions o = campaignOptions(seed, sim::canonical::implementation());
            sim::World world(o, seed);
            const sim::RunResult r = world.run();
            std::string kind = "held";
            std::string line;
            if (r.violation) {
                kind = classify(seed, o, world, *r.violation);
                line = fmt::format("seed {} nodes={} prevote={} {}: {}: {}", seed, o.nodes,
                                   o.preVote ? "on" : "off", r.violation->property, kind,
                                   r.violation->details);
            } else if (r.eventCapReached) {
                kind = "unfinished";
            }
            const std::lock_guard lock(mutex);
            totals[kind] += 1;
            if (!line.empty()) lines[seed] = line;
        }
    };
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
    for (const auto& [seed, line] : lines) fmt::print("{}\n", line);
    for (const auto& [kind, n] : totals) fmt::print("total {}: {}\n", kind, n);
    return 0;
}
