#include "sim/process/protocol.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/node.hpp"

namespace sim::process {

namespace {

[[noreturn]] void bad(std::string_view field, std::string_view what) {
    throw std::invalid_argument(fmt::format("field '{}': {}", field, what));
}

const Json& field(const Json& j, const char* key) {
    if (!j.is_object()) bad(key, "the enclosing value is not an object");
    const auto it = j.find(key);
    if (it == j.end()) bad(key, "missing");
    return *it;
}

std::uint64_t u64(const Json& j, const char* key, std::uint64_t max = UINT64_MAX) {
    const Json& v = field(j, key);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
        bad(key, "not a non-negative integer");
    }
    const auto n = v.get<std::uint64_t>();
    if (n > max) bad(key, fmt::format("{} is above {}", n, max));
    return n;
}

std::int64_t i64(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_number_integer()) bad(key, "not an integer");
    return v.get<std::int64_t>();
}

bool boolean(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_boolean()) bad(key, "not true or false");
    return v.get<bool>();
}

std::string text(const Json& j, const char* key) {
    const Json& v = field(j, key);
    if (!v.is_string()) bad(key, "not a string");
    return v.get<std::string>();
}

// A node id, or null for none.
Json nodeJson(raft::NodeId id) { return id == raft::kNoNode ? Json(nullptr) : Json(id); }
raft::NodeId nodeOf(const Json& j, const char* key) {
    if (field(j, key).is_null()) return raft::kNoNode;
    return static_cast<raft::NodeId>(u64(j, key, raft::kMaxNodes - 1));
}

raft::EntryKind entryKindOf(std::string_view kind) {
    for (int k = 0; k <= static_cast<int>(raft::EntryKind::Configuration); ++k) {
        if (raft::name(static_cast<raft::EntryKind>(k)) == kind) return static_cast<raft::EntryKind>(k);
    }
    bad("kind", "not noop, command or configuration");
}

Json entryJson(const raft::Entry& e) {
    return Json{{"term", e.term},
                {"kind", raft::name(e.kind)},
                {"clientId", e.clientId},
                {"seq", e.seq},
                {"data", e.data}};
}

raft::Entry entryOf(const Json& j) {
    const std::string kind = text(j, "kind");
    return raft::Entry{.term = u64(j, "term"),
                       .kind = entryKindOf(kind),
                       .clientId = static_cast<std::uint32_t>(u64(j, "clientId", UINT32_MAX)),
                       .seq = static_cast<std::uint32_t>(u64(j, "seq", UINT32_MAX)),
                       .data = u64(j, "data")};
}

Json entriesJson(std::span<const raft::Entry> entries) {
    Json list = Json::array();
    for (const raft::Entry& e : entries) list.push_back(entryJson(e));
    return list;
}

std::vector<raft::Entry> entriesOf(const Json& j, const char* key) {
    const Json& list = field(j, key);
    if (!list.is_array()) bad(key, "not an array");
    std::vector<raft::Entry> entries;
    for (const Json& e : list) entries.push_back(entryOf(e));
    return entries;
}

constexpr std::array<std::string_view, 10> kMsgKinds{
    "RequestVote", "RequestVoteResponse", "AppendEntries", "AppendEntriesResponse", "PreVote",
    "PreVoteResponse", "TimeoutNow", "ReadIndex", "ReadIndexResponse", "InstallSnapshot"};
static_assert(kMsgKinds.size() == static_cast<std::size_t>(raft::MsgKind::InstallSnapshot) + 1,
              "a message kind without a name in the protocol");

