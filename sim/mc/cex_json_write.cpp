#include "sim/mc/cex_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "core/assert.hpp"
#include "sim/mc/cex_json_fields.hpp"

namespace mc {

using Json = TraceJson;
using namespace trace_fields;

namespace {

Json entryJson(const raft::Entry& e) {
    const bool command = e.kind == raft::EntryKind::Command;
    Json j{{"term", e.term}, {"kind", raft::name(e.kind)}};
    if (command || e.clientId != 0) j["clientId"] = e.clientId;
    if (command || e.seq != 0) j["seq"] = e.seq;
    if (command || e.data != 0) j["data"] = e.data;
    return j;
}

Json messageJson(const raft::Message& m) {
    Json j{{"kind", raft::name(m.kind)}, {"from", m.from}, {"to", m.to}, {"term", m.term}};
    if (ofKind(m.kind, "success") || m.success) j["success"] = m.success;
    for (const MsgField& f : kMsgFields) {
        if (f.key != "term" && (ofKind(m.kind, f.key) || m.*f.member != 0)) j[std::string(f.key)] = m.*f.member;
    }
    if (ofKind(m.kind, "entries") || !m.entries.empty()) {
        Json entries = Json::array();
        for (const raft::Entry& e : m.entries) entries.push_back(entryJson(e));
        j["entries"] = entries;
    }
    if (m.leadershipTransfer) j["leadershipTransfer"] = true;
    if (m.readRound != 0) j["readRound"] = m.readRound;
    if (m.snapshotVoters != 0) j["snapshotVoters"] = m.snapshotVoters;
    if (m.snapshotLearners != 0) j["snapshotLearners"] = m.snapshotLearners;
    return j;
}

Json nodeJson(const NodeRecord& n) {
    Json j = Json::object();
    if (n.down) j["down"] = true;
    j["role"] = raft::name(n.role);
    j["term"] = n.currentTerm;
    j["vote"] = n.votedFor == raft::kNoNode ? Json(nullptr) : Json(n.votedFor);
    j["commit"] = n.commitIndex;
    j["log"] = n.log;
    if (n.shown) {
        Json voters = Json::array();
        Json learners = Json::array();
        for (raft::NodeId id = 0; id < kMaxNodes; ++id) {
            if (raft::contains(n.voters, id)) voters.push_back(id);
            if (raft::contains(n.learners, id)) learners.push_back(id);
        }
        j["voters"] = voters;
        j["learners"] = learners;
        j["snapshot"] = Json::array({n.snapshotIndex, n.snapshotTerm});
    }
    return j;
}

// A guard: a field added to Bounds must be added to the model trace too (here, in
// boundsFrom in cex_json_read.cpp and in traces/FORMAT.md), or traces would not replay
// what they record. A bool may fit in padding: count them too.
static_assert(sizeof(Bounds) == 72, "Bounds changed: update the model trace format");
static_assert(sizeof(Bounds::drop) + sizeof(Bounds::duplicate) + sizeof(Bounds::symmetry) +
                      sizeof(Bounds::dropDead) + sizeof(Bounds::emptyHeartbeats) +
                      sizeof(Bounds::checkQuorum) + sizeof(Bounds::asyncWrites) +
                      sizeof(Bounds::preVote) + sizeof(Bounds::followerReads) + sizeof(Bounds::fifo) ==
                  10,
              "a bool was added to Bounds: update the model trace format");

Json boundsJson(const Bounds& b) {
    Json bugs = Json::array();
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (b.bugs.has(info.bug)) bugs.push_back(info.name);
    }
    Json j{{"nodes", b.nodes}, {"maxTerm", b.maxTerm}, {"maxLog", b.maxLog},
            {"maxCopies", b.maxCopies}, {"maxBatch", b.maxBatch}, {"maxCrashes", b.maxCrashes}, {"drop", b.drop},
            {"duplicate", b.duplicate}, {"values", b.values}, {"symmetry", b.symmetry},
            {"dropDead", b.dropDead}, {"bugs", bugs}};
    if (b.fifo) j["fifo"] = true;  // written only when on: older traces read back the same
    if (b.emptyHeartbeats) j["emptyHeartbeats"] = true;  // written only when on: older traces read back the same
    if (b.checkQuorum) j["checkQuorum"] = true;
    if (b.asyncWrites) j["asyncWrites"] = true;
    if (b.preVote) j["preVote"] = true;
    if (b.followerReads) j["followerReads"] = true;
    if (b.transfers > 0) j["transfers"] = b.transfers;
    if (b.reads > 0) j["reads"] = b.reads;
    if (b.spares > 0) j["spares"] = b.spares;
    if (b.configChanges > 0) j["configChanges"] = b.configChanges;
    if (b.snapshots > 0) j["snapshots"] = b.snapshots;
    return j;
}

Json verdictJson(const std::optional<TraceVerdict>& v) {
    if (!v) return nullptr;
    return {{"property", v->property}, {"event", v->step}, {"details", v->details}};
}

}  // namespace

Json toJson(const PathStep& step, std::size_t index, const StepRecord* record) {
    Json j{{"i", index}, {"k", name(step.event.kind)}, {"n", step.event.node}, {"text", step.text}};
    if (carriesMessage(step.event.kind)) j["msg"] = messageJson(step.message);
    if (step.event.kind == EventKind::Timeout) j["timer"] = timerName(step.event.timer);
    if (step.event.kind == EventKind::Transfer && step.event.value == raft::kNoNode) {
        j["value"] = nullptr;  // the most up to date
    } else if (carriesValue(step.event.kind)) {
        j["value"] = step.event.value;
    }
    if (record == nullptr) return j;
    Json nodes = Json::array();
    for (const NodeRecord& n : record->nodes) nodes.push_back(nodeJson(n));
    j["nodes"] = nodes;
    j["flight"] = record->inFlight;
    return j;
}

Json toJson(const ModelTrace& t) {
    RAFT_ASSERT(t.steps.size() == t.records.size(), "steps={} records={}", t.steps.size(), t.records.size());
    Json events = Json::array();
    for (std::size_t k = 0; k < t.steps.size(); ++k) {
        events.push_back(toJson(t.steps[k], k + 1, &t.records[k]));
        if (k < t.captions.size() && !t.captions[k].empty()) events.back()["caption"] = t.captions[k];
    }
    return Json{{"format", t.format},      {"engine", kEngine},
                {"producer", t.producer},  {"repro", t.repro},
                {"bounds", boundsJson(t.bounds)}, {"verdict", verdictJson(t.verdict)},
                {"events", events}};
}

Json toJson(const Bounds& bounds, const Counterexample& cex) { return toJson(record(bounds, cex)); }

}  // namespace mc
