#include "sim/mc/cex_json.hpp"

#include <stdexcept>

#include "sim/mc/model.hpp"

namespace mc {

using nlohmann::json;

namespace {

constexpr std::string_view kFormat = "raftsim-check-counterexample";
constexpr int kVersion = 1;

json entryJson(const raft::Entry& e) {
    return {{"term", e.term}, {"kind", e.kind == raft::EntryKind::Noop ? "noop" : "command"},
            {"clientId", e.clientId}, {"seq", e.seq}, {"data", e.data}};
}

raft::Entry entryFrom(const json& j) {
    return raft::Entry{.term = j.at("term").get<raft::Term>(),
                       .kind = j.at("kind") == "noop" ? raft::EntryKind::Noop : raft::EntryKind::Command,
                       .clientId = j.at("clientId").get<std::uint32_t>(),
                       .seq = j.at("seq").get<std::uint32_t>(),
                       .data = j.at("data").get<std::uint64_t>()};
}

json messageJson(const raft::Message& m) {
    json entries = json::array();
    for (const raft::Entry& e : m.entries) entries.push_back(entryJson(e));
    return {{"kind", raft::name(m.kind)}, {"from", m.from}, {"to", m.to}, {"term", m.term},
            {"lastLogIndex", m.lastLogIndex}, {"lastLogTerm", m.lastLogTerm},
            {"prevLogIndex", m.prevLogIndex}, {"prevLogTerm", m.prevLogTerm},
            {"leaderCommit", m.leaderCommit}, {"entries", entries}, {"success", m.success},
            {"matchIndex", m.matchIndex}, {"rejectedIndex", m.rejectedIndex},
            {"conflictIndex", m.conflictIndex}, {"conflictTerm", m.conflictTerm}};
}

raft::MsgKind msgKindFrom(const std::string& s) {
    for (const auto kind : {raft::MsgKind::RequestVote, raft::MsgKind::RequestVoteResponse,
                            raft::MsgKind::AppendEntries, raft::MsgKind::AppendEntriesResponse}) {
        if (raft::name(kind) == s) return kind;
    }
    throw std::runtime_error("unknown message kind " + s);
}

raft::Message messageFrom(const json& j) {
    raft::Message m;
    m.kind = msgKindFrom(j.at("kind").get<std::string>());
    m.from = j.at("from").get<raft::NodeId>();
    m.to = j.at("to").get<raft::NodeId>();
    m.term = j.at("term").get<raft::Term>();
    m.lastLogIndex = j.at("lastLogIndex").get<raft::Index>();
    m.lastLogTerm = j.at("lastLogTerm").get<raft::Term>();
    m.prevLogIndex = j.at("prevLogIndex").get<raft::Index>();
    m.prevLogTerm = j.at("prevLogTerm").get<raft::Term>();
    m.leaderCommit = j.at("leaderCommit").get<raft::Index>();
    for (const json& e : j.at("entries")) m.entries.push_back(entryFrom(e));
    m.success = j.at("success").get<bool>();
    m.matchIndex = j.at("matchIndex").get<raft::Index>();
    m.rejectedIndex = j.at("rejectedIndex").get<raft::Index>();
    m.conflictIndex = j.at("conflictIndex").get<raft::Index>();
    m.conflictTerm = j.at("conflictTerm").get<raft::Term>();
    return m;
}

bool carriesMessage(EventKind kind) {
    return kind == EventKind::Deliver || kind == EventKind::Drop || kind == EventKind::Duplicate;
}

json stepJson(const PathStep& s, std::size_t number) {
    json j = {{"step", number}, {"kind", name(s.event.kind)}, {"text", s.text}};
    if (carriesMessage(s.event.kind)) {
        j["message"] = messageJson(s.message);
        return j;
    }
    j["node"] = s.event.node;
    if (s.event.kind == EventKind::Timeout) {
        j["timer"] = s.event.timer == raft::Timer::Election ? "election" : "heartbeat";
    }
    if (s.event.kind == EventKind::Client) j["value"] = s.event.value;
    return j;
}

EventKind eventKindFrom(const std::string& s) {
    for (int k = 0; k <= static_cast<int>(EventKind::Client); ++k) {
        if (name(static_cast<EventKind>(k)) == s) return static_cast<EventKind>(k);
    }
    throw std::runtime_error("unknown event kind " + s);
}

PathStep stepFrom(const json& j) {
    PathStep s;
    s.event.kind = eventKindFrom(j.at("kind").get<std::string>());
    s.text = j.value("text", "");
    if (carriesMessage(s.event.kind)) {
        s.message = messageFrom(j.at("message"));
        s.event.node = s.message.to;
        return s;
    }
    s.event.node = j.at("node").get<raft::NodeId>();
    if (s.event.kind == EventKind::Timeout) {
        s.event.timer = j.at("timer") == "election" ? raft::Timer::Election : raft::Timer::Heartbeat;
    }
    if (s.event.kind == EventKind::Client) s.event.value = j.at("value").get<std::uint32_t>();
    return s;
}

json boundsJson(const Bounds& b) {
    json bugs = json::array();
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (b.bugs.has(info.bug)) bugs.push_back(info.name);
    }
    return {{"nodes", b.nodes}, {"maxTerm", b.maxTerm}, {"maxLog", b.maxLog},
            {"maxCopies", b.maxCopies}, {"maxCrashes", b.maxCrashes}, {"drop", b.drop},
            {"duplicate", b.duplicate}, {"values", b.values}, {"symmetry", b.symmetry},
            {"dropDead", b.dropDead},
            {"bugs", bugs}};
}

Bounds boundsFrom(const json& j) {
    Bounds b;
    b.nodes = j.at("nodes").get<int>();
    b.maxTerm = j.at("maxTerm").get<int>();
    b.maxLog = j.at("maxLog").get<int>();
    b.maxCopies = j.at("maxCopies").get<int>();
    b.maxCrashes = j.at("maxCrashes").get<int>();
    b.drop = j.at("drop").get<bool>();
    b.duplicate = j.at("duplicate").get<bool>();
    b.values = j.at("values").get<int>();
    b.symmetry = j.at("symmetry").get<bool>();
    b.dropDead = j.at("dropDead").get<bool>();
    for (const json& name : j.at("bugs")) {
        const auto bug = raft::bugByName(name.get<std::string>());
        if (!bug) throw std::runtime_error("unknown bug " + name.get<std::string>());
        b.bugs.enable(*bug);
    }
    if (const std::string why = b.validate(); !why.empty()) throw std::runtime_error(why);
    return b;
}

// The event of `step` among those enabled in `s`, or throws.
Event findEnabled(const Model& model, const State& s, const PathStep& step, std::size_t number) {
    std::vector<Event> events;
    model.enabled(s, events);
    for (const Event& e : events) {
        if (e.kind != step.event.kind || e.node != step.event.node) continue;
        if (carriesMessage(e.kind) && !(model.message(e.msg) == step.message)) continue;
        if (e.kind == EventKind::Timeout && e.timer != step.event.timer) continue;
        if (e.kind == EventKind::Client && e.value != step.event.value) continue;
        return e;
    }
    throw std::runtime_error("step " + std::to_string(number) + " (" + step.text +
                             ") is not enabled");
}

}  // namespace