Json messageJson(const raft::Message& m) {
    Json j{{"kind", kMsgKinds[static_cast<std::size_t>(m.kind)]},
                {"from", nodeJson(m.from)},
                {"to", nodeJson(m.to)},
                {"term", m.term},
                {"lastLogIndex", m.lastLogIndex},
                {"lastLogTerm", m.lastLogTerm},
                {"prevLogIndex", m.prevLogIndex},
                {"prevLogTerm", m.prevLogTerm},
                {"leaderCommit", m.leaderCommit},
                {"entries", entriesJson(m.entries)},
                {"success", m.success},
                {"matchIndex", m.matchIndex},
                {"rejectedIndex", m.rejectedIndex},
                {"conflictIndex", m.conflictIndex},
                {"conflictTerm", m.conflictTerm}};
    if (m.leadershipTransfer) j["leadershipTransfer"] = true;  // only when set: as before otherwise
    if (m.readRound != 0) j["readRound"] = m.readRound;
    // Only when set (InstallSnapshot): other messages read as before.
    if (m.snapshotVoters != 0) j["snapshotVoters"] = m.snapshotVoters;
    if (m.snapshotLearners != 0) j["snapshotLearners"] = m.snapshotLearners;
    return j;
}

raft::Message messageOf(const Json& j) {
    const std::string kind = text(j, "kind");
    const auto* it = std::find(kMsgKinds.begin(), kMsgKinds.end(), kind);
    if (it == kMsgKinds.end()) bad("kind", fmt::format("unknown message kind '{}'", kind));
    const auto nodeSet = [&j](const char* key) {
        return j.contains(key) ? static_cast<raft::NodeSet>(u64(j, key, UINT16_MAX)) : raft::NodeSet{0};
    };
    return raft::Message{.kind = static_cast<raft::MsgKind>(it - kMsgKinds.begin()),
                         .from = nodeOf(j, "from"),
                         .to = nodeOf(j, "to"),
                         .snapshotVoters = nodeSet("snapshotVoters"),
                         .snapshotLearners = nodeSet("snapshotLearners"),
                         .term = u64(j, "term"),
                         .lastLogIndex = u64(j, "lastLogIndex"),
                         .lastLogTerm = u64(j, "lastLogTerm"),
                         .prevLogIndex = u64(j, "prevLogIndex"),
                         .prevLogTerm = u64(j, "prevLogTerm"),
                         .leaderCommit = u64(j, "leaderCommit"),
                         .entries = entriesOf(j, "entries"),
                         .success = boolean(j, "success"),
                         .leadershipTransfer = j.contains("leadershipTransfer") &&
                                               boolean(j, "leadershipTransfer"),
                         .readRound = j.contains("readRound")
                                          ? static_cast<std::uint32_t>(u64(j, "readRound", UINT32_MAX))
                                          : 0,
                         .matchIndex = u64(j, "matchIndex"),
                         .rejectedIndex = u64(j, "rejectedIndex"),
                         .conflictIndex = u64(j, "conflictIndex"),
                         .conflictTerm = u64(j, "conflictTerm")};
}

std::string_view timerName(raft::Timer t) { return t == raft::Timer::Election ? "election" : "heartbeat"; }
raft::Timer timerOf(const Json& j) {
    const std::string t = text(j, "timer");
    if (t == "election") return raft::Timer::Election;
    if (t == "heartbeat") return raft::Timer::Heartbeat;
    bad("timer", "not election or heartbeat");
}

constexpr std::array<std::string_view, 4> kRoles{"follower", "candidate", "leader", "pre-candidate"};
static_assert(kRoles.size() == static_cast<std::size_t>(raft::Role::PreCandidate) + 1,
              "a role without a name in the protocol");

// Log compaction (core/snapshot.hpp): the metadata and the environment's handle and hash.
Json snapshotJson(const raft::Snapshot& s) {
    return Json{{"lastIncludedIndex", s.meta.lastIncludedIndex},
                {"lastIncludedTerm", s.meta.lastIncludedTerm},
                {"voters", s.meta.voters},
                {"learners", s.meta.learners},
                {"handle", s.handle},
                {"hash", s.hash}};
}

raft::Snapshot snapshotOf(const Json& j) {
    return raft::Snapshot{
        .meta = raft::SnapshotMeta{.lastIncludedIndex = u64(j, "lastIncludedIndex"),
                                   .lastIncludedTerm = u64(j, "lastIncludedTerm"),
                                   .voters = static_cast<raft::NodeSet>(u64(j, "voters", UINT16_MAX)),
                                   .learners = static_cast<raft::NodeSet>(u64(j, "learners", UINT16_MAX))},
        .handle = u64(j, "handle"),
        .hash = u64(j, "hash")};
}

