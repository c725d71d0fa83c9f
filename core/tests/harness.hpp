// Test helpers for the core's unit tests: build configs and logs, describe actions,
// keep a node's durable state the way a disk would, and deliver messages by hand.
// Nothing here is clever: a test should read as the sequence of inputs it feeds.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "core/node.hpp"

namespace raft::test {

inline Config cfg(NodeId id, int clusterSize, BugSet bugs = {}) {
    Config c;
    c.id = id;
    c.clusterSize = clusterSize;
    c.bugs = bugs;
    return c;
}

inline BugSet bugs(Bug bug) {
    BugSet set;
    set.enable(bug);
    return set;
}

// A no-op entry of `term` (the content of entries rarely matters to the protocol).
inline Entry entry(Term term) { return Entry{.term = term}; }

inline Entry command(Term term, std::uint64_t data) {
    return Entry{.term = term, .kind = EntryKind::Command, .data = data};
}

// A log written as its terms, e.g. terms({1, 1, 4}) is figure 7's notation.
inline std::vector<Entry> terms(std::initializer_list<Term> ts) {
    std::vector<Entry> out;
    for (Term t : ts) out.push_back(entry(t));
    return out;
}

inline std::vector<Term> termsOf(const std::vector<Entry>& log) {
    std::vector<Term> out;
    for (const Entry& e : log) out.push_back(e.term);
    return out;
}

inline std::vector<Term> termsOf(const Node& n) { return termsOf(n.log().entries()); }

// ---- messages a test fabricates ----

inline Message requestVote(NodeId from, NodeId to, Term term, Index lastLogIndex,
                           Term lastLogTerm) {
    return Message{.kind = MsgKind::RequestVote,
                   .from = from,
                   .to = to,
                   .term = term,
                   .lastLogIndex = lastLogIndex,
                   .lastLogTerm = lastLogTerm};
}

inline Message voteResponse(NodeId from, NodeId to, Term term, bool granted) {
    return Message{
        .kind = MsgKind::RequestVoteResponse, .from = from, .to = to, .term = term, .success = granted};
}

inline Message appendEntries(NodeId from, NodeId to, Term term, Index prevLogIndex,
                             Term prevLogTerm, std::vector<Entry> entries, Index leaderCommit) {
    return Message{.kind = MsgKind::AppendEntries,
                   .from = from,
                   .to = to,
                   .term = term,
                   .prevLogIndex = prevLogIndex,
                   .prevLogTerm = prevLogTerm,
                   .leaderCommit = leaderCommit,
                   .entries = std::move(entries)};
}

inline Message appendResponse(NodeId from, NodeId to, Term term, bool success, Index matchIndex,
                              Index rejectedIndex = 0, Index conflictIndex = 0,
                              Term conflictTerm = 0) {
    return Message{.kind = MsgKind::AppendEntriesResponse,
                   .from = from,
                   .to = to,
                   .term = term,
                   .success = success,
                   .matchIndex = matchIndex,
                   .rejectedIndex = rejectedIndex,
                   .conflictIndex = conflictIndex,
                   .conflictTerm = conflictTerm};
}

// ---- reading actions ----

inline std::string_view timerName(Timer t) {
    return t == Timer::Election ? "Election" : "Heartbeat";
}

// A compact, exact description of one action: its kind and the fields that define it.
// Entries are shown by term only; Sends show kind, destination and outcome.
inline std::string describe(const Action& a) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, PersistHardState>) {
                return fmt::format("PersistHardState(term={},votedFor={})", x.currentTerm,
                                   x.votedFor == kNoNode ? -1 : int{x.votedFor});
            } else if constexpr (std::is_same_v<T, PersistEntries>) {
                return fmt::format("PersistEntries(first={},terms=[{}])", x.firstIndex,
                                   fmt::join(termsOf(x.entries), ","));
            } else if constexpr (std::is_same_v<T, Apply>) {
                return fmt::format("Apply(first={},n={})", x.firstIndex, x.count());
            } else if constexpr (std::is_same_v<T, ArmTimer>) {
                return fmt::format("ArmTimer({})", timerName(x.timer));
            } else if constexpr (std::is_same_v<T, CancelTimer>) {
                return fmt::format("CancelTimer({})", timerName(x.timer));
            } else if constexpr (std::is_same_v<T, ProposeReply>) {
                return fmt::format("ProposeReply(accepted={},index={})", x.accepted, x.index);
            } else if constexpr (std::is_same_v<T, TransferReply>) {
                return fmt::format("TransferReply({},target={},{})",
                                   x.accepted ? "accepted" : "refused",
                                   x.target == kNoNode ? -1 : int{x.target}, name(x.reason));
            } else if constexpr (std::is_same_v<T, PersistSnapshot>) {
                return fmt::format("PersistSnapshot(last={},term={},{})",
                                   x.snapshot.meta.lastIncludedIndex, x.snapshot.meta.lastIncludedTerm,
                                   x.keepLog ? "keep" : "discard");
            } else if constexpr (std::is_same_v<T, RestoreSnapshot>) {
                return fmt::format("RestoreSnapshot(last={})", x.snapshot.meta.lastIncludedIndex);
            } else if constexpr (std::is_same_v<T, ReadReply>) {
                return x.accepted ? fmt::format("ReadReply(accepted,index={})", x.index)
                                  : fmt::format("ReadReply(refused,hint={})",
                                                x.leaderHint == kNoNode ? -1 : int{x.leaderHint});
            } else if constexpr (std::is_same_v<T, ChangeReply>) {
                return x.accepted ? fmt::format("ChangeReply({},{},accepted,index={})", name(x.kind),
                                                int{x.node}, x.index)
                                  : fmt::format("ChangeReply({},{},{})", name(x.kind), int{x.node},
                                                name(x.reason));
            } else {
                const Message& m = x.message;
                std::string detail;
                switch (m.kind) {
                    case MsgKind::RequestVote:
                        if (m.leadershipTransfer) detail = ",transfer";
                        break;
                    case MsgKind::PreVote:
                    case MsgKind::TimeoutNow: break;
                    case MsgKind::RequestVoteResponse:
                    case MsgKind::PreVoteResponse:
                        detail = m.success ? ",granted" : ",refused";
                        break;
                    case MsgKind::AppendEntries:
                        detail = fmt::format(",prev={},n={}", m.prevLogIndex, m.entries.size());
                        break;
                    case MsgKind::AppendEntriesResponse:
                        detail = m.success ? fmt::format(",ok,match={}", m.matchIndex)
                                           : fmt::format(",reject={}", m.rejectedIndex);
                        break;
                    case MsgKind::ReadIndex: break;
                    case MsgKind::ReadIndexResponse:
                        detail = m.success ? fmt::format(",index={}", m.matchIndex) : ",refused";
                        break;
                    case MsgKind::InstallSnapshot:
                        detail = fmt::format(",last={}", m.lastLogIndex);
                        break;
                }
                if (m.readRound != 0) detail += fmt::format(",round={}", m.readRound);
                return fmt::format("Send({},to={},term={}{})", name(m.kind), int{m.to}, m.term,
                                   detail);
            }
        },
        a);
}

