#include "sim/standing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "sim/findings.hpp"

namespace sim {

using raft::contains;
using raft::NodeId;
using raft::nodeBit;
using raft::NodeSet;

std::string_view name(StandingKind kind) {
    switch (kind) {
        case StandingKind::None: return "none";
        case StandingKind::Deaf: return "deaf";
        case StandingKind::Mute: return "mute";
        case StandingKind::Partial: return "partial";
        case StandingKind::Isolated: return "isolated";
        case StandingKind::Crashed: return "crashed";
        case StandingKind::Count_: break;
    }
    return "?";
}

namespace {

// The order in which nodes join the minority: the leader (when the coin says so), then
// the paused nodes, then the rest in a random order.
std::vector<NodeId> minorityOrder(Rng& rng, int nodes, NodeId leader, NodeSet late) {
    std::vector<NodeId> order(static_cast<std::size_t>(nodes));
    std::iota(order.begin(), order.end(), NodeId{0});
    for (int i = nodes - 1; i > 0; --i) {
        std::swap(order[i], order[rng.below(static_cast<std::uint64_t>(i) + 1)]);
    }
    const bool leaderFirst = leader != raft::kNoNode && rng.below(2) != 0;
    const auto rank = [&](NodeId id) { return leaderFirst && id == leader ? 0 : contains(late, id) ? 1 : 2; };
    std::stable_sort(order.begin(), order.end(), [&](NodeId a, NodeId b) { return rank(a) < rank(b); });
    return order;
}

void cutBoth(StandingFault& f, NodeId a, NodeId b) {
    f.cuts.emplace_back(a, b);
    f.cuts.emplace_back(b, a);
}

// The links of minority node x: to M as its kind says, to other minority nodes both ways
// (each pair once: x < y).
void cutMinorityNode(Rng& rng, StandingFault& f, int nodes, NodeId x) {
    std::vector<NodeId> reach;  // Partial: the part of M that x still reaches
    if (f.kind == StandingKind::Partial) {
        std::vector<NodeId> m;
        for (NodeId y = 0; y < nodes; ++y) {
            if (contains(f.majority, y)) m.push_back(y);
        }
        // Fewer than a quorum with x itself: x can never lead, and M never needs x.
        const int quorum = nodes / 2 + 1;
        const auto most = static_cast<std::uint64_t>(quorum - 2);
        const std::uint64_t size = 1 + rng.below(most);
        for (std::uint64_t i = 0; i < size; ++i) {
            const std::size_t pick = i + rng.below(m.size() - i);
            std::swap(m[i], m[pick]);
            reach.push_back(m[i]);
        }
    }
    for (NodeId y = 0; y < nodes; ++y) {
        if (y == x) continue;
        if (!contains(f.majority, y)) {
            if (x < y) cutBoth(f, x, y);
            continue;
        }
        switch (f.kind) {
            case StandingKind::Deaf: f.cuts.emplace_back(y, x); break;
            case StandingKind::Mute: f.cuts.emplace_back(x, y); break;
            case StandingKind::Partial:
                if (std::find(reach.begin(), reach.end(), y) == reach.end()) cutBoth(f, x, y);
                break;
            case StandingKind::Isolated: cutBoth(f, x, y); break;
            default: break;
        }
    }
}

}  // namespace

namespace {

bool hasMajority(NodeSet voters, NodeSet m) {
    return 2 * raft::countOf(static_cast<NodeSet>(voters & m)) > raft::countOf(voters);
}

// Whether M keeps a majority of every configuration in use and holds a node that can win
// its own (StandingHost says why).
bool canStillLead(const std::vector<StandingHost>& hosts, NodeSet m) {
    for (const StandingHost& h : hosts) {
        if (h.voters == 0) continue;  // a spare outside every configuration, or down
        if (!hasMajority(h.voters, m)) return false;
        if (h.catchUpVoters != 0 && !hasMajority(h.catchUpVoters, m)) return false;
    }
    const auto atLeast = [](const StandingHost& a, const StandingHost& b) {
        return a.lastTerm > b.lastTerm || (a.lastTerm == b.lastTerm && a.lastIndex >= b.lastIndex);
    };
    for (NodeId id = 0; id < static_cast<NodeId>(hosts.size()); ++id) {
        const StandingHost& h = hosts[id];
        if (!contains(m, id) || !contains(h.voters, id)) continue;
        bool newest = true;
        for (NodeId j = 0; j < static_cast<NodeId>(hosts.size()) && newest; ++j) {
            if (contains(m, j) && contains(h.voters, j)) newest = atLeast(h, hosts[j]);
        }
        if (newest) return true;
    }
    return false;
}

}  // namespace

StandingFault drawStanding(Rng& rng, const std::vector<StandingHost>& hosts, NodeId leader, NodeSet late) {
    StandingFault f;
    // No partial partition: its "fewer than a quorum with x" would have to hold in every
    // configuration at once.
    const std::vector<StandingKind> kinds{StandingKind::Deaf, StandingKind::Mute, StandingKind::Isolated,
                                          StandingKind::Crashed};
    f.kind = kinds[rng.below(kinds.size())];
    const int count = static_cast<int>(hosts.size());
    const auto all = static_cast<NodeSet>((1u << count) - 1u);
    NodeSet minority = 0;
    for (const NodeId id : minorityOrder(rng, count, leader, late)) {
        const auto with = static_cast<NodeSet>(minority | nodeBit(id));
        if (canStillLead(hosts, static_cast<NodeSet>(all & ~with))) minority = with;
    }
    f.majority = static_cast<NodeSet>(all & ~minority);
    if (minority == 0) {
        f.kind = StandingKind::None;
        return f;
    }
    for (NodeId id = 0; id < count; ++id) {
        if (!contains(minority, id)) continue;
        if (f.kind == StandingKind::Crashed) {
            f.crashed |= nodeBit(id);
        } else {
            cutMinorityNode(rng, f, count, id);
        }
    }
    std::sort(f.cuts.begin(), f.cuts.end());
    f.cuts.erase(std::unique(f.cuts.begin(), f.cuts.end()), f.cuts.end());
    return f;
}

StandingFault drawStanding(Rng& rng, int nodes, NodeId leader, NodeSet late) {
    StandingFault f;
    const int quorum = nodes / 2 + 1;
    const int minority = nodes - quorum;
    if (minority == 0) {
        f.majority = static_cast<NodeSet>((1u << nodes) - 1u);
        return f;
    }
    // A partial partition needs room for x to reach part of M yet stay short of a quorum.
    std::vector<StandingKind> kinds{StandingKind::Deaf, StandingKind::Mute, StandingKind::Isolated,
                                    StandingKind::Crashed};
    if (quorum >= 3) kinds.push_back(StandingKind::Partial);
    f.kind = kinds[rng.below(kinds.size())];
    const std::vector<NodeId> order = minorityOrder(rng, nodes, leader, late);
    for (int i = minority; i < nodes; ++i) f.majority |= nodeBit(order[i]);
    for (int i = 0; i < minority; ++i) {
        if (f.kind == StandingKind::Crashed) {
            f.crashed |= nodeBit(order[i]);
        } else {
            cutMinorityNode(rng, f, nodes, order[i]);
        }
    }
    std::sort(f.cuts.begin(), f.cuts.end());
    f.cuts.erase(std::unique(f.cuts.begin(), f.cuts.end()), f.cuts.end());
    return f;
}

std::string describe(const StandingFault& f) {
    std::string out = fmt::format("{} M={}", name(f.kind), findings::idSet(f.majority));
    if (f.crashed != 0) out += fmt::format(" down={}", findings::idSet(f.crashed));
    if (!f.cuts.empty()) {
        out += " cut";
        for (const auto& [from, to] : f.cuts) out += fmt::format(" {}->{}", from, to);
    }
    return out;
}

bool leavesMajorityConnected(const StandingFault& f) {
    return std::none_of(f.cuts.begin(), f.cuts.end(), [&](const auto& cut) {
        return contains(f.majority, cut.first) && contains(f.majority, cut.second);
    });
}

bool swarmStanding(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x5354414e);  // "STAN": its own stream
    return rng.below(2) != 0;
}

}  // namespace sim
