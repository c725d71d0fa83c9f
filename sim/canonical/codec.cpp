#include "sim/canonical/codec.hpp"

#include <cstring>

#include "core/assert.hpp"

namespace sim::canonical {

namespace {

// Tags of the Noop entries that stand for canonical/raft's own entry types.
constexpr std::uint64_t kTagMask = 0xFFFF'0000'0000'0000ULL;
constexpr std::uint64_t kBarrierTag = 0xCA0B'0000'0000'0000ULL;
constexpr std::uint64_t kChangeTag = 0xCA0C'0000'0000'0000ULL;
constexpr std::size_t kCommandSize = 16;
constexpr std::size_t kBarrierSize = 8;  // raft_barrier()'s zeroed buffer

void putLe(unsigned char* out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t getLe(const unsigned char* in, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t{in[i]} << (8 * i);
    return v;
}

// The bytes of an encoded configuration that carry it: a format byte, the server count,
// then each server's id, address and role. The encoding pads this to 8 bytes, and the
// padding is whatever the allocator left there.
std::size_t meaningfulSize(int voters) {
    std::size_t n = 1 + 8;
    for (int i = 0; i < voters; ++i) {
        n += 8 + std::strlen(address(static_cast<raft::NodeId>(i))) + 1 + 1;
    }
    return n;
}

// The bootstrap configuration of `voters` servers, encoded as canonical/raft logs it,
// its padding zeroed (so that what it stores does not depend on the allocator).
raft_buffer encodedConfiguration(int voters) {
    raft_configuration conf;
    bootstrapConfiguration(voters, conf);
    raft_buffer buf{};
    const int rv = raft_configuration_encode(&conf, &buf);
    raft_configuration_close(&conf);
    RAFT_ASSERT(rv == 0, "raft_configuration_encode: {}", raft_strerror(rv));
    const std::size_t used = meaningfulSize(voters);
    RAFT_ASSERT(used <= buf.len, "configuration of {} bytes, {} used", buf.len, used);
    std::memset(static_cast<unsigned char*>(buf.base) + used, 0, buf.len - used);
    return buf;
}

bool isZero(const raft_buffer& buf) {
    const auto* bytes = static_cast<const unsigned char*>(buf.base);
    for (std::size_t i = 0; i < buf.len; ++i) {
        if (bytes[i] != 0) return false;
    }
    return true;
}

}  // namespace

raft::NodeId nodeId(raft_id id) {
    if (id == 0) return raft::kNoNode;
    RAFT_ASSERT(id <= raft::kMaxNodes, "canonical/raft server id {} out of range", id);
    return static_cast<raft::NodeId>(id - 1);
}

const char* address(raft::NodeId id) {
    static constexpr const char* kAddresses[raft::kMaxNodes] = {"n0", "n1", "n2", "n3", "n4",
                                                                "n5", "n6", "n7", "n8"};
    RAFT_ASSERT(id < raft::kMaxNodes, "node id {}", id);
    return kAddresses[id];
}

void bootstrapConfiguration(int voters, raft_configuration& out) {
    raft_configuration_init(&out);
    for (int i = 0; i < voters; ++i) {
        const auto id = static_cast<raft::NodeId>(i);
        const int rv = raft_configuration_add(&out, serverId(id), address(id), RAFT_VOTER);
        RAFT_ASSERT(rv == 0, "raft_configuration_add: {}", raft_strerror(rv));
    }
}

raft::Entry toSim(const raft_entry& e, int voters) {
    raft::Entry out{.term = e.term};
    const auto* bytes = static_cast<const unsigned char*>(e.buf.base);
    switch (e.type) {
        case RAFT_COMMAND:
            RAFT_ASSERT(e.buf.len == kCommandSize, "a COMMAND entry of {} bytes cannot be carried",
                        e.buf.len);
            out.kind = raft::EntryKind::Command;
            out.clientId = static_cast<std::uint32_t>(getLe(bytes, 4));
            out.seq = static_cast<std::uint32_t>(getLe(bytes + 4, 4));
            out.data = getLe(bytes + 8, 8);
            return out;
        case RAFT_BARRIER:
            RAFT_ASSERT(e.buf.len == kBarrierSize && isZero(e.buf),
                        "a BARRIER entry of {} bytes cannot be carried", e.buf.len);
            out.data = kBarrierTag;
            return out;
        case RAFT_CHANGE: {
            const raft_buffer expected = encodedConfiguration(voters);
            const bool same = expected.len == e.buf.len &&
                              std::memcmp(expected.base, e.buf.base, meaningfulSize(voters)) == 0;
            raft_free(expected.base);
            RAFT_ASSERT(same, "a CHANGE entry other than the bootstrap configuration of {} voters "
                              "cannot be carried", voters);
            out.data = kChangeTag | static_cast<std::uint64_t>(voters);
            return out;
        }
        default: break;
    }
    RAFT_ASSERT(false, "entry type {} cannot be carried", e.type);
    return out;
}

namespace {

unsigned short typeOf(const raft::Entry& e) {
    if (e.kind == raft::EntryKind::Command) return RAFT_COMMAND;
    if ((e.data & kTagMask) == kBarrierTag) return RAFT_BARRIER;
    if ((e.data & kTagMask) == kChangeTag) return RAFT_CHANGE;
    RAFT_ASSERT(false, "a Noop entry without a canonical/raft tag (data {:#x})", e.data);
    return 0;
}

int votersOf(const raft::Entry& e) { return static_cast<int>(e.data & 0xFF); }

}  // namespace

std::size_t payloadSize(const raft::Entry& e) {
    switch (typeOf(e)) {
        case RAFT_COMMAND: return kCommandSize;
        case RAFT_BARRIER: return kBarrierSize;
        default: break;
    }
    const raft_buffer conf = encodedConfiguration(votersOf(e));
    raft_free(conf.base);
    return conf.len;
}

void writePayload(const raft::Entry& e, unsigned char* out) {
    switch (typeOf(e)) {
        case RAFT_COMMAND:
            putLe(out, e.clientId, 4);
            putLe(out + 4, e.seq, 4);
            putLe(out + 8, e.data, 8);
            return;
        case RAFT_BARRIER: std::memset(out, 0, kBarrierSize); return;
        default: break;
    }
    const raft_buffer conf = encodedConfiguration(votersOf(e));
    std::memcpy(out, conf.base, conf.len);
    raft_free(conf.base);
}

raft_entry* toCanonical(const raft::Entry* entries, std::size_t n) {
    if (n == 0) return nullptr;
    std::vector<std::size_t> sizes(n);
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) total += sizes[i] = payloadSize(entries[i]);
    auto* out = static_cast<raft_entry*>(raft_calloc(n, sizeof(raft_entry)));
    auto* batch = static_cast<unsigned char*>(raft_malloc(total > 0 ? total : 1));
    RAFT_ASSERT(out != nullptr && batch != nullptr, "out of memory for {} entries", n);
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
        writePayload(entries[i], batch + at);
        out[i] = raft_entry{.term = entries[i].term,
                            .type = typeOf(entries[i]),
                            .buf = raft_buffer{batch + at, sizes[i]},
                            .batch = batch};
        at += sizes[i];
    }
    return out;
}