// All actions of a step, in order, as one string "A; B; C" (doctest prints strings).
inline std::string trace(const Actions& actions) {
    std::string out;
    for (const Action& a : actions) {
        if (!out.empty()) out += "; ";
        out += describe(a);
    }
    return out;
}

template <class T>
std::vector<T> only(const Actions& actions) {
    std::vector<T> out;
    for (const Action& a : actions) {
        if (const T* x = std::get_if<T>(&a)) out.push_back(*x);
    }
    return out;
}

inline std::vector<Message> sent(const Actions& actions) {
    std::vector<Message> out;
    for (const Send& s : only<Send>(actions)) out.push_back(s.message);
    return out;
}

// The position of the first action satisfying `pred`, or -1.
inline int positionOf(const Actions& actions, const std::function<bool(const Action&)>& pred) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
        if (pred(actions[i])) return static_cast<int>(i);
    }
    return -1;
}

template <class T>
int positionOf(const Actions& actions) {
    return positionOf(actions, [](const Action& a) { return std::holds_alternative<T>(a); });
}

// ---- a disk that writes at once ----

inline bool writes(const Actions& actions) {
    return std::any_of(actions.begin(), actions.end(), [](const Action& a) {
        return std::holds_alternative<PersistHardState>(a) || std::holds_alternative<PersistEntries>(a) ||
               std::holds_alternative<PersistSnapshot>(a);
    });
}

// What the environment reports once every write of the node is durable, on a disk that
// holds what the node wrote (a node without bug switches).
inline Persisted allDurable(const Node& n) {
    return Persisted{n.currentTerm(), n.log().lastIndex(), n.log().lastTerm()};
}

// Steps `n`, then reports its writes durable at once, as often as the reports lead to
// more writes (a one-node cluster: candidate, leader, commit). All actions, in order.
inline Actions stepDurably(Node& n, const Input& input) {
    Actions out = n.step(input);
    Actions last = out;
    for (int round = 0; writes(last); ++round) {
        REQUIRE(round < 8);
        last = n.step(allDurable(n));
        out.insert(out.end(), last.begin(), last.end());
    }
    return out;
}

// ---- nodes in a given role, made by feeding inputs ----