raft::TransferReply transferReplyOf(const Json& j) {
    const std::string reason = text(j, "reason");
    for (int r = 0; r <= static_cast<int>(raft::TransferRefusal::InProgress); ++r) {
        const auto refusal = static_cast<raft::TransferRefusal>(r);
        if (raft::name(refusal) != reason) continue;
        return raft::TransferReply{.accepted = boolean(j, "accepted"),
                                   .target = nodeOf(j, "target"),
                                   .reason = refusal};
    }
    bad("reason", fmt::format("unknown transfer refusal '{}'", reason));
}

raft::ChangeKind changeKindOf(const Json& j) {
    const std::string kind = text(j, "kind");
    for (int k = 0; k <= static_cast<int>(raft::ChangeKind::RemoveServer); ++k) {
        if (raft::name(static_cast<raft::ChangeKind>(k)) == kind) return static_cast<raft::ChangeKind>(k);
    }
    bad("kind", fmt::format("unknown membership change '{}'", kind));
}

raft::ChangeReply changeReplyOf(const Json& j) {
    const std::string reason = text(j, "reason");
    for (int r = 0; r <= static_cast<int>(raft::ChangeRefusal::InvalidMember); ++r) {
        const auto refusal = static_cast<raft::ChangeRefusal>(r);
        if (raft::name(refusal) != reason) continue;
        return raft::ChangeReply{.accepted = boolean(j, "accepted"),
                                 .kind = changeKindOf(j),
                                 .node = nodeOf(j, "node"),
                                 .index = u64(j, "index"),
                                 .term = u64(j, "term"),
                                 .leaderHint = nodeOf(j, "leaderHint"),
                                 .reason = refusal};
    }
    bad("reason", fmt::format("unknown membership change refusal '{}'", reason));
}

}  // namespace

Json encode(const raft::Config& c) {
    Json j{{"id", c.id},
                {"clusterSize", c.clusterSize},
                {"electionTimeoutMinUs", c.electionTimeoutMinUs},
                {"electionTimeoutMaxUs", c.electionTimeoutMaxUs},
                {"heartbeatIntervalUs", c.heartbeatIntervalUs},
                {"maxEntriesPerAppend", c.maxEntriesPerAppend},
                {"checkQuorum", c.checkQuorum},
                {"emptyHeartbeats", c.emptyHeartbeats},
                {"preVote", c.preVote}};
    // Written only when on, so the start message of a run without them stays as it was.
    if (c.joinsCluster) j["joinsCluster"] = true;
    if (c.disregardVotesWithLeader) j["disregardVotesWithLeader"] = true;
    return j;
}

raft::Config decodeConfig(const Json& j) {
    raft::Config c;
    c.id = static_cast<raft::NodeId>(u64(j, "id", raft::kMaxNodes - 1));
    c.clusterSize = static_cast<int>(u64(j, "clusterSize", raft::kMaxNodes));
    c.joinsCluster = j.contains("joinsCluster") && boolean(j, "joinsCluster");
    // A node of the bootstrap configuration has an id below its size; one that joins
    // later may have any id.
    if (c.clusterSize < 1 || (c.id >= c.clusterSize && !c.joinsCluster)) {
        bad("clusterSize", "must exceed the id of a bootstrap member");
    }
    c.electionTimeoutMinUs = i64(j, "electionTimeoutMinUs");
    c.electionTimeoutMaxUs = i64(j, "electionTimeoutMaxUs");
    c.heartbeatIntervalUs = i64(j, "heartbeatIntervalUs");
    if (c.electionTimeoutMinUs < 1 || c.electionTimeoutMaxUs < c.electionTimeoutMinUs ||
        c.heartbeatIntervalUs < 1) {
        bad("electionTimeoutMinUs", "timer ranges must be positive and ordered");
    }
    c.maxEntriesPerAppend = static_cast<int>(u64(j, "maxEntriesPerAppend", 1'000'000));
    if (c.maxEntriesPerAppend < 1) bad("maxEntriesPerAppend", "must be at least 1");
    c.checkQuorum = boolean(j, "checkQuorum");
    c.emptyHeartbeats = boolean(j, "emptyHeartbeats");
    c.preVote = j.contains("preVote") && boolean(j, "preVote");
    c.disregardVotesWithLeader =
        j.contains("disregardVotesWithLeader") && boolean(j, "disregardVotesWithLeader");
    return c;
}

