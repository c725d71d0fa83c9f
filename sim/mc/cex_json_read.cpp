#include "sim/mc/cex_json.hpp"

#include <fmt/format.h>

#include <array>
#include <limits>
#include <string_view>

#include "core/assert.hpp"
#include "sim/mc/cex_json_fields.hpp"

namespace mc {

using Json = TraceJson;
using namespace trace_fields;

namespace {

// ---- reading: every error names the field's path ----

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    if (path.empty()) throw FormatError(what);
    throw FormatError(fmt::format("field '{}': {}", path, what));
}

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}
std::string at(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

const Json& field(const Json& obj, const std::string& path, std::string_view key) {
    if (!obj.is_object()) fail(path, fmt::format("expected an object, got {}", obj.type_name()));
    const auto it = obj.find(key);
    if (it == obj.end()) fail(join(path, key), "missing");
    return *it;
}

std::uint64_t u64(const Json& v, const std::string& path,
                  std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
    // A document built in memory holds signed integers where a parsed one holds unsigned.
    if (!v.is_number_integer()) fail(path, fmt::format("expected an unsigned integer, got {}", v.type_name()));
    if (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) fail(path, "expected an unsigned integer, got a negative one");
    const auto x = v.get<std::uint64_t>();
    if (x > max) fail(path, fmt::format("{} is above the limit {}", x, max));
    return x;
}
bool boolean(const Json& v, const std::string& path) {
    if (!v.is_boolean()) fail(path, fmt::format("expected true or false, got {}", v.type_name()));
    return v.get<bool>();
}
std::string str(const Json& v, const std::string& path) {
    if (!v.is_string()) fail(path, fmt::format("expected a string, got {}", v.type_name()));
    return v.get<std::string>();
}
const Json& array(const Json& v, const std::string& path) {
    if (!v.is_array()) fail(path, fmt::format("expected an array, got {}", v.type_name()));
    return v;
}
std::uint64_t u64(const Json& obj, const std::string& path, std::string_view key,
                  std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
    return u64(field(obj, path, key), join(path, key), max);
}
int smallInt(const Json& obj, const std::string& path, std::string_view key) {
    return static_cast<int>(u64(obj, path, key, 1000));
}
bool boolean(const Json& obj, const std::string& path, std::string_view key) {
    return boolean(field(obj, path, key), join(path, key));
}
std::string str(const Json& obj, const std::string& path, std::string_view key) {
    return str(field(obj, path, key), join(path, key));
}

// The enum value named `text` among 0..count-1, or a failure at `path`.
template <typename E, typename Namer>
E named(const std::string& text, const std::string& path, int count, Namer namer) {
    for (int v = 0; v < count; ++v) {
        if (namer(static_cast<E>(v)) == text) return static_cast<E>(v);
    }
    fail(path, fmt::format("unknown name '{}'", text));
}

raft::NodeId nodeId(const Json& obj, const std::string& path, std::string_view key, int nodes) {
    return static_cast<raft::NodeId>(u64(obj, path, key, static_cast<std::uint64_t>(nodes - 1)));
}

raft::Entry entryFrom(const Json& j, const std::string& p) {
    raft::Entry e;
    e.term = u64(j, p, "term");
    const std::string kind = str(j, p, "kind");
    if (kind != "noop" && kind != "command" && kind != "configuration") {
        fail(join(p, "kind"), fmt::format("unknown name '{}'", kind));
    }
    e.kind = kind == "noop" ? raft::EntryKind::Noop
             : kind == "command" ? raft::EntryKind::Command
                                 : raft::EntryKind::Configuration;
    const bool command = e.kind == raft::EntryKind::Command;
    constexpr std::uint64_t u32 = std::numeric_limits<std::uint32_t>::max();
    if (command || j.contains("clientId")) e.clientId = static_cast<std::uint32_t>(u64(j, p, "clientId", u32));
    if (command || j.contains("seq")) e.seq = static_cast<std::uint32_t>(u64(j, p, "seq", u32));
    if (command || j.contains("data")) e.data = u64(j, p, "data");
    return e;
}

raft::Message messageFrom(const Json& j, const std::string& p, int nodes) {
    raft::Message m;
    m.kind = named<raft::MsgKind>(str(j, p, "kind"), join(p, "kind"),
                                  static_cast<int>(raft::MsgKind::InstallSnapshot) + 1,
                                  [](raft::MsgKind k) { return raft::name(k); });
    m.from = nodeId(j, p, "from", nodes);
    m.to = nodeId(j, p, "to", nodes);
    for (const MsgField& f : kMsgFields) {
        if (ofKind(m.kind, f.key) || j.contains(f.key)) m.*f.member = u64(j, p, f.key);
    }
    if (ofKind(m.kind, "success") || j.contains("success")) m.success = boolean(j, p, "success");
    if (ofKind(m.kind, "entries") || j.contains("entries")) {
        const std::string ep = join(p, "entries");
        const Json& list = array(field(j, p, "entries"), ep);
        for (std::size_t i = 0; i < list.size(); ++i) m.entries.push_back(entryFrom(list[i], at(ep, i)));
    }
    if (j.contains("leadershipTransfer")) m.leadershipTransfer = boolean(j, p, "leadershipTransfer");
    if (j.contains("readRound")) {
        m.readRound = static_cast<std::uint32_t>(u64(j, p, "readRound", std::numeric_limits<std::uint32_t>::max()));
    }
    const auto allNodes = static_cast<std::uint64_t>((1u << kMaxNodes) - 1);
    if (j.contains("snapshotVoters")) m.snapshotVoters = static_cast<raft::NodeSet>(u64(j, p, "snapshotVoters", allNodes));
    if (j.contains("snapshotLearners")) {
        m.snapshotLearners = static_cast<raft::NodeSet>(u64(j, p, "snapshotLearners", allNodes));
    }
    return m;
}

// A membership change's value: its kind (one of four) above its server.
std::uint32_t changeFrom(const Json& j, const std::string& p, int nodes) {
    const auto value = static_cast<std::uint32_t>(u64(j, p, "value", 0x3FF));
    if (static_cast<int>(changeServerOf(value)) >= nodes) fail(join(p, "value"), "names no server of the bounds");
    return value;
}

PathStep stepFrom(const Json& j, const std::string& p, int nodes) {
    PathStep s;
    s.event.kind = named<EventKind>(str(j, p, "k"), join(p, "k"), static_cast<int>(EventKind::Snapshot) + 1,
                                    [](EventKind k) { return name(k); });
    s.event.node = nodeId(j, p, "n", nodes);
    s.text = str(j, p, "text");
    if (carriesMessage(s.event.kind)) {
        s.message = messageFrom(field(j, p, "msg"), join(p, "msg"), nodes);
        if (s.message.to != s.event.node) fail(join(p, "n"), "not the receiver of the message");
    }
    if (s.event.kind == EventKind::Timeout) {
        s.event.timer = named<raft::Timer>(str(j, p, "timer"), join(p, "timer"), 2, timerName);
    }
    if (s.event.kind == EventKind::Client) {
        s.event.value = static_cast<std::uint32_t>(u64(j, p, "value", kMaxValues));
    }
    if (s.event.kind == EventKind::Read) {
        s.event.value = static_cast<std::uint32_t>(u64(j, p, "value", kMaxReads));
    }
    if (s.event.kind == EventKind::Change) s.event.value = changeFrom(j, p, nodes);
    if (s.event.kind == EventKind::Snapshot) {
        s.event.value = static_cast<std::uint32_t>(u64(j, p, "value", kMaxLog));
    }
    if (s.event.kind == EventKind::Transfer) {
        const Json& target = field(j, p, "value");
        s.event.value = target.is_null() ? raft::kNoNode
                                         : static_cast<std::uint32_t>(nodeId(j, p, "value", nodes));
    }
    return s;
}

// A list of distinct server ids, as a set.
raft::NodeSet idSetFrom(const Json& j, const std::string& p, std::string_view key, int nodes) {
    const std::string lp = join(p, key);
    const Json& list = array(field(j, p, key), lp);
    raft::NodeSet set = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto id = static_cast<raft::NodeId>(u64(list[i], at(lp, i), static_cast<std::uint64_t>(nodes - 1)));
        if (raft::contains(set, id)) fail(at(lp, i), fmt::format("server {} twice", id));
        set = static_cast<raft::NodeSet>(set | raft::nodeBit(id));
    }
    return set;
}

