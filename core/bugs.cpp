#include "core/bugs.hpp"

#include <array>

namespace raft {

namespace {

constexpr std::array<BugInfo, static_cast<int>(Bug::Count_)> kCatalog{{
    {Bug::Figure8Commit, "figure8-commit",
     "a leader commits an entry of an earlier term by counting replicas",
     "Raft paper, section 5.4.2 and figure 8"},
    {Bug::VoteNoLogCheck, "vote-no-log-check",
     "a vote is granted without the up-to-date log check",
     "akka-raft issue #30"},
    {Bug::VoteLogCheckWrong, "vote-log-check-wrong",
     "the up-to-date check compares last index before last term",
     "hashicorp/raft issue #94"},
    {Bug::ForgetVote, "forget-vote",
     "currentTerm and votedFor are not persisted, so a restarted node votes twice",
     "akka-raft issue #62"},
    {Bug::StaleTermAppend, "stale-term-append",
     "AppendEntries from a lower term is accepted",
     "akka-raft pull request #55"},
    {Bug::TruncateOnStaleAppend, "truncate-on-stale-append",
     "a follower truncates its log on a stale or duplicate AppendEntries",
     "akka-raft issue #66"},
    {Bug::CommitPastNewEntries, "commit-past-new-entries",
     "a follower sets commitIndex to leaderCommit beyond the prefix it verified",
     "atomix/copycat issue #265"},
    {Bug::NoStepDownHigherTerm, "no-step-down-higher-term",
     "a leader ignores a higher term in a response and stays leader",
     "Raft paper, section 5.1"},
    {Bug::VoteResetSameTerm, "vote-reset-same-term",
     "stepping down within a term clears votedFor, so a node can vote twice in one term",
     "eliben/raft pull request #27; microsoft/CCF issue #5891"},
    {Bug::StaleVoteCounted, "stale-vote-counted",
     "a candidate counts a vote granted in an earlier term of its own",
     "eatonphil/raft-rs issue #3; eliben/raft pull request #27"},
    {Bug::DuplicateVoteCounted, "duplicate-vote-counted",
     "a candidate counts vote responses, not voters, so a duplicated vote counts twice",
     "xnnyygn/xraft issue #27"},
    {Bug::AckBeforePersist, "ack-before-persist",
     "a follower acknowledges AppendEntries before the entries are on disk",
     "tikv/tikv issue #994"},
    {Bug::CommitIndexRegress, "commit-index-regress",
     "a follower sets commitIndex from a delayed AppendEntries, so it can decrease",
     "ongardie/raft.tla issue #19; wenweihu86/raft-java issue #54"},
    {Bug::SelfCountBeforePersist, "self-count-before-persist",
     "a leader counts its own log, and a candidate its own vote, before its write is durable",
     "lni/dragonboat pull request #224; Ongaro's thesis, section 10.2.1"},
    {Bug::PreVoteCountedAsVote, "prevote-counted-as-vote",
     "a candidate counts a late pre-vote grant, which carries the term it now campaigns in, "
     "as a vote (turns PreVote on)",
     "canonical/raft issue #196"},
    {Bug::TransferNeverAborted, "transfer-never-aborted",
     "a leader whose transfer does not complete never aborts it, so it refuses proposals "
     "for as long as it leads",
     "databendlabs/openraft issue #1747; hashicorp/raft issue #696"},
    {Bug::ProposeDuringTransfer, "propose-during-transfer",
     "a leader keeps accepting proposals while it transfers its leadership",
     "tikv/raft-rs pull request #283; thesis section 3.10"},
    {Bug::StaleTimeoutNow, "stale-timeout-now",
     "a node starts an election on a TimeoutNow from an earlier term",
     "tikv/raft-rs issue #234"},
    {Bug::ReadWithoutQuorum, "read-without-quorum",
     "a leader answers a read from its own state at once, without a round of heartbeats "
     "to confirm that it still leads (turns reads on)",
     "hashicorp/consul issue #54; thesis section 6.4"},
    {Bug::ReadIndexBeforeTermCommit, "read-index-before-term-commit",
     "a new leader takes its commitIndex as a read index before an entry of its own term "
     "is committed (turns follower reads on)",
     "etcd-io/etcd issue #7331; tikv/tikv pull request #6340"},
    {Bug::FollowerReadBeforeApply, "follower-read-before-apply",
     "a follower answers a read as soon as it has the leader's read index, before it has "
     "applied up to it (turns follower reads on)",
     "baidu/braft pull request #315; RedisLabs/raft issue #80"},
    {Bug::ElectionTimeoutNarrow, "election-timeout-narrow",
     "election timeouts are randomized over 1/30 of the configured range (150-155 ms for "
     "150-300 ms), so split votes repeat and elections are slow, not wrong (caught by a "
     "sweep's recovery bound, --max-recovery-timeouts)",
     "Raft paper, section 9.3 and figure 16 (150-155 ms); Ongaro's thesis, section 9.4"},
    {Bug::LeaseNeverExpires, "lease-never-expires",
     "a leader serves reads on its lease for as long as it believes it leads, reading no "
     "clock: cut off from the majority, it goes on after a new leader is elected (turns "
     "lease reads on)",
     "etcd-io/etcd issue #8450 and pull request #8567; tikv/raft-rs issue #140; tikv/tikv "
     "issue #964"},
    {Bug::LeaseReadDuringTransfer, "lease-read-during-transfer",
     "a leader keeps serving reads on its lease after it has sent TimeoutNow, whose target "
     "may be elected at once (turns lease reads and transfers on)",
     "etcd-io/etcd issue #12704; tikv/tikv pull request #1595; databendlabs/openraft pull "
     "request #1749"},
    {Bug::SessionNoDedupe, "session-no-dedupe",
     "the state machine applies a retried command again instead of answering it with the "
     "response its session saved (turns sessions on)",
     "etcd-io/etcd issue #18424; Raft paper section 8; thesis section 6.3"},
    {Bug::SessionExpiryLocalClock, "session-expiry-local-clock",
     "each replica expires client sessions by its own clock, not by log position, so "
     "replicas disagree on which commands to apply (turns sessions on)",
     "etcd-io/etcd issue #7320; atomix/copycat issue #40; thesis section 6.3"},
    {Bug::PreCandidateKeepsLeader, "precandidate-keeps-leader",
     "a node that starts a pre-vote keeps the leader it last heard and refuses others' "
     "pre-votes as if that leader were alive: once the leader is gone for good, every node "
     "refuses every other and no one is elected (turns PreVote on)",
     "etcd-io/etcd issue #9586 and pull request #8334; tikv/raft-rs pull request #84"},
    {Bug::SnapshotAckBeforePersist, "snapshot-ack-before-persist",
     "a follower acknowledges an InstallSnapshot before the snapshot is on its disk, so a "
     "crash takes back entries the leader counted (turns snapshots on)",
     "Raft paper figure 13 (save the snapshot file, then reply); thesis section 3.8; "
     "databendlabs/openraft pull request #559"},
    {Bug::SnapshotKeepsConflictingLog, "snapshot-keeps-conflicting-log",
     "a follower that installs a snapshot keeps its log after the snapshot's last index "
     "even when its entry there has another term (figure 13 step 6 without the term check; "
     "turns snapshots on)",
     "hashicorp/raft pull request #704 and issue #697; camunda/camunda issue #6092"},
    {Bug::ConcurrentChanges, "concurrent-changes",
     "a leader appends a configuration entry while the previous one is still uncommitted, so "
     "two configurations that differ by two servers can elect leaders with disjoint "
     "majorities (turns membership changes on)",
     "thesis section 4.1; RedisLabs/redisraft issue #17 and pull request #20"},
    {Bug::RemovedLeaderStays, "removed-leader-stays",
     "a leader whose removal (or demotion) has committed keeps leading: it heartbeats and "
     "holds the cluster's leadership indefinitely instead of stepping down (turns membership "
     "changes on)",
     "thesis section 4.2.2; etcd-io/etcd issue #11038; canonical/raft pull request #235"},
    {Bug::LearnerCountedInQuorum, "learner-counted-in-quorum",
     "a leader counts the acknowledgements of learners (non-voting members) towards the "
     "commit quorum, so an entry may commit on fewer than a majority of the voters (turns "
     "membership changes on)",
     "thesis section 4.2.1; camunda/camunda pull request #62835 (only active members count "
     "for quorum)"},
}};

}  // namespace

std::span<const BugInfo> bugCatalog() { return kCatalog; }

std::optional<Bug> bugByName(std::string_view name) {
    for (const BugInfo& info : kCatalog) {
        if (info.name == name) return info.bug;
    }
    return std::nullopt;
}

const BugInfo& bugInfo(Bug bug) { return kCatalog[static_cast<int>(bug)]; }

}  // namespace raft
