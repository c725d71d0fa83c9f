#include "traces/json_read.hpp"

#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/implementations.hpp"
#include "sim/process/process_node.hpp"
#include "traces/files.hpp"
#include "traces/names.hpp"

namespace traces {

namespace {

using Json = nlohmann::json;

// Reads fields of one document, naming the file and the field's path in every error.
class Reader {
public:
    explicit Reader(const std::string& source) : source_(source) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw TraceError(fmt::format("{}: field '{}': {}", source_, path, what));
    }

    const Json& field(const Json& obj, const std::string& path, const char* key) const {
        const std::string at = join(path, key);
        if (!obj.is_object()) fail(path, "expected an object");
        const auto it = obj.find(key);
        if (it == obj.end()) fail(at, "missing");
        return *it;
    }
    std::uint64_t u64(const Json& v, const std::string& path,
                      std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const {
        if (!v.is_number_unsigned()) fail(path, fmt::format("expected an unsigned integer, got {}", v.type_name()));
        const auto x = v.get<std::uint64_t>();
        if (x > max) fail(path, fmt::format("{} is above the limit {}", x, max));
        return x;
    }
    std::int64_t i64(const Json& v, const std::string& path) const {
        if (!v.is_number_integer()) fail(path, fmt::format("expected an integer, got {}", v.type_name()));
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
            fail(path, "integer out of range");
        }
        return v.get<std::int64_t>();
    }
    bool boolean(const Json& v, const std::string& path) const {
        if (!v.is_boolean()) fail(path, fmt::format("expected true or false, got {}", v.type_name()));
        return v.get<bool>();
    }
    std::string str(const Json& v, const std::string& path) const {
        if (!v.is_string()) fail(path, fmt::format("expected a string, got {}", v.type_name()));
        return v.get<std::string>();
    }
    const Json& array(const Json& v, const std::string& path) const {
        if (!v.is_array()) fail(path, fmt::format("expected an array, got {}", v.type_name()));
        return v;
    }
    // Field shorthands.
    std::uint64_t u64(const Json& obj, const std::string& path, const char* key,
                      std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const {
        return u64(field(obj, path, key), join(path, key), max);
    }
    std::int64_t i64(const Json& obj, const std::string& path, const char* key) const {
        return i64(field(obj, path, key), join(path, key));
    }
    bool boolean(const Json& obj, const std::string& path, const char* key) const {
        return boolean(field(obj, path, key), join(path, key));
    }
    std::string str(const Json& obj, const std::string& path, const char* key) const {
        return str(field(obj, path, key), join(path, key));
    }
    template <typename E, typename Parse>
    E named(const Json& obj, const std::string& path, const char* key, Parse parse) const {
        const std::string text = str(obj, path, key);
        const std::optional<E> value = parse(text);
        if (!value) fail(join(path, key), fmt::format("unknown name '{}'", text));
        return *value;
    }

    static std::string join(const std::string& path, const char* key) {
        return path.empty() ? std::string(key) : path + "." + key;
    }
    static std::string at(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

private:
    const std::string& source_;
};

constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kMicrosMax = std::uint64_t{1} << 52;  // ~142 virtual years
// Limits on what a trace may ask of a run, so that any input replays in bounded time:
// timers faster than a millisecond make a run of nothing but timeouts, phases longer
// than the command line allows and event caps past ~8 CPU-minutes are not traces
// raftsim writes.
constexpr sim::Micros kTimerFloorUs = 1'000;
constexpr std::uint64_t kPhaseMaxUs = 1'000'000'000'000;  // 1e6 s, as --time
constexpr std::uint64_t kMaxEventsCap = std::uint64_t{1} << 32;

sim::Micros micros(const Reader& r, const Json& obj, const std::string& path, const char* key) {
    return static_cast<sim::Micros>(r.u64(obj, path, key, kMicrosMax));
}

void atLeast(const Reader& r, const std::string& path, sim::Micros value, sim::Micros floorUs) {
    if (value < floorUs) r.fail(path, fmt::format("{} is below the floor of {}us", value, floorUs));
}

sim::FaultConfig readFaultConfig(const Reader& r, const Json& j, const std::string& p) {
    sim::FaultConfig f;
    f.latencyMinUs = micros(r, j, p, "latencyMinUs");
    f.latencyMaxUs = micros(r, j, p, "latencyMaxUs");
    f.dropPpm = static_cast<std::uint32_t>(r.u64(j, p, "dropPpm", 1'000'000));
    f.duplicatePpm = static_cast<std::uint32_t>(r.u64(j, p, "duplicatePpm", 1'000'000));
    f.reorderPpm = static_cast<std::uint32_t>(r.u64(j, p, "reorderPpm", 1'000'000));
    f.reorderDelayMaxUs = micros(r, j, p, "reorderDelayMaxUs");
    f.diskLatencyMinUs = micros(r, j, p, "diskLatencyMinUs");
    f.diskLatencyMaxUs = micros(r, j, p, "diskLatencyMaxUs");
    f.nemesisKinds = static_cast<std::uint32_t>(
        r.u64(j, p, "nemesisKinds", (1u << static_cast<int>(sim::Nemesis::Count_)) - 1));
    f.nemesisIntervalUs = micros(r, j, p, "nemesisIntervalUs");
    f.faultDurationMaxUs = micros(r, j, p, "faultDurationMaxUs");
    f.driftMaxPercent = static_cast<std::uint32_t>(r.u64(j, p, "driftMaxPercent", 99));
    if (f.latencyMinUs > f.latencyMaxUs) r.fail(p + ".latencyMaxUs", "below latencyMinUs");
    if (f.diskLatencyMinUs > f.diskLatencyMaxUs) r.fail(p + ".diskLatencyMaxUs", "below diskLatencyMinUs");
    if (f.reorderDelayMaxUs < 1) r.fail(p + ".reorderDelayMaxUs", "must be at least 1");
    if (f.faultDurationMaxUs < 1) r.fail(p + ".faultDurationMaxUs", "must be at least 1");
    if (f.nemesisKinds != 0) atLeast(r, p + ".nemesisIntervalUs", f.nemesisIntervalUs, kTimerFloorUs);
    return f;
}

sim::WorkloadConfig readWorkload(const Reader& r, const Json& j, const std::string& p) {
    sim::WorkloadConfig w;
    w.clients = static_cast<int>(r.u64(j, p, "clients", 64));
    w.keys = static_cast<int>(r.u64(j, p, "keys", 256));
    w.thinkTimeMaxUs = micros(r, j, p, "thinkTimeMaxUs");
    w.requestTimeoutUs = micros(r, j, p, "requestTimeoutUs");
    if (w.keys < 1) r.fail(p + ".keys", "must be at least 1");
    if (w.thinkTimeMaxUs < 1) r.fail(p + ".thinkTimeMaxUs", "must be at least 1");
    atLeast(r, p + ".requestTimeoutUs", w.requestTimeoutUs, kTimerFloorUs);
    return w;
}

raft::BugSet readBugs(const Reader& r, const Json& obj, const std::string& p) {
    const std::string path = Reader::join(p, "bugs");
    const Json& list = r.array(r.field(obj, p, "bugs"), path);
    raft::BugSet bugs;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string text = r.str(list[i], Reader::at(path, i));
        const auto bug = raft::bugByName(text);
        if (!bug) r.fail(Reader::at(path, i), fmt::format("unknown bug '{}' (see `raftsim bugs`)", text));
        bugs.enable(*bug);
    }
    return bugs;
}

raft::DurableState readDisk(const Reader& r, const Json& j, const std::string& p, int nodes) {
    const Json& d = r.array(j, p);
    if (d.size() != 3) r.fail(p, "expected [term, vote, log]");
    raft::DurableState disk;
    disk.currentTerm = r.u64(d[0], Reader::at(p, 0), kU32);
    if (!d[1].is_null()) disk.votedFor = static_cast<raft::NodeId>(r.u64(d[1], Reader::at(p, 1), static_cast<std::uint64_t>(nodes - 1)));
    const std::string lp = Reader::at(p, 2);
    const Json& log = r.array(d[2], lp);
    for (std::size_t i = 0; i < log.size(); ++i) {
        const std::string ep = Reader::at(lp, i);
        const Json& e = r.array(log[i], ep);
        if (e.size() != 5) r.fail(ep, "expected [term, kind, clientId, seq, data]");
        const raft::Term term = r.u64(e[0], Reader::at(ep, 0), kU32);
        if (term > disk.currentTerm) r.fail(Reader::at(ep, 0), "an entry's term is above the disk's term");
        if (!disk.log.empty() && term < disk.log.back().term) r.fail(Reader::at(ep, 0), "terms decrease along the log");
        disk.log.push_back(raft::Entry{.term = term,
                                       .kind = static_cast<raft::EntryKind>(r.u64(e[1], Reader::at(ep, 1), static_cast<std::uint64_t>(raft::EntryKind::Configuration))),
                                       .clientId = static_cast<std::uint32_t>(r.u64(e[2], Reader::at(ep, 2), kU32)),
                                       .seq = static_cast<std::uint32_t>(r.u64(e[3], Reader::at(ep, 3), kU32)),
                                       .data = r.u64(e[4], Reader::at(ep, 4))});
    }
    return disk;
}

sim::SimOptions readOptions(const Reader& r, const Json& j, const std::string& p) {
    sim::SimOptions o;
    o.nodes = static_cast<int>(r.u64(j, p, "nodes", raft::kMaxNodes));
    if (o.nodes < 1) r.fail(p + ".nodes", "must be at least 1");
    o.safetyPhaseUs = static_cast<sim::Micros>(r.u64(j, p, "safetyPhaseUs", kPhaseMaxUs));
    o.livenessPhaseUs = static_cast<sim::Micros>(r.u64(j, p, "livenessPhaseUs", kPhaseMaxUs));
    o.electionTimeoutMinUs = micros(r, j, p, "electionTimeoutMinUs");
    o.electionTimeoutMaxUs = micros(r, j, p, "electionTimeoutMaxUs");
    o.heartbeatIntervalUs = micros(r, j, p, "heartbeatIntervalUs");
    atLeast(r, p + ".electionTimeoutMinUs", o.electionTimeoutMinUs, kTimerFloorUs);
    if (o.electionTimeoutMinUs > o.electionTimeoutMaxUs) r.fail(p + ".electionTimeoutMaxUs", "below electionTimeoutMinUs");
    atLeast(r, p + ".heartbeatIntervalUs", o.heartbeatIntervalUs, kTimerFloorUs);
    o.maxEvents = r.u64(j, p, "maxEvents", kMaxEventsCap);
    if (o.maxEvents < 1) r.fail(p + ".maxEvents", "must be at least 1");
    o.checkQuorum = r.boolean(j, p, "checkQuorum");
    o.maxEntriesPerAppend = static_cast<int>(r.u64(j, p, "maxEntriesPerAppend", 1'000'000));
    if (o.maxEntriesPerAppend < 1) r.fail(p + ".maxEntriesPerAppend", "must be at least 1");
    o.emptyHeartbeats = r.boolean(j, p, "emptyHeartbeats");
    o.bugs = readBugs(r, j, p);
    o.faults = readFaultConfig(r, r.field(j, p, "faults"), Reader::join(p, "faults"));
    o.workload = readWorkload(r, r.field(j, p, "workload"), Reader::join(p, "workload"));
    if (j.contains("initialDisks")) {
        const std::string dp = Reader::join(p, "initialDisks");
        const Json& disks = r.array(j["initialDisks"], dp);
        if (disks.size() != static_cast<std::size_t>(o.nodes)) r.fail(dp, fmt::format("{} disks for {} nodes", disks.size(), o.nodes));
        for (std::size_t i = 0; i < disks.size(); ++i) o.initialDisks.push_back(readDisk(r, disks[i], Reader::at(dp, i), o.nodes));
    }
    if (j.contains("preVote")) o.preVote = r.boolean(j, p, "preVote");
    if (j.contains("transfer")) o.transfer = r.boolean(j, p, "transfer");
    if (j.contains("membership")) o.membership = r.boolean(j, p, "membership");
    if (j.contains("sessions")) o.sessions = r.boolean(j, p, "sessions");
    if (j.contains("leaseDriftBoundPercent")) {
        o.leaseDriftBoundPercent = static_cast<int>(r.u64(j, p, "leaseDriftBoundPercent", 99));
    }
    if (j.contains("standingFault")) o.standingFault = r.boolean(j, p, "standingFault");
    if (j.contains("snapshotEvery")) {
        o.snapshotEvery = static_cast<std::uint32_t>(r.u64(j, p, "snapshotEvery", 1'000'000));
        if (o.snapshotEvery < 1) r.fail(p + ".snapshotEvery", "must be at least 1 (absent: no snapshots)");
    }
    if (j.contains("reads")) {
        const std::string reads = r.str(j, p, "reads");
        const auto parsed = sim::readsByName(reads);
        if (!parsed) r.fail(Reader::join(p, "reads"), fmt::format("unknown reads '{}' (log, index or follower)", reads));
        o.reads = *parsed;
    }
    if (j.contains("implementation")) {
        const std::string name = r.str(j, p, "implementation");
        o.implementation = sim::process::resolveImplementation(name);
        if (o.implementation == nullptr) {
            r.fail(Reader::join(p, "implementation"),
                   fmt::format("'{}' is not built into this raftsim (it has: {}, or "
                               "process:COMMAND)",
                               name, sim::implementationNames()));
        }
    }
    if (j.contains("checkLinearizability")) o.checkLinearizability = r.boolean(j, p, "checkLinearizability");
    return o;
}

sim::FaultStrike readStrike(const Reader& r, const Json& j, const std::string& p, int nodes) {
    sim::FaultStrike s;
    s.timeUs = micros(r, j, p, "t");
    s.kind = r.named<sim::Nemesis>(j, p, "kind", parseFault);
    const auto maxNode = static_cast<std::uint64_t>(nodes - 1);
    s.node = static_cast<raft::NodeId>(r.u64(j, p, "node", maxNode));
    s.peer = static_cast<raft::NodeId>(r.u64(j, p, "peer", maxNode));
    s.durationUs = micros(r, j, p, "duration");
    s.clockPercent = static_cast<std::int32_t>(r.u64(j, p, "clock", 1000));
    const std::string cutsPath = Reader::join(p, "cuts");
    const Json& cuts = r.array(r.field(j, p, "cuts"), cutsPath);
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        const std::string at = Reader::at(cutsPath, i);
        if (!cuts[i].is_array() || cuts[i].size() != 2) r.fail(at, "expected a pair [from, to]");
        s.cuts.push_back({static_cast<raft::NodeId>(r.u64(cuts[i][0], at + "[0]", maxNode)),
                          static_cast<raft::NodeId>(r.u64(cuts[i][1], at + "[1]", maxNode))});
    }
    return s;
}

sim::ClientStep readRequest(const Reader& r, const Json& j, const std::string& p, int clients) {
    sim::ClientStep s;
    if (clients == 0) r.fail(p, "a request, but the workload has no clients");
    s.client = static_cast<int>(r.u64(j, p, "client", static_cast<std::uint64_t>(clients - 1)));
    s.thinkUs = micros(r, j, p, "think");
    s.invoked = r.boolean(j, p, "invoked");
    s.command.op = r.named<sim::KvOp>(j, p, "op", parseKvOp);
    s.command.key = static_cast<std::uint8_t>(r.u64(j, p, "key", 255));
    s.command.value = static_cast<std::uint32_t>(r.u64(j, p, "value", sim::KvCommand::kValueMask));
    s.command.expected = static_cast<std::uint32_t>(r.u64(j, p, "expected", sim::KvCommand::kValueMask));
    return s;
}

sim::ChoiceTape readTape(const Reader& r, const Json& j, const std::string& p) {
    const Json& list = r.array(j, p);
    sim::ChoiceTape tape;
    tape.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) tape.push_back(r.u64(list[i], Reader::at(p, i)));
    return tape;
}