Json encode(const raft::DurableState& d) {
    Json j{{"currentTerm", d.currentTerm}, {"votedFor", nodeJson(d.votedFor)}, {"log", entriesJson(d.log)}};
    if (!d.snapshot.empty()) j["snapshot"] = snapshotJson(d.snapshot);  // only when there is one
    return j;
}

raft::DurableState decodeDurable(const Json& j) {
    return raft::DurableState{.currentTerm = u64(j, "currentTerm"),
                              .votedFor = nodeOf(j, "votedFor"),
                              .log = entriesOf(j, "log"),
                              .snapshot = j.contains("snapshot") ? snapshotOf(field(j, "snapshot"))
                                                                 : raft::Snapshot{}};
}

Json encode(const raft::Input& input) {
    return std::visit(
        [](const auto& in) -> Json {
            using T = std::decay_t<decltype(in)>;
            if constexpr (std::is_same_v<T, raft::Start>) {
                return Json{{"type", "start"}};
            } else if constexpr (std::is_same_v<T, raft::Receive>) {
                return Json{{"type", "receive"}, {"message", messageJson(in.message)}};
            } else if constexpr (std::is_same_v<T, raft::Timeout>) {
                return Json{{"type", "timeout"}, {"timer", timerName(in.timer)}};
            } else if constexpr (std::is_same_v<T, raft::Propose>) {
                return Json{{"type", "propose"}, {"entries", entriesJson({&in.entry, 1})}};
            } else if constexpr (std::is_same_v<T, raft::ProposeBatch>) {
                return Json{{"type", "propose-batch"}, {"entries", entriesJson(in.entries)}};
            } else if constexpr (std::is_same_v<T, raft::TransferLeadership>) {
                return Json{{"type", "transfer-leadership"}, {"target", nodeJson(in.target)}};
            } else if constexpr (std::is_same_v<T, raft::Read>) {
                return Json{{"type", "read"}, {"clientId", in.clientId}, {"seq", in.seq}};
            } else if constexpr (std::is_same_v<T, raft::ChangeMembership>) {
                return Json{{"type", "change-membership"},
                            {"kind", raft::name(in.kind)},
                            {"node", nodeJson(in.node)}};
            } else if constexpr (std::is_same_v<T, raft::TakeSnapshot>) {
                return Json{{"type", "take-snapshot"}, {"index", in.index}, {"handle", in.handle}, {"hash", in.hash}};
            } else {
                static_assert(std::is_same_v<T, raft::Persisted>);
                return Json{{"type", "persisted"},
                            {"currentTerm", in.currentTerm},
                            {"lastIndex", in.lastIndex},
                            {"lastTerm", in.lastTerm}};
            }
        },
        input);
}