// A node restarted from `durable` that timed out into a candidate of the next term, its
// vote for itself durable (a one-node cluster: use makeLeader).
inline Node makeCandidate(const Config& c, const DurableState& durable = {}) {
    REQUIRE(c.clusterSize > 1);
    Node n(c, durable);
    n.step(Start{});
    stepDurably(n, Timeout{Timer::Election});
    REQUIRE(n.role() == Role::Candidate);
    return n;
}

// A node that timed out and then received grants from the lowest other ids until it won,
// every write reported durable at once.
inline Node makeLeader(const Config& c, const DurableState& durable = {}) {
    Node n(c, durable);
    n.step(Start{});
    stepDurably(n, Timeout{Timer::Election});
    for (NodeId peer = 0; peer < c.clusterSize && n.role() != Role::Leader; ++peer) {
        if (peer == c.id) continue;
        stepDurably(n, Receive{voteResponse(peer, c.id, n.currentTerm(), true)});
    }
    REQUIRE(n.role() == Role::Leader);
    return n;
}

// ---- a disk ----

// The last index and term of a durable log (its snapshot's when no entry follows it).
inline Index durableLastIndex(const DurableState& d) {
    return d.snapshot.meta.lastIncludedIndex + d.log.size();
}
inline Term durableLastTerm(const DurableState& d) {
    return d.log.empty() ? d.snapshot.meta.lastIncludedTerm : d.log.back().term;
}

// Carries out the Persist* actions on a DurableState, as stable storage would.
inline void persist(DurableState& disk, const Actions& actions) {
    for (const Action& a : actions) {
        if (const auto* h = std::get_if<PersistHardState>(&a)) {
            disk.currentTerm = h->currentTerm;
            disk.votedFor = h->votedFor;
        } else if (const auto* p = std::get_if<PersistEntries>(&a)) {
            const Index base = disk.snapshot.meta.lastIncludedIndex;
            REQUIRE(p->firstIndex > base);                          // never into the snapshot
            REQUIRE(p->firstIndex <= durableLastIndex(disk) + 1);  // no hole in the durable log
            disk.log.resize(p->firstIndex - base - 1);
            disk.log.insert(disk.log.end(), p->entries.begin(), p->entries.end());
        } else if (const auto* s = std::get_if<PersistSnapshot>(&a)) {
            const Index last = s->snapshot.meta.lastIncludedIndex;
            const Index base = disk.snapshot.meta.lastIncludedIndex;
            REQUIRE(last > base);
            const Index drop = std::min<Index>(last - base, disk.log.size());
            disk.log.erase(disk.log.begin(), disk.log.begin() + static_cast<std::ptrdiff_t>(drop));
            if (!s->keepLog || last - base > drop) disk.log.clear();
            disk.snapshot = s->snapshot;
        }
    }
}

// ---- a hand-driven cluster ----

// Nodes, their disks, what each applied, and the messages in flight. Tests decide
// which messages are delivered, dropped or duplicated; nothing happens on its own.
struct Cluster {
    std::vector<Node> nodes;
    std::vector<DurableState> disks;
    std::vector<std::vector<Entry>> applied;  // concatenation of every Apply, per node
    std::deque<Message> network;              // in flight, oldest first
    std::vector<Message> delivered;           // every message delivered, in order
    // The state machines' snapshots by handle: the environment keeps the bytes (here,
    // the entries applied up to the snapshot), nodes and messages only the handle.
    std::map<std::uint64_t, std::vector<Entry>> snapshots;
    bool restoredFromDisk = false;  // some node restarted from a durable snapshot
    // Snapshots installed over a log that held another entry at their last included index
    // (figure 13 step 7 with a conflict, not merely a short log).
    int conflictingLogsDiscarded = 0;

    // `size` fresh nodes; `base` supplies everything but id and clusterSize.
    explicit Cluster(int size, Config base = {})
        : Cluster(std::vector<DurableState>(static_cast<std::size_t>(size)), base) {}

    // One node per durable state (e.g. figure 7's logs).
    explicit Cluster(const std::vector<DurableState>& durable, Config base = {}) {
        const int size = static_cast<int>(durable.size());
        for (int i = 0; i < size; ++i) {
            Config c = base;
            c.id = static_cast<NodeId>(i);
            c.clusterSize = size;
            nodes.emplace_back(c, durable[static_cast<std::size_t>(i)]);
        }
        disks = durable;
        applied.resize(nodes.size());
    }

    Node& operator[](NodeId id) { return nodes.at(id); }
    const Node& operator[](NodeId id) const { return nodes.at(id); }