sim::Script readScript(const Reader& r, const Json& doc, const sim::SimOptions& o) {
    sim::Script s;
    const Json& sched = r.field(doc, "", "schedule");
    const Json& faults = r.array(r.field(sched, "schedule", "faults"), "schedule.faults");
    for (std::size_t i = 0; i < faults.size(); ++i) {
        const std::string at = Reader::at("schedule.faults", i);
        s.faults.push_back(readStrike(r, faults[i], at, sim::hostCount(o)));
        if (i > 0 && s.faults[i].timeUs < s.faults[i - 1].timeUs) r.fail(at + ".t", "earlier than the fault before it");
    }
    const Json& requests = r.array(r.field(sched, "schedule", "requests"), "schedule.requests");
    for (std::size_t i = 0; i < requests.size(); ++i) {
        s.requests.push_back(readRequest(r, requests[i], Reader::at("schedule.requests", i), o.workload.clients));
    }
    const Json& choices = r.field(doc, "", "choices");
    const int hosts = sim::hostCount(o);  // with membership changes, the spare hosts too
    s.tapes.resize(sim::Script::tapeCount(hosts));
    s.tapes[sim::kNetworkChoices] = readTape(r, r.field(choices, "choices", "network"), "choices.network");
    s.tapes[sim::kDiskChoices] = readTape(r, r.field(choices, "choices", "disk"), "choices.disk");
    s.tapes[sim::kClientChoices] = readTape(r, r.field(choices, "choices", "clients"), "choices.clients");
    const Json& timers = r.array(r.field(choices, "choices", "timers"), "choices.timers");
    if (timers.size() != static_cast<std::size_t>(hosts)) {
        r.fail("choices.timers", fmt::format("{} tapes for {} hosts", timers.size(), hosts));
    }
    for (std::size_t i = 0; i < timers.size(); ++i) {
        s.tapes[sim::kTimerChoices + i] = readTape(r, timers[i], Reader::at("choices.timers", i));
    }
    if (sim::transfersOn(o) && choices.contains("transfers")) {
        s.tapes.push_back(readTape(r, choices["transfers"], "choices.transfers"));
    } else if (sim::transfersOn(o) && sim::membershipOn(o)) {
        s.tapes.emplace_back();  // the membership tape keeps its place after the transfers'
    }
    if (sim::membershipOn(o) && choices.contains("membership")) {
        s.tapes.push_back(readTape(r, choices["membership"], "choices.membership"));
    }
    return s;
}

