#include "traces/json_write.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "sim/implementations.hpp"
#include "traces/files.hpp"
#include "traces/names.hpp"

namespace traces {

namespace {

Json bugsJson(const raft::BugSet& bugs) {
    Json out = Json::array();
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (bugs.has(info.bug)) out.push_back(info.name);
    }
    return out;
}

Json faultConfigJson(const sim::FaultConfig& f) {
    return Json{{"latencyMinUs", f.latencyMinUs},         {"latencyMaxUs", f.latencyMaxUs},
                {"dropPpm", f.dropPpm},                   {"duplicatePpm", f.duplicatePpm},
                {"reorderPpm", f.reorderPpm},             {"reorderDelayMaxUs", f.reorderDelayMaxUs},
                {"diskLatencyMinUs", f.diskLatencyMinUs}, {"diskLatencyMaxUs", f.diskLatencyMaxUs},
                {"nemesisKinds", f.nemesisKinds},         {"nemesisIntervalUs", f.nemesisIntervalUs},
                {"faultDurationMaxUs", f.faultDurationMaxUs}, {"driftMaxPercent", f.driftMaxPercent}};
}

// A guard: a field added to SimOptions must be added to the trace format too
// (here, json_read.cpp and FORMAT.md), or traces would not replay the runs they record.
static_assert(sizeof(sim::SimOptions) == 240 && sizeof(sim::SimOptions::reads) == 1 &&
                  sizeof(sim::SimOptions::sessions) == 1 && sizeof(sim::SimOptions::standingFault) == 1 &&
                  sizeof(sim::SimOptions::leaseDriftBoundPercent) == 4 &&
                  sizeof(sim::SimOptions::snapshotEvery) == 4,
              "SimOptions changed: update the trace format");

// A disk as [term, vote or null, [[term, kind, clientId, seq, data], ...]].
Json diskJson(const raft::DurableState& d) {
    Json log = Json::array();
    for (const raft::Entry& e : d.log) {
        log.push_back(Json::array({e.term, static_cast<int>(e.kind), e.clientId, e.seq, e.data}));
    }
    const Json vote = d.votedFor == raft::kNoNode ? Json(nullptr) : Json(d.votedFor);
    return Json::array({d.currentTerm, vote, log});
}

Json optionsJson(const sim::SimOptions& o) {
    const sim::WorkloadConfig& w = o.workload;
    Json j{{"nodes", o.nodes},
                {"safetyPhaseUs", o.safetyPhaseUs},
                {"livenessPhaseUs", o.livenessPhaseUs},
                {"electionTimeoutMinUs", o.electionTimeoutMinUs},
                {"electionTimeoutMaxUs", o.electionTimeoutMaxUs},
                {"heartbeatIntervalUs", o.heartbeatIntervalUs},
                {"maxEvents", o.maxEvents},
                {"checkQuorum", o.checkQuorum},
                {"maxEntriesPerAppend", o.maxEntriesPerAppend},
                {"emptyHeartbeats", o.emptyHeartbeats},
                {"bugs", bugsJson(o.bugs)},
                {"faults", faultConfigJson(o.faults)},
                {"workload", Json{{"clients", w.clients}, {"keys", w.keys},
                                  {"thinkTimeMaxUs", w.thinkTimeMaxUs},
                                  {"requestTimeoutUs", w.requestTimeoutUs}}}};
    if (!o.initialDisks.empty()) {  // written only when given: other traces read back the same
        Json disks = Json::array();
        for (const raft::DurableState& d : o.initialDisks) disks.push_back(diskJson(d));
        j["initialDisks"] = disks;
    }
    if (o.preVote) j["preVote"] = true;  // written only when on: other traces read back the same
    if (o.transfer) j["transfer"] = true;  // likewise (--transfer)
    if (o.reads != sim::Reads::Log) j["reads"] = sim::name(o.reads);  // likewise (--reads)
    if (o.sessions) j["sessions"] = true;  // likewise (--sessions)
    if (o.leaseDriftBoundPercent >= 0) j["leaseDriftBoundPercent"] = o.leaseDriftBoundPercent;  // likewise
    if (o.standingFault) j["standingFault"] = true;  // likewise (--standing-fault)
    if (o.snapshotEvery != 0) j["snapshotEvery"] = o.snapshotEvery;  // likewise (--snapshots; format 2)
    if (o.membership) j["membership"] = true;  // likewise (--membership; format version 2)
    // Written only for another Raft than raftsim's core: traces of the core stay as they were.
    if (o.implementation != nullptr && o.implementation != &sim::coreImplementation()) {
        j["implementation"] = sim::implementationName(o.implementation);
    }
    if (!o.checkLinearizability) j["checkLinearizability"] = false;  // only when off (--no-lin)
    return j;
}

Json strikeJson(const sim::FaultStrike& s) {
    Json cuts = Json::array();
    for (const auto& [from, to] : s.cuts) cuts.push_back(Json::array({from, to}));
    return Json{{"t", s.timeUs},        {"kind", faultName(s.kind)}, {"node", s.node},
                {"peer", s.peer},       {"duration", s.durationUs},  {"clock", s.clockPercent},
                {"cuts", cuts}};
}

Json requestJson(const sim::ClientStep& r) {
    return Json{{"client", r.client},       {"think", r.thinkUs},        {"invoked", r.invoked},
                {"op", name(r.command.op)}, {"key", r.command.key},      {"value", r.command.value},
                {"expected", r.command.expected}};
}

Json scheduleJson(const sim::Script& s) {
    Json faults = Json::array(), requests = Json::array();
    for (const sim::FaultStrike& f : s.faults) faults.push_back(strikeJson(f));
    for (const sim::ClientStep& r : s.requests) requests.push_back(requestJson(r));
    return Json{{"faults", faults}, {"requests", requests}};
}

Json choicesJson(const sim::Script& s, const sim::SimOptions& o) {
    auto tape = [&s](std::size_t i) { return i < s.tapes.size() ? Json(s.tapes[i]) : Json::array(); };
    const std::size_t hosts = sim::Script::tapeCount(sim::hostCount(o));  // spare hosts' timers too
    const std::size_t timersEnd = std::min(s.tapes.size(), hosts);
    Json timers = Json::array();
    for (std::size_t i = sim::kTimerChoices; i < timersEnd; ++i) timers.push_back(tape(i));
    Json j{{"network", tape(sim::kNetworkChoices)},
           {"disk", tape(sim::kDiskChoices)},
           {"clients", tape(sim::kClientChoices)},
           {"timers", timers}};
    // The operator's leadership transfers, only in runs with them (FORMAT.md).
    if (sim::transfersOn(o)) j["transfers"] = tape(hosts);
    // The operator's membership changes, only in runs with them (format version 2).
    if (sim::membershipOn(o)) j["membership"] = tape(hosts + (sim::transfersOn(o) ? 1 : 0));
    return j;
}

Json verdictJson(const std::optional<sim::Violation>& v) {
    if (!v) return nullptr;
    return Json{{"property", v->property}, {"event", v->event}, {"timeUs", v->timeUs},
                {"details", v->details}};
}

// Written only for a linearizability verdict: the traces of other runs read back as before.
Json witnessOpJson(const sim::Operation& op) {
    Json j{{"client", op.client},        {"seq", op.seq},
           {"op", name(op.command.op)},  {"value", op.command.value},
           {"expected", op.command.expected}, {"outcome", sim::name(op.outcome)},
           {"result", op.result},        {"invokeEvent", op.invokeEvent},
           {"invokeUs", op.invokeUs}};
    if (op.outcome != sim::Outcome::Pending) {
        j["completeEvent"] = op.completeEvent;
        j["completeUs"] = op.completeUs;
    }
    return j;
}

// Objects down to depth 1 are spread over lines; anything deeper is one line, and an
// array of objects or arrays puts one element on each line.
void layout(const Json& j, int depth, std::string& out) {
    const std::string pad(static_cast<std::size_t>(2 * depth + 2), ' ');
    const std::string closePad(static_cast<std::size_t>(2 * depth), ' ');
    const bool spreadObject = j.is_object() && depth <= 1 && !j.empty();
    const bool spreadArray = j.is_array() && !j.empty() && (j.front().is_object() || j.front().is_array());
    if (!spreadObject && !spreadArray) {
        out += j.dump();
        return;
    }
    out += spreadObject ? "{\n" : "[\n";
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
        out += first ? "" : ",\n";
        first = false;
        out += pad;
        if (spreadObject) {
            out += Json(it.key()).dump() + ": ";
            layout(it.value(), depth + 1, out);
        } else {
            out += it.value().dump();
        }
    }
    out += "\n" + closePad + (spreadObject ? "}" : "]");
}

}  // namespace

