// One node of a seam state (sim/seamcheck/seam_model.hpp): the node itself, what the
// property rules read of it, and its fingerprint. A node is never changed once in a
// state: a step makes a new one, from a copy (NodeUnderTest::clone) when the
// implementation can copy itself, else by replaying the node's inputs since its durable
// start into a fresh instance (implementations are deterministic).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/mc/invariants_rules.hpp"
#include "sim/node_seam.hpp"

namespace mc::seam {

// The committed history packs entries into 16 bits; an implementation's entries may
// carry any data (canonical/raft's configuration entry does), so each distinct entry
// gets a small number in the order the search first commits it. Deterministic, as the
// search is.
class EntryIds {
public:
    std::uint16_t of(const raft::Entry& e);

private:
    std::vector<raft::Entry> seen_;
};

// What the rules (sim/mc/invariants_rules.hpp) read of a node: its view and whole log.
struct Facts {
    sim::NodeView view;
    std::vector<raft::Entry> log;
    int quorum = 1;
    EntryIds* ids = nullptr;
};

// One input as the explorer gave it: `timeout` replays through exploreTimeout.
struct Given {
    raft::Input input;
    bool timeout = false;
};

// The inputs of a node since it was started from `start`.
struct History {
    raft::DurableState start;
    std::vector<Given> inputs;
};

struct NodeSlot {
    std::shared_ptr<const sim::NodeUnderTest> live;  // implementations that copy themselves
    std::shared_ptr<const History> history;          // the others
    Facts facts;
    std::uint64_t fingerprint = 0;
};

// Feeds `given` to `node`, appending its actions to `out`.
void feed(sim::NodeUnderTest& node, const Given& given, raft::Actions& out);

}  // namespace mc::seam

namespace mc {

template <>
struct NodeRead<seam::Facts> {
    using F = seam::Facts;
    static raft::NodeId id(const F& n) { return n.view.id; }
    static raft::Role role(const F& n) { return n.view.role; }
    static raft::Term term(const F& n) { return n.view.currentTerm; }
    static raft::Index commit(const F& n) { return n.view.commitIndex; }
    static raft::Index lastIndex(const F& n) { return n.view.lastIndex; }
    static raft::Term lastTerm(const F& n) { return n.view.lastTerm; }
    static const raft::Entry& at(const F& n, raft::Index i) { return n.log[i - 1]; }
    static raft::Term termAt(const F& n, raft::Index i) { return i == 0 ? 0 : n.log[i - 1].term; }
    static bool upToDate(const F& voter, raft::Index lastIndex, raft::Term lastTerm) {
        return lastTerm > voter.view.lastTerm || (lastTerm == voter.view.lastTerm && lastIndex >= voter.view.lastIndex);
    }
    static int quorum(const F& n) { return n.quorum; }
    static bool sameLog(const F& a, const F& b) { return a.log == b.log; }
    static std::uint16_t pack(const F& n, const raft::Entry& e) { return n.ids->of(e); }
};

}  // namespace mc