raft_buffer commandBuffer(const raft::Entry& command) {
    raft_buffer buf{raft_malloc(kCommandSize), kCommandSize};
    RAFT_ASSERT(buf.base != nullptr, "out of memory");
    raft::Entry e = command;
    e.kind = raft::EntryKind::Command;
    writePayload(e, static_cast<unsigned char*>(buf.base));
    return buf;
}

raft::Message toSim(const raft_message& m, raft::NodeId self, int voters) {
    raft::Message out{.from = self, .to = nodeId(m.server_id)};
    RAFT_ASSERT(out.to < voters, "server {} sends a message of type {} to server id {}", serverId(self),
                m.type, m.server_id);
    switch (m.type) {
        case RAFT_IO_REQUEST_VOTE: {
            const raft_request_vote& a = m.request_vote;
            RAFT_ASSERT(a.candidate_id == serverId(self), "candidate_id {} sent by server {}",
                        a.candidate_id, serverId(self));
            out.kind = a.pre_vote ? raft::MsgKind::PreVote : raft::MsgKind::RequestVote;
            out.term = a.term;
            out.lastLogIndex = a.last_log_index;
            out.lastLogTerm = a.last_log_term;
            out.leadershipTransfer = a.disrupt_leader;  // a vote asked for by a TimeoutNow
            return out;
        }
        case RAFT_IO_REQUEST_VOTE_RESULT: {
            const raft_request_vote_result& a = m.request_vote_result;
            RAFT_ASSERT(a.pre_vote != raft_tribool_unknown, "a vote result without pre_vote");
            const bool pre = a.pre_vote == raft_tribool_true;
            out.kind = pre ? raft::MsgKind::PreVoteResponse : raft::MsgKind::RequestVoteResponse;
            out.success = a.vote_granted;
            out.term = pre && !a.vote_granted ? 0 : a.term;
            if (pre && !a.vote_granted) out.lastLogTerm = a.term;
            return out;
        }
        case RAFT_IO_APPEND_ENTRIES: {
            const raft_append_entries& a = m.append_entries;
            out.kind = raft::MsgKind::AppendEntries;
            out.term = a.term;
            out.prevLogIndex = a.prev_log_index;
            out.prevLogTerm = a.prev_log_term;
            out.leaderCommit = a.leader_commit;
            out.entries.reserve(a.n_entries);
            for (unsigned i = 0; i < a.n_entries; ++i) out.entries.push_back(toSim(a.entries[i], voters));
            return out;
        }
        case RAFT_IO_APPEND_ENTRIES_RESULT: {
            const raft_append_entries_result& a = m.append_entries_result;
            out.kind = raft::MsgKind::AppendEntriesResponse;
            out.term = a.term;
            out.success = a.rejected == 0;
            out.rejectedIndex = a.rejected;
            (out.success ? out.matchIndex : out.conflictIndex) = a.last_log_index;
            return out;
        }
        case RAFT_IO_TIMEOUT_NOW: {
            const raft_timeout_now& a = m.timeout_now;
            out.kind = raft::MsgKind::TimeoutNow;
            out.term = a.term;
            out.lastLogIndex = a.last_log_index;
            out.lastLogTerm = a.last_log_term;
            return out;
        }
        default: break;
    }
    RAFT_ASSERT(false, "canonical/raft message type {} cannot be carried", m.type);
    return out;
}