std::optional<sim::Violation> readVerdict(const Reader& r, const Json& doc) {
    const Json& j = r.field(doc, "", "verdict");
    if (j.is_null()) return std::nullopt;
    sim::Violation v;
    v.property = r.str(j, "verdict", "property");
    v.event = r.u64(j, "verdict", "event");
    v.timeUs = micros(r, j, "verdict", "timeUs");
    v.details = r.str(j, "verdict", "details");
    return v;
}

sim::EventRecord readEvent(const Reader& r, const Json& j, const std::string& p, int nodes) {
    sim::EventRecord e;
    e.index = r.u64(j, p, "i");
    e.timeUs = micros(r, j, p, "t");
    e.kind = r.named<sim::EventKind>(j, p, "k", parseEventKind);
    const auto maxNode = static_cast<std::uint64_t>(nodes - 1);
    if (j.contains("n")) e.node = static_cast<raft::NodeId>(r.u64(j, p, "n", maxNode));
    if (j.contains("ref")) e.ref = static_cast<std::uint32_t>(r.u64(j, p, "ref", kU32));
    if (j.contains("step")) e.stepped = r.boolean(j, p, "step");
    if (e.kind == sim::EventKind::Deliver) {
        e.msgKind = r.named<raft::MsgKind>(j, p, "msg", parseMsgKind);
        e.from = static_cast<raft::NodeId>(r.u64(j, p, "from", maxNode));
        e.msgTerm = r.u64(j, p, "mterm");
        e.sentEvent = r.u64(j, p, "sent");
    }
    if (e.kind == sim::EventKind::Nemesis) e.fault = r.named<sim::Nemesis>(j, p, "fault", parseFault);
    if (j.contains("role")) {
        e.up = true;
        e.role = r.named<raft::Role>(j, p, "role", parseRole);
        e.term = r.u64(j, p, "term");
        e.commitIndex = r.u64(j, p, "commit");
        e.lastIndex = r.u64(j, p, "last");
    }
    if (j.contains("snap")) e.snapshotTaken = r.u64(j, p, "snap");
    if (j.contains("install")) e.snapshotInstalled = r.u64(j, p, "install");
    return e;
}

