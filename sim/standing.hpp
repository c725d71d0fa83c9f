// Standing partial faults (`--standing-fault`): instead of healing everything, the
// liveness phase keeps a minority partially cut off while a majority M stays fully
// connected, up, unpaused and at the normal clock rate. A correct Raft with PreVote
// (thesis §9.6) and CheckQuorum (thesis §6.2) must still give M a leader that commits
// an entry of its own term, again and again: no leaderless gap of M longer than the
// bound (World::observeStanding, findings::standingFaultStalled).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "sim/rng.hpp"

namespace sim {

// How the minority (every node outside M) is cut. Minority nodes are also cut from each
// other both ways, so none of them can gather a quorum with part of M.
enum class StandingKind : std::uint8_t {
    None,      // a cluster of 1 or 2: M is every node, nothing stands
    Deaf,      // a minority node sends to all but hears no one (its votes reach M)
    Mute,      // a minority node hears all but reaches no one
    Partial,   // a minority node reaches some of M both ways but not the rest (and fewer
               // than a quorum with itself): the partial partition of Alquraan et al.,
               // OSDI 2020, and of the 2020 etcd outage at Cloudflare
    Isolated,  // a minority node cut off both ways
    Crashed,   // a minority node down for good
    Count_,
};

std::string_view name(StandingKind kind);

struct StandingFault {
    StandingKind kind = StandingKind::None;
    raft::NodeSet majority = 0;  // M
    raft::NodeSet crashed = 0;   // minority nodes down for the whole phase
    std::vector<std::pair<raft::NodeId, raft::NodeId>> cuts;  // directed links (from, to) cut
};

// The bound, in shortest election timeouts (SimOptions::electionTimeoutMinUs), on each
// gap M has without a leader that committed an entry of its own term, after its first
// such leader: a caught-up M that loses its leader waits for its followers' election
// timers (up to 2 timeouts), a pre-vote, a vote and a commit (a few message latencies),
// and about 1 or 2 more per split vote; 10 leaves room for several split votes. The first
// gap, from the heal, is bounded by the liveness phase instead: it may last as long as a
// follower of M takes to catch up on what it missed while cut off (World::endStandingGap).
constexpr int kStandingBoundTimeouts = 10;

// Draws the standing fault of a cluster of `nodes` at the heal, from its own stream.
// `leader`: the node that leads the highest term now (kNoNode: none), put in the
// minority half of the time, where it tests how M gets rid of it; `late`: nodes still
// paused, put in the minority first.
StandingFault drawStanding(Rng& rng, int nodes, raft::NodeId leader, raft::NodeSet late);
// With membership changes (thesis §4.1) the hosts may use different configurations. Each
// host as the draw sees it: its configuration's voters, its log's last entry, and the
// voters of the configuration its leader's catch-up would propose (0: none; §4.2.1).
struct StandingHost {
    raft::NodeSet voters = 0;
    raft::Index lastIndex = 0;
    raft::Term lastTerm = 0;
    raft::NodeSet catchUpVoters = 0;
};
// M (over every host, spares included) keeps a majority of each configuration in use,
// and holds a node that can win it: a voter of its own configuration whose log is as up
// to date as any of M's voters there (without one, M's most up-to-date node may be a
// learner of its own log's configuration, and no election in M could ever succeed).
// Its minority is as large as that allows.
StandingFault drawStanding(Rng& rng, const std::vector<StandingHost>& hosts, raft::NodeId leader,
                           raft::NodeSet late);

// One line: kind, M, crashed nodes and cut links ("deaf M={0,2,3} cut 0->1 2->1 ...").
std::string describe(const StandingFault& fault);

// Whether the fault leaves every link among M's nodes open.
bool leavesMajorityConnected(const StandingFault& fault);

// `--standing-fault swarm`: whether a seed runs with a standing fault, from its own stream.
bool swarmStanding(std::uint64_t seed);

}  // namespace sim
