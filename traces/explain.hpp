// Why a node did what it did with a message, in the words of the Raft paper's rules, with
// the values compared: a vote granted or refused (stale term, already voted, the
// candidate's log behind ours), an append accepted or rejected (stale term, missing entry
// at prevLogIndex, term mismatch there), a response counted or ignored, and the quorum
// behind a commit. Computed from the receiver's state before the step and the message,
// mirroring core/node.cpp (checkTerm, onRequestVote/grantsVote, onAppendEntries/
// appendFromLeader, the response handlers); a test steps the core and checks the
// prediction against the answer it really sends, so the two cannot drift apart silently.
#pragma once

#include <optional>
#include <string>

#include "core/node.hpp"

namespace traces {

enum class Answer {
    None,      // no answer is sent (a response taken in or ignored)
    Granted,   // RequestVoteResponse granted
    Refused,   // RequestVoteResponse refused
    Accepted,  // AppendEntriesResponse success
    Rejected,  // AppendEntriesResponse failure
};

struct Why {
    Answer answer = Answer::None;
    std::string text;  // "refused: log (5,t2) is behind ours (6,t3)"
};

// What `before` answers to `m` (m.to == before.id()) and why.
Why explainReceive(const raft::Node& before, const raft::Message& m);

// What `before` does with a TransferLeadership to `target` (kNoNode: the most
// up-to-date follower) and why, mirroring core/node.cpp's onTransferLeadership (thesis
// §3.10): "refused: ..." or "accepted: ...".
std::string explainTransfer(const raft::Node& before, raft::NodeId target);

// The commit a step made on `after` ("commits 2 (2,t1): held by n0,n1,n2, 3 of 3 (a
// quorum is 2), an entry of our term"), or nullopt when commitIndex did not grow.
std::optional<std::string> explainCommit(const raft::Node& before, const raft::Node& after);

// Membership changes and snapshots (explain_membership.cpp).
// A leader's answer to a change: "change add-voter 3 accepted: ..." or "... refused (in-progress): ...".
std::string explainChangeReply(const raft::ChangeReply& reply);
// A catch-up round a step started on leader `after` (§4.2.1), or nullopt.
std::optional<std::string> explainCatchUp(const raft::Node& before, const raft::Node& after);
// "n3 configuration: voters {0,1,2,3} learners {} (entry 7, uncommitted)" when the node's
// configuration changed in the step (§4.1: it takes effect once in the log), or nullopt.
std::optional<std::string> explainConfiguration(raft::NodeId id, const raft::Node& before, const raft::Node& after);
// The snapshot a TakeSnapshot step made the node take of its state machine (§5.1), or
// nullopt; one installed from a leader is explained with the InstallSnapshot
// (explainReceive).
std::optional<std::string> explainSnapshotTaken(raft::NodeId id, const raft::Node& before, const raft::Node& after);

}  // namespace traces