raft_message toCanonical(const raft::Message& m) {
    raft_message out{};
    out.server_id = serverId(m.from);
    out.server_address = address(m.from);
    switch (m.kind) {
        case raft::MsgKind::RequestVote:
        case raft::MsgKind::PreVote:
            out.type = RAFT_IO_REQUEST_VOTE;
            out.request_vote = raft_request_vote{.term = m.term,
                                                 .candidate_id = serverId(m.from),
                                                 .last_log_index = m.lastLogIndex,
                                                 .last_log_term = m.lastLogTerm,
                                                 .disrupt_leader = m.leadershipTransfer,
                                                 .pre_vote = m.kind == raft::MsgKind::PreVote};
            return out;
        case raft::MsgKind::RequestVoteResponse:
        case raft::MsgKind::PreVoteResponse: {
            const bool pre = m.kind == raft::MsgKind::PreVoteResponse;
            out.type = RAFT_IO_REQUEST_VOTE_RESULT;
            out.request_vote_result = raft_request_vote_result{
                .term = pre && !m.success ? m.lastLogTerm : m.term,
                .vote_granted = m.success,
                .pre_vote = pre ? raft_tribool_true : raft_tribool_false};
            return out;
        }
        case raft::MsgKind::AppendEntries:
            out.type = RAFT_IO_APPEND_ENTRIES;
            out.append_entries = raft_append_entries{
                .term = m.term,
                .prev_log_index = m.prevLogIndex,
                .prev_log_term = m.prevLogTerm,
                .leader_commit = m.leaderCommit,
                .entries = toCanonical(m.entries.data(), m.entries.size()),
                .n_entries = static_cast<unsigned>(m.entries.size())};
            return out;
        case raft::MsgKind::TimeoutNow:
            out.type = RAFT_IO_TIMEOUT_NOW;
            out.timeout_now = raft_timeout_now{
                .term = m.term, .last_log_index = m.lastLogIndex, .last_log_term = m.lastLogTerm};
            return out;
        case raft::MsgKind::AppendEntriesResponse:
            out.type = RAFT_IO_APPEND_ENTRIES_RESULT;
            out.append_entries_result = raft_append_entries_result{
                .term = m.term,
                .rejected = m.rejectedIndex,
                .last_log_index = m.success ? m.matchIndex : m.conflictIndex};
            return out;
        case raft::MsgKind::ReadIndex:
        case raft::MsgKind::ReadIndexResponse: break;  // the library has no read index
        case raft::MsgKind::InstallSnapshot: break;    // not carried: snapshots are not wired yet
    }
    RAFT_ASSERT(false, "message kind {} cannot be carried", static_cast<int>(m.kind));
    return out;
}

}  // namespace sim::canonical