NodeRecord nodeFrom(const Json& j, const std::string& p, int nodes) {
    NodeRecord n;
    if (j.contains("down")) n.down = boolean(j, p, "down");
    n.role = named<raft::Role>(str(j, p, "role"), join(p, "role"), 4, [](raft::Role r) { return raft::name(r); });
    n.currentTerm = u64(j, p, "term");
    const Json& vote = field(j, p, "vote");
    if (!vote.is_null()) n.votedFor = static_cast<raft::NodeId>(u64(vote, join(p, "vote"), static_cast<std::uint64_t>(nodes - 1)));
    n.commitIndex = u64(j, p, "commit");
    const std::string lp = join(p, "log");
    const Json& log = array(field(j, p, "log"), lp);
    for (std::size_t i = 0; i < log.size(); ++i) n.log.push_back(u64(log[i], at(lp, i)));
    if (j.contains("voters")) {
        n.shown = true;
        n.voters = idSetFrom(j, p, "voters", nodes);
        n.learners = idSetFrom(j, p, "learners", nodes);
        const std::string sp = join(p, "snapshot");
        const Json& snap = array(field(j, p, "snapshot"), sp);
        if (snap.size() != 2) fail(sp, "an [index, term] pair");
        n.snapshotIndex = u64(snap[0], at(sp, 0));
        n.snapshotTerm = u64(snap[1], at(sp, 1));
    }
    return n;
}