bool needsNode(sim::EventKind kind) {
    using K = sim::EventKind;
    return kind == K::Deliver || kind == K::Timer || kind == K::DiskDone || kind == K::ClientArrive ||
           kind == K::Restart;
}

std::vector<sim::EventRecord> readEvents(const Reader& r, const Json& doc, int nodes) {
    const Json& list = r.array(r.field(doc, "", "events"), "events");
    std::vector<sim::EventRecord> events;
    events.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = Reader::at("events", i);
        events.push_back(readEvent(r, list[i], at, nodes));
        const sim::EventRecord& e = events.back();
        if (e.index != i + 1) r.fail(at + ".i", fmt::format("expected {}", i + 1));
        if (e.sentEvent >= e.index) r.fail(at + ".sent", fmt::format("{} is not an earlier event", e.sentEvent));
        // A cluster event (the liveness phase's restarts) may step nodes without naming one.
        if (e.node == raft::kNoNode && (e.up || needsNode(e.kind))) r.fail(at + ".n", "missing");
    }
    return events;
}

sim::Operation readWitnessOp(const Reader& r, const Json& j, const std::string& p, const Trace& t, std::uint8_t key) {
    sim::Operation op;
    const int clients = t.options.workload.clients;
    if (clients == 0) r.fail(p, "an operation, but the workload has no clients");
    op.client = static_cast<int>(r.u64(j, p, "client", static_cast<std::uint64_t>(clients - 1)));
    op.seq = static_cast<std::uint32_t>(r.u64(j, p, "seq", kU32));
    if (op.seq == 0) r.fail(Reader::join(p, "seq"), "must be at least 1");
    op.command.op = r.named<sim::KvOp>(j, p, "op", parseKvOp);
    op.command.key = key;
    op.command.value = static_cast<std::uint32_t>(r.u64(j, p, "value", sim::KvCommand::kValueMask));
    op.command.expected = static_cast<std::uint32_t>(r.u64(j, p, "expected", sim::KvCommand::kValueMask));
    op.outcome = r.named<sim::Outcome>(j, p, "outcome", parseOutcome);
    op.result = r.u64(j, p, "result");
    const std::uint64_t events = t.events.size();
    op.invokeEvent = r.u64(j, p, "invokeEvent", events);
    if (op.invokeEvent == 0) r.fail(Reader::join(p, "invokeEvent"), "must be at least 1");
    op.invokeUs = micros(r, j, p, "invokeUs");
    if (op.outcome == sim::Outcome::Pending) return op;
    op.completeEvent = r.u64(j, p, "completeEvent", events);
    if (op.completeEvent < op.invokeEvent) r.fail(Reader::join(p, "completeEvent"), "before invokeEvent");
    op.completeUs = micros(r, j, p, "completeUs");
    if (op.completeUs < op.invokeUs) r.fail(Reader::join(p, "completeUs"), "before invokeUs");
    return op;
}