    // Feeds one input to a node and carries out its actions in order: persist to its
    // disk, record applies (checking they continue exactly where the last one ended),
    // put sends on the network. Timers are the test's business.
    // The disk writes at once and reports each write durable.
    Actions step(NodeId id, const Input& input) {
        const Index lastBefore = nodes.at(id).log().lastIndex();
        Actions actions = nodes.at(id).step(input);
        for (const PersistSnapshot& p : only<PersistSnapshot>(actions)) {
            if (!p.keepLog && p.snapshot.meta.lastIncludedIndex <= lastBefore) ++conflictingLogsDiscarded;
        }
        persist(disks[id], actions);
        int rounds = 0;
        for (Actions more = actions; writes(more);) {
            REQUIRE(++rounds < 8);
            const DurableState& d = disks[id];
            more = nodes.at(id).step(Persisted{d.currentTerm, durableLastIndex(d), durableLastTerm(d)});
            persist(disks[id], more);
            actions.insert(actions.end(), more.begin(), more.end());
        }
        for (const Action& a : actions) {
            if (const auto* r = std::get_if<RestoreSnapshot>(&a)) {
                REQUIRE(snapshots.count(r->snapshot.handle) == 1);
                applied[id] = snapshots.at(r->snapshot.handle);
                CHECK(applied[id].size() == r->snapshot.meta.lastIncludedIndex);
            } else if (const auto* ap = std::get_if<Apply>(&a)) {
                CHECK_MESSAGE(ap->firstIndex == applied[id].size() + 1,
                              "node ", int{id}, " Apply(first=", ap->firstIndex, ") after ",
                              applied[id].size(), " applied entries");
                CHECK(ap->count() >= 1);
                const std::span<const Entry> entries =
                    nodes.at(id).log().slice(ap->firstIndex, ap->lastIndex);
                applied[id].insert(applied[id].end(), entries.begin(), entries.end());
            } else if (const auto* s = std::get_if<Send>(&a)) {
                CHECK(s->message.from == id);
                network.push_back(s->message);
            }
        }
        // Completeness of the Persist* actions: the disk always equals the node's
        // persistent state (figure 2) once the step's actions are carried out.
        if (nodes.at(id).config().bugs.empty()) {
            CHECK(disks[id].currentTerm == nodes.at(id).currentTerm());
            CHECK(disks[id].votedFor == nodes.at(id).votedFor());
            CHECK(disks[id].log == nodes.at(id).log().entries());
            CHECK(disks[id].snapshot == nodes.at(id).snapshot());
        }
        return actions;
    }

    // Node `id`'s state machine is snapshotted as applied up to `index` (thesis §5.1),
    // its bytes kept under a fresh handle, and the node told to compact its log there.
    Actions compact(NodeId id, Index index) {
        REQUIRE(index <= applied.at(id).size());
        const std::uint64_t handle = 1000 * (id + 1) + snapshots.size() + 1;
        snapshots[handle] = std::vector<Entry>(applied[id].begin(),
                                               applied[id].begin() + static_cast<std::ptrdiff_t>(index));
        return step(id, TakeSnapshot{.index = index, .handle = handle, .hash = handle * 31});
    }

    Actions deliver(const Message& m) {
        delivered.push_back(m);
        return step(m.to, Receive{m});
    }

    // Delivers messages in FIFO order until none are in flight. `drop` decides which
    // messages are lost. Returns the number delivered; bounded so a livelock fails.
    int pump(const std::function<bool(const Message&)>& drop = nullptr, int maxDeliveries = 100'000) {
        int delivered = 0;
        while (!network.empty()) {
            REQUIRE_MESSAGE(delivered < maxDeliveries, "the network never went quiet");
            Message m = network.front();
            network.pop_front();
            if (drop && drop(m)) continue;
            deliver(m);
            ++delivered;
        }
        return delivered;
    }

    // Node `id` times out and the network runs until quiet.
    void elect(NodeId id) {
        step(id, Timeout{Timer::Election});
        pump();
        REQUIRE(nodes.at(id).role() == Role::Leader);
    }

    // A crash and restart: memory is lost, the disk is kept, the state machine is
    // rebuilt from the durable snapshot, if any, and by applying from there again.
    Actions restart(NodeId id) {
        restoredFromDisk = restoredFromDisk || !disks.at(id).snapshot.empty();
        nodes.at(id) = Node(nodes.at(id).config(), disks.at(id));
        applied.at(id).clear();
        return step(id, Start{});
    }
};

// `total` nodes: ids 0..voters-1 are the bootstrap configuration, the others join the
// cluster later (Config::joinsCluster) and start with no configuration.
inline Cluster growing(int voters, int total, Config base = {}) {
    Cluster c(total, base);
    for (int i = 0; i < total; ++i) {
        Config config = base;
        config.id = static_cast<NodeId>(i);
        config.clusterSize = voters;
        config.joinsCluster = i >= voters;
        c.nodes[static_cast<std::size_t>(i)] = Node(config);
    }
    return c;
}

// A three-node cluster with node 0 the leader of term 1 and every log equal.
inline Cluster settled(Config base = {}) {
    Cluster c(3, base);
    c.elect(0);
    c.pump();
    return c;
}

}  // namespace raft::test