StepRecord recordFrom(const Json& j, const std::string& p, int nodes) {
    StepRecord r;
    const std::string np = join(p, "nodes");
    const Json& list = array(field(j, p, "nodes"), np);
    if (list.size() != static_cast<std::size_t>(nodes)) fail(np, fmt::format("{} nodes, the bounds have {}", list.size(), nodes));
    for (std::size_t i = 0; i < list.size(); ++i) r.nodes.push_back(nodeFrom(list[i], at(np, i), nodes));
    r.inFlight = static_cast<std::uint32_t>(u64(j, p, "flight", std::numeric_limits<std::uint32_t>::max()));
    return r;
}

Bounds boundsFrom(const Json& j, const std::string& p) {
    Bounds b;
    b.nodes = smallInt(j, p, "nodes");
    b.maxTerm = smallInt(j, p, "maxTerm");
    b.maxLog = smallInt(j, p, "maxLog");
    b.maxCopies = smallInt(j, p, "maxCopies");
    b.maxBatch = smallInt(j, p, "maxBatch");
    b.maxCrashes = smallInt(j, p, "maxCrashes");
    b.drop = boolean(j, p, "drop");
    b.duplicate = boolean(j, p, "duplicate");
    b.values = smallInt(j, p, "values");
    b.symmetry = boolean(j, p, "symmetry");
    b.dropDead = boolean(j, p, "dropDead");
    if (j.contains("fifo")) b.fifo = boolean(j, p, "fifo");
    if (j.contains("emptyHeartbeats")) b.emptyHeartbeats = boolean(j, p, "emptyHeartbeats");
    if (j.contains("checkQuorum")) b.checkQuorum = boolean(j, p, "checkQuorum");
    if (j.contains("preVote")) b.preVote = boolean(j, p, "preVote");
    if (j.contains("asyncWrites")) b.asyncWrites = boolean(j, p, "asyncWrites");
    if (j.contains("followerReads")) b.followerReads = boolean(j, p, "followerReads");
    if (j.contains("transfers")) b.transfers = smallInt(j, p, "transfers");
    if (j.contains("reads")) b.reads = smallInt(j, p, "reads");
    if (j.contains("spares")) b.spares = smallInt(j, p, "spares");
    if (j.contains("configChanges")) b.configChanges = smallInt(j, p, "configChanges");
    if (j.contains("snapshots")) b.snapshots = smallInt(j, p, "snapshots");
    const std::string bp = join(p, "bugs");
    const Json& bugs = array(field(j, p, "bugs"), bp);
    for (std::size_t i = 0; i < bugs.size(); ++i) {
        const std::string text = str(bugs[i], at(bp, i));
        const auto bug = raft::bugByName(text);
        if (!bug) fail(at(bp, i), fmt::format("unknown bug '{}' (see `raftsim bugs`)", text));
        b.bugs.enable(*bug);
    }
    if (const std::string why = b.validate(); !why.empty()) fail(p, why);
    return b;
}

std::optional<TraceVerdict> verdictFrom(const Json& doc, std::size_t steps) {
    const Json& j = field(doc, "", "verdict");
    if (j.is_null()) return std::nullopt;
    TraceVerdict v{str(j, "verdict", "property"), u64(j, "verdict", "event"), str(j, "verdict", "details")};
    if (v.step < 1 || v.step > steps) fail("verdict.event", fmt::format("no step {} among {}", v.step, steps));
    return v;
}

void readEvents(const Json& doc, ModelTrace& t) {
    const Json& list = array(field(doc, "", "events"), "events");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = at("events", i);
        if (u64(list[i], p, "i") != i + 1) fail(join(p, "i"), fmt::format("expected {}", i + 1));
        t.steps.push_back(stepFrom(list[i], p, t.bounds.servers()));
        t.records.push_back(recordFrom(list[i], p, t.bounds.servers()));
        if (list[i].contains("caption")) {
            t.captions.resize(i + 1);
            t.captions[i] = str(list[i], p, "caption");
        }
    }
}

}  // namespace

ModelTrace fromJson(const Json& doc) {
    if (!doc.is_object()) fail("", fmt::format("the document is not a JSON object, got {}", doc.type_name()));
    ModelTrace t;
    const std::uint64_t format = u64(doc, "", "format");
    if (format != kTraceFormat) {
        fail("format", fmt::format("version {} is not supported (this raftsim reads version {})", format, kTraceFormat));
    }
    if (const std::string engine = str(doc, "", "engine"); engine != kEngine) {
        fail("engine", fmt::format("'{}' is not a model-checker trace", engine));
    }
    t.producer = str(doc, "", "producer");
    t.repro = str(doc, "", "repro");
    t.bounds = boundsFrom(field(doc, "", "bounds"), "bounds");
    readEvents(doc, t);
    t.verdict = verdictFrom(doc, t.steps.size());
    return t;
}

ModelTrace fromJson(const nlohmann::json& j) { return fromJson(Json(j)); }

}  // namespace mc