// The optional `linearizability` section: only with a linearizability verdict, and read
// after the events, whose positions its operations name.
std::optional<sim::lin::KeyWitness> readWitness(const Reader& r, const Json& doc, const Trace& t) {
    if (!doc.contains("linearizability")) return std::nullopt;
    const std::string p = "linearizability";
    const Json& j = doc["linearizability"];
    if (!t.verdict || t.verdict->property != sim::name(sim::Property::Linearizability)) {
        r.fail(p, "recorded, but the verdict is not linearizability");
    }
    const std::string verdict = r.str(j, p, "verdict");
    if (verdict != sim::lin::name(sim::lin::Verdict::Violated)) {
        r.fail(Reader::join(p, "verdict"), fmt::format("'{}': only a violated check is recorded", verdict));
    }
    sim::lin::KeyWitness w;
    w.key = static_cast<std::uint8_t>(r.u64(j, p, "key", 255));
    w.keyOperations = r.u64(j, p, "keyOperations");
    w.witness.minimal = r.boolean(j, p, "minimal");
    const std::string wp = Reader::join(p, "witness");
    const Json& ops = r.array(r.field(j, p, "witness"), wp);
    if (ops.empty()) r.fail(wp, "empty: a witness has at least one operation");
    if (ops.size() > w.keyOperations) r.fail(wp, fmt::format("{} operations, more than keyOperations", ops.size()));
    for (std::size_t i = 0; i < ops.size(); ++i) w.witness.ops.push_back(readWitnessOp(r, ops[i], Reader::at(wp, i), t, w.key));
    return w;
}

