// Client sessions of the replicated state machine (thesis §6.3): a client registers (its
// session id is the log index of its register entry), numbers its commands, and retries
// a command it has no answer for under the same number. The table keeps, per session,
// the highest number applied and its response, so a retried command is answered from
// the table instead of being applied again. Sessions expire by log position (no command
// in the last `expireAfterEntries` entries), so every replica expires the same sessions
// at the same entries, also when it replays its log after a restart.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/types.hpp"

namespace sim {

// How the state machine keeps sessions. `on` false: no sessions at all (as without
// `--sessions`). The two bug switches break them on purpose (core/bugs.hpp).
struct SessionRules {
    bool on = false;
    raft::Index expireAfterEntries = 16;
    bool dedupe = true;            // false: Bug::SessionNoDedupe
    bool localClockExpiry = false;  // true: Bug::SessionExpiryLocalClock
    raft::Micros localExpiryUs = 500'000;  // with localClockExpiry: idle this long by the replica's clock
};

// What the state machine did with a command.
enum class AnswerKind : std::uint8_t {
    Applied,    // applied now; value is its result
    Duplicate,  // a retry of the session's last command: value is the saved response
    Expired,    // the session is unknown or expired: nothing applied
};

struct Answer {
    std::uint64_t value = 0;
    AnswerKind kind = AnswerKind::Applied;
};

class SessionTable {
public:
    struct Session {
        std::uint32_t lastSeq = 0;      // the highest command number applied
        std::uint64_t response = 0;     // its result, answered to a retry of it
        raft::Index lastIndex = 0;      // where the session last registered or applied
        raft::Micros lastLocalUs = 0;   // Bug::SessionExpiryLocalClock only (else 0: replicas agree)
        friend bool operator==(const Session&, const Session&) = default;
    };

    explicit SessionTable(SessionRules rules = {}) : rules_(rules) {}

    bool on() const { return rules_.on; }
    const SessionRules& rules() const { return rules_; }

    // Before the entry at `index` applies: sessions idle for too long are removed.
    void expire(raft::Index index, raft::Micros localUs);
    // A register entry at `index` opens session `index`.
    void open(raft::Index index, raft::Micros localUs);
    // A command (clientId, seq) at `index`: the session that answers it, null when it is
    // unknown or expired; `duplicate` tells whether seq was applied already.
    Session* find(std::uint32_t clientId, std::uint32_t seq, bool& duplicate);
    // Records the result of the command just applied for session `s`.
    void record(Session& s, std::uint32_t seq, std::uint64_t response, raft::Index index,
                raft::Micros localUs) const;

    const std::map<std::uint32_t, Session>& sessions() const { return sessions_; }
    std::uint64_t expiredCount() const { return expired_; }

    // The whole table as numbers (a snapshot's part), each handed to `word` in order, and
    // appended to `out`; and back.
    template <class F>
    void words(F&& word) const {
        word(expired_);
        word(sessions_.size());
        for (const auto& [id, s] : sessions_) {
            word(id);
            word(s.lastSeq);
            word(s.response);
            word(s.lastIndex);
            word(static_cast<std::uint64_t>(s.lastLocalUs));
        }
    }
    void save(std::vector<std::uint64_t>& out) const;
    // Reads what save wrote from `in` at `pos`; false if it is malformed.
    bool load(const std::vector<std::uint64_t>& in, std::size_t& pos);

    friend bool operator==(const SessionTable& a, const SessionTable& b) {
        return a.sessions_ == b.sessions_ && a.expired_ == b.expired_;
    }

private:
    bool idle(const Session& s, raft::Index index, raft::Micros localUs) const;

    SessionRules rules_;
    std::map<std::uint32_t, Session> sessions_;  // by id: ordered, so saved the same everywhere
    std::uint64_t expired_ = 0;
};

}  // namespace sim
