// The static configuration of one node in a cluster.
#pragma once

#include "core/bugs.hpp"
#include "core/types.hpp"

namespace raft {

struct Config {
    NodeId id = 0;
    // The bootstrap configuration: voters are ids 0..clusterSize-1 until a configuration
    // entry in the log says otherwise (thesis §4.1; core/membership.hpp). The id may be
    // any of 0..kMaxNodes-1.
    int clusterSize = 3;
    // The node joins an existing cluster: it starts with no configuration (it neither
    // campaigns nor votes for itself) and waits for a leader to replicate one to it.
    bool joinsCluster = false;

    // Timer ranges the node requests; the environment picks the moment.
    Micros electionTimeoutMinUs = 150'000;
    Micros electionTimeoutMaxUs = 300'000;
    Micros heartbeatIntervalUs = 50'000;

    // Upper bound on entries in one AppendEntries (a bound on every queue).
    int maxEntriesPerAppend = 64;

    // CheckQuorum: a leader that has not heard from a majority within an election
    // timeout steps down (thesis §6.2), so a deposed leader does not linger.
    bool checkQuorum = false;

    // Heartbeats carry no entries, only prevLogIndex = nextIndex - 1 and the leader's
    // commitIndex (as in hashicorp/raft and copycat); entries follow the heartbeat's
    // answer. Off: a heartbeat to a probed follower re-sends the probe with its entries.
    bool emptyHeartbeats = false;

    // PreVote (thesis §9.6): a node whose election timer fires first asks for pre-votes
    // without raising its term, and starts a real election only once a majority would
    // vote for it. A pre-vote is granted only to a log at least as up to date, by a node
    // that has not heard from a current leader since its election timer was last armed.
    bool preVote = false;

    // Reads on followers (thesis §6.4): a follower asks its leader for a read index and
    // serves the read itself once it has applied up to it. Off: a follower refuses reads
    // with a hint. (ReadIndex on the leader needs no switch: a node that never receives
    // a Read behaves exactly as before.)
    bool followerReads = false;

    // Thesis §4.2.3: a follower that has heard from a current leader since its election
    // timer last fired disregards RequestVote (it neither adopts the term nor votes),
    // unless the request comes from a leadership transfer; a removed or partitioned
    // server then cannot depose a leader that a majority still hears.
    bool disregardVotesWithLeader = false;

    // Lease-based reads (thesis §6.4.1): once a majority has answered a heartbeat sent at
    // `start` (leader's clock), the leader serves reads without a round until
    // start + electionTimeoutMin * (100 - drift) / (100 + drift), because every node of
    // that majority disregards votes until its own election timer fires. Implies
    // disregardVotesWithLeader; a restarted node also disregards votes until its first
    // election timeout (it cannot know whether it answered a leader just before).
    bool leaseReads = false;
    // The bound on clock drift leases rely on: every node's clock runs at 100 +- this
    // percent of real time (0..99).
    int clockDriftPercent = 0;

    // Leadership transfer (thesis §3.10) needs no switch: a node that never receives a
    // TransferLeadership input or a TimeoutNow behaves exactly as before.

    BugSet bugs;

    // The bootstrap configuration's voters and quorum (a node's current ones are in
    // Node::membership()).
    NodeSet voters() const { return static_cast<NodeSet>((1u << clusterSize) - 1u); }
    int quorum() const { return clusterSize / 2 + 1; }

    friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace raft