Trace fromJson(const Reader& r, const Json& doc) {
    if (!doc.is_object()) r.fail("", "the document is not a JSON object");
    Trace t;
    const std::uint64_t format = r.u64(doc, "", "format");
    if (format != kFormatVersion && format != kFormatVersion2) {
        r.fail("format", fmt::format("version {} is not supported (this raftsim reads versions {} and {})", format,
                                     kFormatVersion, kFormatVersion2));
    }
    t.format = static_cast<int>(format);
    t.producer = r.str(doc, "", "producer");
    t.seed = r.u64(doc, "", "seed");
    t.repro = r.str(doc, "", "repro");
    t.options = readOptions(r, r.field(doc, "", "options"), "options");
    if (static_cast<int>(format) != formatVersion(t.options)) {
        r.fail("format", fmt::format("version {} for a run {} snapshots or membership changes: version {} is exactly "
                                     "the runs with log compaction (options.snapshotEvery) or membership changes "
                                     "(options.membership)",
                                     format, format == kFormatVersion ? "with" : "without", kFormatVersion2));
    }
    t.script = readScript(r, doc, t.options);
    t.verdict = readVerdict(r, doc);
    t.events = readEvents(r, doc, sim::hostCount(t.options));
    t.witness = readWitness(r, doc, t);
    return t;
}