raft::Input decodeInput(const Json& j) {
    const std::string type = text(j, "type");
    if (type == "start") return raft::Start{};
    if (type == "receive") return raft::Receive{messageOf(field(j, "message"))};
    if (type == "timeout") return raft::Timeout{timerOf(j)};
    if (type == "propose") {
        std::vector<raft::Entry> entries = entriesOf(j, "entries");
        if (entries.size() != 1) bad("entries", "a propose carries one entry");
        return raft::Propose{entries[0]};
    }
    if (type == "propose-batch") return raft::ProposeBatch{entriesOf(j, "entries")};
    if (type == "transfer-leadership") return raft::TransferLeadership{nodeOf(j, "target")};
    if (type == "change-membership") return raft::ChangeMembership{changeKindOf(j), nodeOf(j, "node")};
    if (type == "read") {
        return raft::Read{static_cast<std::uint32_t>(u64(j, "clientId", UINT32_MAX)),
                          static_cast<std::uint32_t>(u64(j, "seq", UINT32_MAX))};
    }
    if (type == "persisted") {
        return raft::Persisted{u64(j, "currentTerm"), u64(j, "lastIndex"), u64(j, "lastTerm")};
    }
    if (type == "take-snapshot") return raft::TakeSnapshot{u64(j, "index"), u64(j, "handle"), u64(j, "hash")};
    bad("type", fmt::format("unknown input '{}'", type));
}

Json encode(const raft::Action& action) {
    return std::visit(
        [](const auto& a) -> Json {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, raft::PersistHardState>) {
                return Json{{"type", "persist-hard-state"},
                            {"currentTerm", a.currentTerm},
                            {"votedFor", nodeJson(a.votedFor)}};
            } else if constexpr (std::is_same_v<T, raft::PersistEntries>) {
                return Json{{"type", "persist-entries"},
                            {"firstIndex", a.firstIndex},
                            {"entries", entriesJson(a.entries)}};
            } else if constexpr (std::is_same_v<T, raft::Send>) {
                return Json{{"type", "send"}, {"message", messageJson(a.message)}};
            } else if constexpr (std::is_same_v<T, raft::Apply>) {
                return Json{{"type", "apply"}, {"firstIndex", a.firstIndex}, {"lastIndex", a.lastIndex}};
            } else if constexpr (std::is_same_v<T, raft::ArmTimer>) {
                return Json{{"type", "arm-timer"},
                            {"timer", timerName(a.timer)},
                            {"minUs", a.minUs},
                            {"maxUs", a.maxUs}};
            } else if constexpr (std::is_same_v<T, raft::CancelTimer>) {
                return Json{{"type", "cancel-timer"}, {"timer", timerName(a.timer)}};
            } else if constexpr (std::is_same_v<T, raft::TransferReply>) {
                return Json{{"type", "transfer-reply"},
                            {"accepted", a.accepted},
                            {"target", nodeJson(a.target)},
                            {"reason", raft::name(a.reason)}};
            } else if constexpr (std::is_same_v<T, raft::ChangeReply>) {
                return Json{{"type", "change-reply"},   {"accepted", a.accepted},
                            {"kind", raft::name(a.kind)}, {"node", nodeJson(a.node)},
                            {"index", a.index},           {"term", a.term},
                            {"leaderHint", nodeJson(a.leaderHint)},
                            {"reason", raft::name(a.reason)}};
            } else if constexpr (std::is_same_v<T, raft::ReadReply>) {
                return Json{{"type", "read-reply"},   {"accepted", a.accepted},
                            {"index", a.index},       {"leaderHint", nodeJson(a.leaderHint)},
                            {"clientId", a.clientId}, {"seq", a.seq}};
            } else if constexpr (std::is_same_v<T, raft::PersistSnapshot>) {
                return Json{{"type", "persist-snapshot"}, {"snapshot", snapshotJson(a.snapshot)}, {"keepLog", a.keepLog}};
            } else if constexpr (std::is_same_v<T, raft::RestoreSnapshot>) {
                return Json{{"type", "restore-snapshot"}, {"snapshot", snapshotJson(a.snapshot)}};
            } else {
                static_assert(std::is_same_v<T, raft::ProposeReply>);
                return Json{{"type", "propose-reply"},  {"accepted", a.accepted},
                            {"index", a.index},         {"term", a.term},
                            {"leaderHint", nodeJson(a.leaderHint)},
                            {"clientId", a.clientId},   {"seq", a.seq}};
            }
        },
        action);
}

