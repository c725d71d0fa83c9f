// The model: the initial state, the enabled events of a state, and the state after an
// event, all built on the core's Node::step. Shared by every search (BFS, DFS, the
// counterexample replay); safe to call from several threads at once.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/mc/bounds.hpp"
#include "sim/mc/event.hpp"
#include "sim/mc/invariants.hpp"
#include "sim/mc/perms.hpp"
#include "sim/mc/state.hpp"
#include "sim/mc/step_memo.hpp"
#include "sim/mc/tables.hpp"

namespace mc {

struct StepResult {
    bool inBounds = true;  // false: the successor lies outside the bounds (not a state)
    std::optional<McViolation> violation;
    Observed seen;
};

// Whether a model checks its reductions before it uses them (sim/mc/audit.hpp). Only
// the audit itself builds models that take them as given.
enum class Reductions : bool { Audited, AsGiven };

class Model {
public:
    // The client whose reads the model invokes (its writes are client 1's).
    static constexpr std::uint32_t kReadClient = 2;

    explicit Model(const Bounds& bounds, Reductions reductions = Reductions::Audited);

    const Bounds& bounds() const { return bounds_; }
    // The reductions the bounds ask for that the audit refused, each with why; empty
    // when every reduction asked for is used.
    const std::vector<std::string>& refusals() const { return refusals_; }
    std::span<const Perm> perms() const { return perms_; }
    const Codec& codec() const { return codec_; }

    // Every node started once from an empty disk.
    State initial();

    // The events enabled in `s`, in a fixed order that depends only on the state.
    void enabled(const State& s, std::vector<Event>& out) const;

    // `next` becomes `s` after `e`.
    StepResult step(const State& s, const Event& e, State& next);

    // A 64-bit fingerprint, the same for every state equal up to renaming node ids
    // (when symmetry is on).
    std::uint64_t fingerprint(const State& s) const;

    const raft::Node& node(const State& s, int i) const { return *tables_.nodeItem(s.node[i]).node; }
    const raft::Message& message(std::uint32_t id) const { return tables_.msgItem(id).msg; }
    const raft::DurableState& durable(const State& s, int i) const {
        return tables_.durableItem(s.durable[i]).durable;
    }
    bool tracksDurable() const { return bounds_.maxCrashes > 0 || bounds_.asyncWrites; }

    struct Sizes {
        std::uint32_t nodes;
        std::uint32_t msgs;
    };
    Sizes tablesSize() const { return {tables_.nodes.size(), tables_.msgs.size()}; }

    // "timeout 0 election", "deliver RequestVote 0->1 term=1 last=(0,0)", ...
    std::string describe(const Event& e) const;

    // What node e.node does on `e` in `s`, all its actions (replies included, which the
    // model itself drops): for explanations, not memoized. Not for Crash, Restart, Drop
    // or Duplicate, which step no node.
    raft::Actions actionsOf(const State& s, const Event& e) const;

private:
    StepResult stepNode(const State& s, const Event& e, State& next);
    const NodeStep& nodeStep(std::uint32_t nodeId, const Event& e);
    NodeStep computeStep(raft::Node n, const Event& e);
    static void reportDurable(raft::Node& n, raft::Actions& actions);
    raft::Input inputOf(const Event& e) const;
    static void setTimerBit(NodeStep& step, raft::Timer timer, bool armed);
    void persist(int i, const std::vector<raft::Action>& writes, State& next);
    static void applyWrite(int i, const raft::Action& action, raft::DurableState& disk);
    // Async writes (model_disk.cpp).
    bool issueWrites(int i, const NodeStep& step, State& next);
    StepResult completeWrite(const State& s, const Event& e, State& next);
    static std::uint32_t packPersisted(const raft::DurableState& d);
    static raft::Persisted unpackPersisted(std::uint32_t value);
    bool addMessage(State& next, std::uint32_t id) const;
    void removeCopy(State& next, std::uint32_t msg) const;
    void closeGaps(State& next) const;
    void dropDead(State& next, raft::NodeId changed) const;
    void dropDeadSent(State& next, const std::vector<std::uint32_t>& sent) const;
    std::uint64_t nodePart(const State& s, std::size_t k, std::uint64_t base) const;
    std::uint64_t bagPart(const State& s, std::size_t k) const;
    bool inPlainOrder(const Perm& p, const std::array<std::uint64_t, kMaxNodes>& plain) const;
    raft::Entry clientEntry(std::uint32_t value) const;
    void addTransfers(raft::NodeId leader, std::vector<Event>& out) const;
    // Membership changes and snapshots (model_config.cpp).
    void addChanges(const raft::Node& leader, std::vector<Event>& out) const;
    static void addSnapshot(const raft::Node& n, std::vector<Event>& out);
    static raft::TakeSnapshot snapshotInput(const raft::Node& n, raft::Index index);
    static void applySnapshot(const raft::PersistSnapshot& write, raft::DurableState& disk);

    Bounds bounds_;
    std::vector<std::string> refusals_;
    bool dropsDead_;  // bounds_.dropDead, the rules cover the bounds, and the audit passed
    std::vector<Perm> perms_;
    Codec codec_;
    Tables tables_;
    StepMemo memo_;
};

}  // namespace mc