Json toJson(const sim::lin::KeyWitness& w) {
    Json ops = Json::array();
    for (const sim::Operation& op : w.witness.ops) ops.push_back(witnessOpJson(op));
    return Json{{"verdict", sim::lin::name(sim::lin::Verdict::Violated)},
                {"key", w.key},
                {"keyOperations", w.keyOperations},
                {"minimal", w.witness.minimal},
                {"witness", ops}};
}

Json toJson(const sim::EventRecord& e) {
    Json j{{"i", e.index}, {"t", e.timeUs}, {"k", name(e.kind)}};
    if (e.node != raft::kNoNode) j["n"] = e.node;
    if (e.ref != 0) j["ref"] = e.ref;
    if (e.stepped) j["step"] = true;
    if (e.kind == sim::EventKind::Deliver) {
        j["msg"] = raft::name(e.msgKind);
        j["from"] = e.from;
        j["mterm"] = e.msgTerm;
        j["sent"] = e.sentEvent;
    }
    if (e.kind == sim::EventKind::Nemesis) j["fault"] = faultName(e.fault);
    if (e.up) {
        j["role"] = raft::name(e.role);
        j["term"] = e.term;
        j["commit"] = e.commitIndex;
        j["last"] = e.lastIndex;
    }
    if (e.snapshotTaken != 0) j["snap"] = e.snapshotTaken;  // format 2 only (log compaction)
    if (e.snapshotInstalled != 0) j["install"] = e.snapshotInstalled;
    return j;
}

Json toJson(const Trace& t) {
    Json events = Json::array();
    for (const sim::EventRecord& e : t.events) events.push_back(toJson(e));
    Json j{{"format", std::max(t.format, formatVersion(t.options))},
           {"producer", t.producer},
           {"seed", t.seed},
           {"repro", t.repro},
           {"options", optionsJson(t.options)},
           {"schedule", scheduleJson(t.script)},
           {"choices", choicesJson(t.script, t.options)},
           {"verdict", verdictJson(t.verdict)}};
    if (t.witness) j["linearizability"] = toJson(*t.witness);  // only a linearizability verdict's
    j["events"] = std::move(events);
    return j;
}

std::string layoutText(const Json& doc) {
    std::string out;
    layout(doc, 0, out);
    out += '\n';
    return out;
}

std::string dump(const Trace& trace) { return layoutText(toJson(trace)); }

void writeTrace(const std::string& path, const Trace& trace) {
    writeTextFile(path, dump(trace));
}

}  // namespace traces