raft::Action decodeAction(const Json& j) {
    const std::string type = text(j, "type");
    if (type == "persist-hard-state") {
        return raft::PersistHardState{u64(j, "currentTerm"), nodeOf(j, "votedFor")};
    }
    if (type == "persist-entries") {
        const raft::Index first = u64(j, "firstIndex");
        if (first < 1) bad("firstIndex", "must be at least 1");
        return raft::PersistEntries{first, entriesOf(j, "entries")};
    }
    if (type == "send") return raft::Send{messageOf(field(j, "message"))};
    if (type == "apply") {
        const raft::Apply a{u64(j, "firstIndex"), u64(j, "lastIndex")};
        if (a.firstIndex < 1 || a.lastIndex < a.firstIndex) bad("lastIndex", "an empty or inverted range");
        return a;
    }
    if (type == "arm-timer") {
        const raft::ArmTimer a{timerOf(j), i64(j, "minUs"), i64(j, "maxUs")};
        if (a.minUs < 1 || a.maxUs < a.minUs) bad("maxUs", "the range must be positive and ordered");
        return a;
    }
    if (type == "cancel-timer") return raft::CancelTimer{timerOf(j)};
    if (type == "propose-reply") {
        return raft::ProposeReply{.accepted = boolean(j, "accepted"),
                                  .index = u64(j, "index"),
                                  .term = u64(j, "term"),
                                  .leaderHint = nodeOf(j, "leaderHint"),
                                  .clientId = static_cast<std::uint32_t>(u64(j, "clientId", UINT32_MAX)),
                                  .seq = static_cast<std::uint32_t>(u64(j, "seq", UINT32_MAX))};
    }
    if (type == "transfer-reply") return transferReplyOf(j);
    if (type == "change-reply") return changeReplyOf(j);
    if (type == "persist-snapshot") {
        return raft::PersistSnapshot{snapshotOf(field(j, "snapshot")), boolean(j, "keepLog")};
    }
    if (type == "restore-snapshot") return raft::RestoreSnapshot{snapshotOf(field(j, "snapshot"))};
    if (type == "read-reply") {
        return raft::ReadReply{.accepted = boolean(j, "accepted"),
                               .index = u64(j, "index"),
                               .leaderHint = nodeOf(j, "leaderHint"),
                               .clientId = static_cast<std::uint32_t>(u64(j, "clientId", UINT32_MAX)),
                               .seq = static_cast<std::uint32_t>(u64(j, "seq", UINT32_MAX))};
    }
    bad("type", fmt::format("unknown action '{}'", type));
}

Json encode(const NodeView& v) {
    Json j{{"id", v.id},
                {"role", kRoles[static_cast<std::size_t>(v.role)]},
                {"currentTerm", v.currentTerm},
                {"votedFor", nodeJson(v.votedFor)},
                {"leaderId", nodeJson(v.leaderId)},
                {"commitIndex", v.commitIndex},
                {"lastIndex", v.lastIndex},
                {"lastTerm", v.lastTerm}};
    if (v.transferTarget != raft::kNoNode) j["transferTarget"] = v.transferTarget;  // only when set
    return j;
}

NodeView decodeView(const Json& j) {
    const std::string role = text(j, "role");
    const auto* it = std::find(kRoles.begin(), kRoles.end(), role);
    if (it == kRoles.end()) bad("role", "not follower, candidate, leader or pre-candidate");
    return NodeView{.id = static_cast<raft::NodeId>(u64(j, "id", raft::kMaxNodes - 1)),
                    .role = static_cast<raft::Role>(it - kRoles.begin()),
                    .currentTerm = u64(j, "currentTerm"),
                    .votedFor = nodeOf(j, "votedFor"),
                    .leaderId = nodeOf(j, "leaderId"),
                    .commitIndex = u64(j, "commitIndex"),
                    .lastIndex = u64(j, "lastIndex"),
                    .lastTerm = u64(j, "lastTerm"),
                    .transferTarget = j.contains("transferTarget") ? nodeOf(j, "transferTarget")
                                                                   : raft::kNoNode};
}

}  // namespace sim::process