json toJson(const Bounds& bounds, const Counterexample& cex) {
    json events = json::array();
    for (std::size_t k = 0; k < cex.steps.size(); ++k) events.push_back(stepJson(cex.steps[k], k + 1));
    return {{"format", kFormat}, {"version", kVersion}, {"producer", "raftsim 0.1.0"},
            {"bounds", boundsJson(bounds)},
            {"violation", {{"property", cex.violation.property}, {"details", cex.violation.details},
                           {"step", cex.steps.size()}}},
            {"events", events}};
}

LoadedPath fromJson(const json& j) {
    if (j.at("format") != kFormat) throw std::runtime_error("not a raftsim check counterexample");
    if (j.at("version").get<int>() != kVersion) throw std::runtime_error("unsupported version");
    LoadedPath path{boundsFrom(j.at("bounds")), j.at("violation").at("property").get<std::string>(), {}};
    for (const json& e : j.at("events")) path.steps.push_back(stepFrom(e));
    return path;
}

std::optional<McViolation> replayPath(const LoadedPath& path) {
    Model model(path.bounds);
    State s = model.initial();
    State next;
    for (std::size_t k = 0; k < path.steps.size(); ++k) {
        const Event e = findEnabled(model, s, path.steps[k], k + 1);
        const StepResult r = model.step(s, e, next);
        if (!r.inBounds) throw std::runtime_error("step " + std::to_string(k + 1) + " leaves the bounds");
        if (r.violation) return r.violation;
        s = next;
    }
    return std::nullopt;
}

}  // namespace mc