// Where a parse stands ("options.faults.dropPpm", "events[3].t"), so that an error in
// a value names its field, and how deep it is: no trace nests deeper than a few levels,
// and a deeper document is refused before any code that walks it recursively sees it.
class ParsePath {
public:
    static constexpr std::size_t kMaxDepth = 64;

    // False: the document nests too deep.
    bool see(Json::parse_event_t event, const Json& parsed) {
        using E = Json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start:
                frames_.push_back(Frame{event == E::array_start, 0, {}});
                return frames_.size() <= kMaxDepth;
            case E::key:
                if (!frames_.empty() && parsed.is_string()) frames_.back().key = parsed.get<std::string>();
                return true;
            case E::object_end:
            case E::array_end:
                if (!frames_.empty()) frames_.pop_back();
                next();
                return true;
            case E::value: next(); return true;
        }
        return true;
    }

    std::string text() const {
        std::string out;
        for (const Frame& f : frames_) {
            if (f.array) {
                out += fmt::format("[{}]", f.index);
            } else {
                out += out.empty() ? f.key : "." + f.key;
            }
        }
        return out;
    }

private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;
        std::string key;
    };
    void next() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    }
    std::vector<Frame> frames_;
};

}  // namespace

std::string readText(const std::string& path) { return readTextFile(path); }

Json parseDocument(const std::string& text, const std::string& source) {
    ParsePath where;
    const Json::parser_callback_t track = [&where, &source](int, Json::parse_event_t event, Json& parsed) {
        if (!where.see(event, parsed)) {
            throw TraceError(fmt::format("{}: nested deeper than {} levels: not a trace", source, ParsePath::kMaxDepth));
        }
        return true;
    };
    try {
        return Json::parse(text, track);
    } catch (const Json::out_of_range& e) {  // a number literal beyond a double, such as 1e400
        throw TraceError(fmt::format("{}: field '{}': number out of range", source, where.text()));
    } catch (const Json::parse_error& e) {
        const bool truncated = e.byte >= text.size();
        throw TraceError(fmt::format("{}: not valid JSON at byte {}{}", source, e.byte,
                                     truncated ? " (the file ends early: truncated?)" : ""));
    }
}

Engine engineOf(const Json& doc, const std::string& source) {
    const Reader r(source);
    if (!doc.is_object()) r.fail("", "the document is not a JSON object");
    if (!doc.contains("engine")) return Engine::Simulator;
    const std::string engine = r.str(doc, "", "engine");
    if (engine == "simulator") return Engine::Simulator;
    if (engine == "model") return Engine::Model;
    r.fail("engine", fmt::format("unknown engine '{}' (simulator or model)", engine));
}

Trace traceFromJson(const Json& doc, const std::string& source) {
    if (engineOf(doc, source) == Engine::Model) {
        Reader(source).fail("engine", "a model-checker trace: this command reads simulator traces (raftsim replay reads both)");
    }
    return fromJson(Reader(source), doc);
}

Trace parseTrace(const std::string& text, const std::string& source) {
    return traceFromJson(parseDocument(text, source), source);
}

Trace readTrace(const std::string& path) { return parseTrace(readText(path), path); }

}  // namespace traces
