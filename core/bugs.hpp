// Historical Raft bugs that can be switched back on, so the checker can be seen to
// catch them. All are off by default; a switch that is off costs one bit test.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace raft {

enum class Bug : std::uint8_t {
    Figure8Commit,
    VoteNoLogCheck,
    VoteLogCheckWrong,
    ForgetVote,
    StaleTermAppend,
    TruncateOnStaleAppend,
    CommitPastNewEntries,
    NoStepDownHigherTerm,
    VoteResetSameTerm,
    StaleVoteCounted,
    DuplicateVoteCounted,
    AckBeforePersist,
    CommitIndexRegress,
    SelfCountBeforePersist,
    PreVoteCountedAsVote,
    TransferNeverAborted,
    ProposeDuringTransfer,
    StaleTimeoutNow,
    ReadWithoutQuorum,
    ReadIndexBeforeTermCommit,
    FollowerReadBeforeApply,
    ElectionTimeoutNarrow,
    LeaseNeverExpires,
    LeaseReadDuringTransfer,
    SessionNoDedupe,
    SessionExpiryLocalClock,
    PreCandidateKeepsLeader,
    SnapshotAckBeforePersist,
    SnapshotKeepsConflictingLog,
    ConcurrentChanges,
    RemovedLeaderStays,
    LearnerCountedInQuorum,
    Count_,
};

struct BugInfo {
    Bug bug;
    std::string_view name;         // the --bug NAME
    std::string_view description;  // one line
    std::string_view source;       // where it was documented
};

std::span<const BugInfo> bugCatalog();
std::optional<Bug> bugByName(std::string_view name);
const BugInfo& bugInfo(Bug bug);

// A set of enabled bugs.
class BugSet {
public:
    constexpr bool has(Bug bug) const { return (bits_ >> static_cast<int>(bug)) & 1u; }
    constexpr void enable(Bug bug) { bits_ |= (std::uint64_t{1} << static_cast<int>(bug)); }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr std::uint64_t bits() const { return bits_; }
    friend bool operator==(const BugSet&, const BugSet&) = default;

private:
    std::uint64_t bits_ = 0;
};
static_assert(static_cast<int>(Bug::Count_) <= 64, "BugSet holds 64 switches");

}  // namespace raft
