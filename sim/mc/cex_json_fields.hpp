// What the model trace's writer, reader and re-execution share: which events carry a
// message, timer names, and the message fields each kind always carries.
#pragma once

#include <array>
#include <string_view>

#include "core/io.hpp"
#include "core/message.hpp"
#include "sim/mc/event.hpp"

namespace mc::trace_fields {

constexpr std::string_view kEngine = "model";

inline bool carriesMessage(EventKind kind) {
    return kind == EventKind::Deliver || kind == EventKind::Drop || kind == EventKind::Duplicate;
}

// Events whose Event::value names what they carry: a client's value, a transfer's
// target (kNoNode: the most up to date), a read's seq, a membership change (its kind
// above its server, see packChange), a snapshot's index.
inline bool carriesValue(EventKind kind) {
    return kind == EventKind::Client || kind == EventKind::Transfer || kind == EventKind::Read ||
           kind == EventKind::Change || kind == EventKind::Snapshot;
}

inline std::string_view timerName(raft::Timer t) { return t == raft::Timer::Election ? "election" : "heartbeat"; }

// ---- messages: the fields of their kind always, any other field when it is set ----

struct MsgField {
    std::string_view key;
    std::uint64_t raft::Message::*member;
};

constexpr std::array<MsgField, 10> kMsgFields{{
    {"term", &raft::Message::term},
    {"lastLogIndex", &raft::Message::lastLogIndex},
    {"lastLogTerm", &raft::Message::lastLogTerm},
    {"prevLogIndex", &raft::Message::prevLogIndex},
    {"prevLogTerm", &raft::Message::prevLogTerm},
    {"leaderCommit", &raft::Message::leaderCommit},
    {"matchIndex", &raft::Message::matchIndex},
    {"rejectedIndex", &raft::Message::rejectedIndex},
    {"conflictIndex", &raft::Message::conflictIndex},
    {"conflictTerm", &raft::Message::conflictTerm},
}};

// The fields a message of `kind` always carries (Raft paper figure 2, plus the hints).
inline bool ofKind(raft::MsgKind kind, std::string_view key) {
    static constexpr std::array<std::string_view, 3> rv{"term", "lastLogIndex", "lastLogTerm"};
    static constexpr std::array<std::string_view, 2> rvr{"term", "success"};
    static constexpr std::array<std::string_view, 5> ae{"term", "prevLogIndex", "prevLogTerm",
                                                         "leaderCommit", "entries"};
    static constexpr std::array<std::string_view, 6> aer{"term", "success", "matchIndex",
                                                          "rejectedIndex", "conflictIndex", "conflictTerm"};
    auto has = [key](const auto& list) { return std::find(list.begin(), list.end(), key) != list.end(); };
    switch (kind) {
        case raft::MsgKind::RequestVote:
        case raft::MsgKind::PreVote: return has(rv);
        case raft::MsgKind::RequestVoteResponse:
        case raft::MsgKind::PreVoteResponse: return has(rvr);
        case raft::MsgKind::AppendEntries: return has(ae);
        case raft::MsgKind::AppendEntriesResponse: return has(aer);
        case raft::MsgKind::TimeoutNow: return key == "term";
        case raft::MsgKind::ReadIndex: return key == "term" || key == "entries";
        case raft::MsgKind::ReadIndexResponse:
            return key == "term" || key == "success" || key == "matchIndex" || key == "entries";
        case raft::MsgKind::InstallSnapshot:
            return key == "term" || key == "lastLogIndex" || key == "lastLogTerm" ||
                   key == "prevLogIndex" || key == "prevLogTerm" || key == "leaderCommit";
    }
    return false;
}

}  // namespace mc::trace_fields
