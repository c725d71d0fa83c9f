// The one message type exchanged between nodes, tagged by kind (etcd raft's style).
#pragma once

#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace raft {

enum class MsgKind : std::uint8_t {
    RequestVote,
    RequestVoteResponse,
    AppendEntries,
    AppendEntriesResponse,
    PreVote,          // thesis §9.6: term is the term the sender would campaign in
    PreVoteResponse,  // term: the request's term when granted, the voter's own when not
    TimeoutNow,       // thesis §3.10: the leader tells its transfer target to campaign now
    // Thesis §6.4, reads on followers: a follower asks its leader for a read index. The
    // read it serves is named by entries[0]'s (clientId, seq), as etcd raft's MsgReadIndex
    // carries its context in an entry; the answer echoes it.
    ReadIndex,
    ReadIndexResponse,  // success: matchIndex is the read index; failure: not the leader
    // Thesis §5.3, figure 13: the leader sends its snapshot to a follower that needs an
    // entry the leader has discarded. In one message, not in chunks: the environment
    // carries the bytes (named by the handle), and chunking them is a transport concern.
    // Fields (reused, to keep Message small; it is copied on the hot path):
    //   lastLogIndex, lastLogTerm: the snapshot's last included index and term
    //   prevLogIndex: the snapshot's handle; prevLogTerm: its hash
    //   leaderCommit: the leader's commitIndex
    //   snapshotVoters, snapshotLearners: the configuration as of the last included index
    // Answered with an AppendEntriesResponse: success with matchIndex = the last included
    // index (or the follower's commitIndex when that is later), once the snapshot is durable.
    InstallSnapshot,
};

std::string_view name(MsgKind kind);

inline bool isRequest(MsgKind kind) {
    return kind == MsgKind::RequestVote || kind == MsgKind::AppendEntries ||
           kind == MsgKind::PreVote || kind == MsgKind::TimeoutNow || kind == MsgKind::ReadIndex ||
           kind == MsgKind::InstallSnapshot;
}

struct Message;
// Figure 2: a node that receives a message of a higher term adopts that term. Pre-votes
// are the exception (thesis §9.6): a request carries the term its sender would campaign
// in, and a grant echoes it; neither may change anyone's term.
bool bindsTerm(const Message& m);

struct Message {
    MsgKind kind = MsgKind::AppendEntries;
    NodeId from = kNoNode;
    NodeId to = kNoNode;
    // InstallSnapshot: the snapshot's configuration (in the padding before `term`).
    NodeSet snapshotVoters = 0;
    NodeSet snapshotLearners = 0;
    Term term = 0;  // the sender's currentTerm

    // RequestVote: the candidate's last log entry (§5.4.1).
    Index lastLogIndex = 0;
    Term lastLogTerm = 0;

    // AppendEntries: the entry preceding `entries`, which the follower must hold.
    Index prevLogIndex = 0;
    Term prevLogTerm = 0;
    Index leaderCommit = 0;
    std::vector<Entry> entries;

    // Responses.
    bool success = false;      // voteGranted for RequestVoteResponse
    // RequestVote sent on a TimeoutNow (thesis §3.10; etcd raft's campaignTransfer): a
    // voter that refuses while it hears from a current leader need not refuse this one.
    // The log check always applies. (Beside `success`, in its padding.)
    bool leadershipTransfer = false;
    // AppendEntries: the leader's latest read round (thesis §6.4: a round of heartbeats
    // confirms it still leads); its response echoes it. 0 until a leader serves a read.
    // (In the padding after the two flags.)
    std::uint32_t readRound = 0;
    Index matchIndex = 0;      // success: the last index known to match the leader's log
    Index rejectedIndex = 0;   // failure: the prevLogIndex that was rejected; 0: our term was newer
    Index conflictIndex = 0;   // failure: where the leader should retry (fast backtracking)
    Term conflictTerm = 0;     // failure: the follower's term at prevLogIndex, 0 if none

    friend bool operator==(const Message&, const Message&) = default;
};

inline bool bindsTerm(const Message& m) {
    return m.kind != MsgKind::PreVote && !(m.kind == MsgKind::PreVoteResponse && m.success);
}

}  // namespace raft
