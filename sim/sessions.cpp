#include "sim/sessions.hpp"

namespace sim {

bool SessionTable::idle(const Session& s, raft::Index index, raft::Micros localUs) const {
    // The bug: each replica's own clock decides, so a replica that applies late (a lagging
    // follower, or one replaying its log after a restart) keeps sessions the others dropped.
    if (rules_.localClockExpiry) [[unlikely]] return localUs - s.lastLocalUs > rules_.localExpiryUs;
    return index - s.lastIndex > rules_.expireAfterEntries;
}

void SessionTable::expire(raft::Index index, raft::Micros localUs) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (idle(it->second, index, localUs)) {
            it = sessions_.erase(it);
            expired_ += 1;
        } else {
            ++it;
        }
    }
}

void SessionTable::open(raft::Index index, raft::Micros localUs) {
    sessions_[static_cast<std::uint32_t>(index)] =
        Session{.lastIndex = index, .lastLocalUs = rules_.localClockExpiry ? localUs : 0};
}

SessionTable::Session* SessionTable::find(std::uint32_t clientId, std::uint32_t seq, bool& duplicate) {
    const auto it = sessions_.find(clientId);
    if (it == sessions_.end()) return nullptr;
    duplicate = rules_.dedupe && seq <= it->second.lastSeq;
    return &it->second;
}

void SessionTable::record(Session& s, std::uint32_t seq, std::uint64_t response, raft::Index index,
                          raft::Micros localUs) const {
    // A client has one command outstanding, so its seq is its lowest unacknowledged one:
    // the responses below it are discarded, and the table keeps one per session.
    s.lastSeq = seq;
    s.response = response;
    s.lastIndex = index;
    s.lastLocalUs = rules_.localClockExpiry ? localUs : 0;
}

void SessionTable::save(std::vector<std::uint64_t>& out) const {
    words([&out](std::uint64_t w) { out.push_back(w); });
}

bool SessionTable::load(const std::vector<std::uint64_t>& in, std::size_t& pos) {
    if (in.size() - pos < 2) return false;
    expired_ = in[pos++];
    const std::uint64_t count = in[pos++];
    if ((in.size() - pos) / 5 < count) return false;
    sessions_.clear();
    for (std::uint64_t k = 0; k < count; ++k, pos += 5) {
        sessions_[static_cast<std::uint32_t>(in[pos])] =
            Session{.lastSeq = static_cast<std::uint32_t>(in[pos + 1]),
                    .response = in[pos + 2],
                    .lastIndex = in[pos + 3],
                    .lastLocalUs = static_cast<raft::Micros>(in[pos + 4])};
    }
    return true;
}

}  // namespace sim
