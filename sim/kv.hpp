// The replicated state machine of the workload: a few integer registers with put, get
// and compare-and-set, encoded in an entry's 64-bit payload, and, with sessions on, the
// clients' sessions (sim/sessions.hpp, thesis §6.3).
#pragma once

#include <cstdint>
#include <vector>

#include "core/hash.hpp"
#include "core/types.hpp"
#include "sim/sessions.hpp"

namespace sim {

// Register opens a client session (sessions on only); it never appears in a history.
enum class KvOp : std::uint8_t { Put, Get, Cas, Register };

struct KvCommand {
    KvOp op = KvOp::Get;
    std::uint8_t key = 0;
    std::uint32_t value = 0;     // put: the new value; cas: the new value
    std::uint32_t expected = 0;  // cas: the value it must replace

    static constexpr std::uint32_t kValueMask = (1u << 24) - 1;

    friend bool operator==(const KvCommand&, const KvCommand&) = default;

    std::uint64_t encode() const {
        return static_cast<std::uint64_t>(op) | (std::uint64_t{key} << 2) |
               (std::uint64_t{value & kValueMask} << 10) |
               (std::uint64_t{expected & kValueMask} << 34);
    }
    static KvCommand decode(std::uint64_t data) {
        return {static_cast<KvOp>(data & 3u), static_cast<std::uint8_t>((data >> 2) & 0xFFu),
                static_cast<std::uint32_t>((data >> 10) & kValueMask),
                static_cast<std::uint32_t>((data >> 34) & kValueMask)};
    }
};

class KvStore {
public:
    explicit KvStore(int keys, SessionRules sessions = {})
        : values_(static_cast<std::size_t>(keys), 0), sessions_(sessions) {}

    // Applies the committed entry at `index`; `localUs` is the replica's clock, read only
    // by a bug switch (sessions expire by log position). No-ops and unknown keys change
    // nothing. Results: get the value; put 1; cas 1 if it swapped, 0 if not; register the
    // new session's id. With sessions on, a retried command is answered from its session.
    Answer apply(const raft::Entry& entry, raft::Index index, raft::Micros localUs) {
        if (!sessions_.on()) [[likely]] {
            if (entry.kind != raft::EntryKind::Command) return {};
            return {run(KvCommand::decode(entry.data))};
        }
        return applyInSession(entry, index, localUs);
    }

    // A read served without the log (thesis §6.4): the value a get of `command` returns
    // now, as apply would.
    std::uint64_t read(const KvCommand& command) const {
        return command.key < values_.size() ? values_[command.key] : 0;
    }

    const SessionTable& sessions() const { return sessions_; }

    // The whole state, registers and sessions, as numbers (what a snapshot would hold),
    // and back: false if `state` is malformed or sized for another number of keys.
    std::vector<std::uint64_t> save() const {
        std::vector<std::uint64_t> out;
        words([&out](std::uint64_t w) { out.push_back(w); });
        return out;
    }
    // stateHash(save()) (sim/snapshot_store.hpp), without building the vector: with
    // snapshots on, every apply asks for it.
    std::uint64_t hash() const {
        std::uint64_t count = 0;
        words([&count](std::uint64_t) { ++count; });
        raft::Hasher h;
        h.add(count);
        words([&h](std::uint64_t w) { h.add(w); });
        return h.digest();
    }
    bool load(const std::vector<std::uint64_t>& state) {
        if (state.size() < values_.size()) return false;
        for (std::size_t k = 0; k < values_.size(); ++k) values_[k] = static_cast<std::uint32_t>(state[k]);
        std::size_t pos = values_.size();
        return sessions_.load(state, pos) && pos == state.size();
    }

    friend bool operator==(const KvStore& a, const KvStore& b) {
        return a.values_ == b.values_ && a.sessions_ == b.sessions_;
    }

private:
    // The state as save() lists it: the registers, then the sessions.
    template <class F>
    void words(F&& word) const {
        for (const std::uint32_t v : values_) word(v);
        sessions_.words(word);
    }

    std::uint64_t run(const KvCommand& c) {
        if (c.key >= values_.size()) return 0;
        std::uint32_t& v = values_[c.key];
        switch (c.op) {
            case KvOp::Put: v = c.value; return 1;
            case KvOp::Get: return v;
            case KvOp::Cas:
                if (v != c.expected) return 0;
                v = c.value;
                return 1;
            case KvOp::Register: return 0;
        }
        return 0;
    }

    Answer applyInSession(const raft::Entry& entry, raft::Index index, raft::Micros localUs) {
        sessions_.expire(index, localUs);
        if (entry.kind != raft::EntryKind::Command) return {};
        const KvCommand c = KvCommand::decode(entry.data);
        if (c.op == KvOp::Register) {
            sessions_.open(index, localUs);
            return {index};
        }
        bool duplicate = false;
        SessionTable::Session* s = sessions_.find(entry.clientId, entry.seq, duplicate);
        if (s == nullptr) return {0, AnswerKind::Expired};
        if (duplicate) return {entry.seq == s->lastSeq ? s->response : 0, AnswerKind::Duplicate};
        const std::uint64_t result = run(c);
        sessions_.record(*s, entry.seq, result, index, localUs);
        return {result};
    }

    std::vector<std::uint32_t> values_;
    SessionTable sessions_;
};

}  // namespace sim
