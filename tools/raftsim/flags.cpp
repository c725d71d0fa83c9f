#include "tools/raftsim/flags.hpp"

#include <fmt/format.h>

#include "sim/implementations.hpp"
#include "sim/process/process_node.hpp"
#include "sim/standing.hpp"
#include "tools/raftsim/parse.hpp"

namespace tools {

bool parseNodes(const std::string& text, int& lo, int& hi) {
    const auto number = [](std::string_view digits, int& out) {
        if (digits.size() != 1 || digits[0] < '1' || digits[0] > '9') return false;
        out = digits[0] - '0';
        return true;
    };
    const std::size_t dots = text.find("..");
    if (dots == std::string::npos) return number(text, lo) && number(text, hi);
    const std::string_view view(text);
    return number(view.substr(0, dots), lo) && number(view.substr(dots + 2), hi) && lo <= hi;
}

void SimFlags::add(CLI::App& app) {
    const CLI::Validator sizes(
        [](std::string& text) {
            int lo = 0, hi = 0;
            return parseNodes(text, lo, hi) ? std::string()
                                            : fmt::format("'{}' is not a size 1..9 or a range A..B of them", text);
        },
        "N|A..B");
    app.add_option("--nodes", nodes, "cluster size, or a range A..B from which each seed picks one")
        ->check(sizes);
    app.add_option("--time", timeS, "safety phase length, virtual (5s, 250ms, ...; a bare number is seconds)")
        ->transform(durationSeconds(0.001, 1e6));
    app.add_option("--liveness", livenessS, "liveness phase length, virtual (0: off; a bare number is seconds)")
        ->transform(durationSeconds(0.0, 1e6));
    app.add_option("--faults", faults, "fault selection: swarm (chosen by the seed), none, all")
        ->check(CLI::IsMember({"swarm", "none", "all"}));
    app.add_option("--drop", drop, "message loss probability (overrides the swarm)")
        ->check(finiteRange(0.0, 1.0));
    app.add_option("--duplicate", duplicate, "message duplication probability")
        ->check(finiteRange(0.0, 1.0));
    app.add_option("--reorder", reorder, "probability that a message is held back")
        ->check(finiteRange(0.0, 1.0));
    app.add_option("--drift", drift,
                   "clock drift: the nemesis makes a node's clock run at 100 +- PERCENT of real "
                   "time now and then (1..99), or never (0); overrides the swarm")
        ->check(CLI::Range(0, 99));
    app.add_option("--lease-drift-bound", leaseDriftBound,
                   "the clock drift in percent that lease reads allow for (thesis §6.4.1; "
                   "0..99); by default the drift nemesis's bound. Below it, clocks may drift "
                   "beyond what the leases assume, and lease-exclusive can break")
        ->check(CLI::Range(0, 99));
    app.add_option("--bug", bugs, "re-introduce a historical bug (see `raftsim bugs`)");
    app.add_option("--from-scenario", fromScenario,
                   "start from where a scenario leaves the disks (its size, bug switches and CheckQuorum too)")
        ->each([this](const std::string& file) {
            start = std::make_shared<const scenario::Start>(scenario::startOf(file));
        });
    preVoteOption = app.add_option("--pre-vote", preVote,
                   "PreVote (thesis §9.6): off, on, or swarm (each seed decides)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--transfer", transfer,
                   "leadership transfers (thesis §3.10) by an operator now and then: off, on, "
                   "or swarm (each seed decides)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--membership", membership,
                   "membership changes (thesis §4.1-§4.3): spare hosts start outside the cluster "
                   "and an operator asks the leader to add, promote, demote, remove and replace "
                   "servers now and then: off, on, or swarm (each seed decides)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--reads", reads,
                   "how clients' gets are served (thesis §6.4): log (as commands), index (the "
                   "leader's read index), follower (followers too, through the leader's read "
                   "index), lease (the leader on its lease, thesis §6.4.1, by read index "
                   "otherwise), or swarm (each seed decides)")
        ->check(CLI::IsMember({"log", "index", "follower", "lease", "swarm"}));
    app.add_option("--sessions", sessions,
                   "client sessions (thesis §6.3): clients register, number their commands and "
                   "retry one until it is answered, and the state machine answers a retry from "
                   "the session: off, on, or swarm (each seed decides)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--snapshots", snapshots,
                   "log compaction (thesis §5.1-§5.3): each node snapshots its state machine "
                   "every 32 applied entries and discards its log up to there; lagging followers "
                   "get InstallSnapshot: off, on, or swarm (each seed decides, and an interval "
                   "of 4..64 entries)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--standing-fault", standing,
                   "liveness under a standing partial fault: at the heal a minority stays deaf, "
                   "mute, partially cut, isolated or down while a majority stays connected, and "
                   "that majority must keep a leader that commits (gaps of at most 10 election "
                   "timeouts); turns PreVote and CheckQuorum on: off, on, or swarm (each seed "
                   "decides)")
        ->check(CLI::IsMember({"off", "on", "swarm"}));
    app.add_option("--impl", impl,
                   "the Raft under test: raftsim (its own core), canonical (canonical/raft, when "
                   "built with libraft-dev), or process:COMMAND (a node per process speaking "
                   "docs/ADAPTERS.md's protocol)")
        ->check(CLI::Validator(
            [](std::string& text) {
                if (sim::process::resolveImplementation(text) != nullptr) return std::string();
                if (text.starts_with("canonical") && sim::implementationByName("canonical") == nullptr) {
                    return fmt::format("'{}': this build lacks libraft-dev (canonical/raft), so it "
                                       "has no canonical adapter (tools/setup.sh installs it)",
                                       text);
                }
                return fmt::format("unknown implementation '{}' (this build has: {}, or "
                                   "process:COMMAND)",
                                   text, sim::implementationNames());
            },
            "NAME"));
    app.add_option("--clients", clients, "client processes")->check(CLI::Range(0, 64));
    app.add_option("--max-events", maxEvents, "stop a run after this many events (unfinished, exit 3)")
        ->check(unsignedInteger())
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 32));  // as a trace allows (FORMAT.md)
    app.add_flag("--no-lin", noLin,
                 "do not check the clients' history for linearizability (to measure what the check costs)");
}

namespace {

std::uint32_t ppm(double p) { return static_cast<std::uint32_t>(p * 1'000'000.0 + 0.5); }

}  // namespace

// The guarantee under a standing fault holds for a Raft with PreVote (§9.6: a node that
// never hears the leader cannot raise the term) and CheckQuorum (§6.2: a leader cut off
// from M steps down, so M's followers stop hearing it): both are turned on, and an
// explicit --pre-vote off is refused. (The vote guard of §4.2.3 is not needed on top.)
void SimFlags::applyStanding(std::uint64_t seed, sim::SimOptions& o) const {
    if (standing == "off") return;
    if (preVoteOption != nullptr && preVoteOption->count() > 0 && preVote == "off") {
        throw CLI::ValidationError("--standing-fault", fmt::format("--standing-fault {} needs PreVote (thesis "
                                                                   "§9.6), which --pre-vote off refuses",
                                                                   standing));
    }
    o.standingFault = standing == "on" || sim::swarmStanding(seed);
    if (!o.standingFault) return;
    o.preVote = true;
    o.checkQuorum = true;
}

sim::SimOptions SimFlags::optionsFor(std::uint64_t seed) const {
    sim::SimOptions o;
    int lo = 0, hi = 0;
    if (!parseNodes(nodes, lo, hi)) throw CLI::ValidationError("--nodes", fmt::format("bad size '{}'", nodes));
    o.nodes = sim::swarmNodes(seed, lo, hi);
    if (start) {
        o.nodes = start->nodes;
        o.initialDisks = start->disks;
        for (const raft::DurableState& disk : start->disks) {
            if (!disk.snapshot.empty()) {
                throw CLI::ValidationError("--from-scenario", fmt::format("{}: a disk holds a snapshot, whose state "
                                                                          "machine a scenario does not keep",
                                                                          fromScenario));
            }
        }
    }
    o.safetyPhaseUs = static_cast<sim::Micros>(timeS * 1e6);
    o.livenessPhaseUs = static_cast<sim::Micros>(livenessS * 1e6);
    o.workload.clients = clients;
    if (faults == "swarm") {
        o.faults = sim::swarmFaults(seed);
        sim::swarmCluster(seed, o);
    } else if (faults == "all") {
        o.faults = sim::swarmFaults(seed);
        sim::swarmCluster(seed, o);
        o.faults.dropPpm = 50'000;
        o.faults.duplicatePpm = 20'000;
        o.faults.reorderPpm = 50'000;
        for (int k = 0; k < static_cast<int>(sim::Nemesis::Count_); ++k) {
            o.faults.enable(static_cast<sim::Nemesis>(k));
        }
    }
    if (maxEvents > 0) o.maxEvents = maxEvents;
    o.checkLinearizability = !noLin;
    if (drop >= 0) o.faults.dropPpm = ppm(drop);
    if (duplicate >= 0) o.faults.duplicatePpm = ppm(duplicate);
    if (reorder >= 0) o.faults.reorderPpm = ppm(reorder);
    if (drift == 0) o.faults.nemesisKinds &= ~(1u << static_cast<int>(sim::Nemesis::Drift));
    if (drift > 0) {
        o.faults.enable(sim::Nemesis::Drift);
        o.faults.driftMaxPercent = static_cast<std::uint32_t>(drift);
    }
    o.leaseDriftBoundPercent = leaseDriftBound;
    for (const std::string& name : bugs) {
        const auto bug = raft::bugByName(name);
        if (!bug) throw CLI::ValidationError("--bug", fmt::format("unknown bug '{}' (see `raftsim bugs`)", name));
        o.bugs.enable(*bug);
    }
    o.preVote = preVote == "on" || (preVote == "swarm" && sim::swarmPreVote(seed));
    o.transfer = transfer == "on" || (transfer == "swarm" && sim::swarmTransfer(seed));
    o.reads = reads == "swarm" ? sim::swarmReads(seed) : *sim::readsByName(reads);
    // Sessions live in the clients and the state machine, so any Raft under test has them.
    o.sessions = sessions == "on" || (sessions == "swarm" && sim::swarmSessions(seed));
    o.snapshotEvery = snapshots == "on" ? sim::kSnapshotEvery : snapshots == "swarm" ? sim::swarmSnapshots(seed) : 0;
    o.membership = membership == "on" || (membership == "swarm" && sim::swarmMembership(seed));
    applyStanding(seed, o);
    if (impl != "raftsim") {
        if (snapshots != "off") {
            throw CLI::ValidationError("--snapshots", "log compaction is raftsim's core's so far; --impl " + impl +
                                                          " runs without it (--snapshots off)");
        }
        o.implementation = sim::process::resolveImplementation(impl);
        if (!o.bugs.empty()) {
            throw CLI::ValidationError("--bug", "bug switches are raftsim's core's; --impl " + impl +
                                                    " has none");
        }
        // Reads without the log are raftsim's core's so far; a swarm gives others the log.
        if (reads != "log" && reads != "swarm") {
            throw CLI::ValidationError("--reads", "reads without the log are raftsim's core's; --impl " +
                                                      impl + " serves gets through the log (--reads log)");
        }
        o.reads = sim::Reads::Log;
        if (membership != "off") {
            throw CLI::ValidationError("--membership", "membership changes are raftsim's core's; --impl " +
                                                           impl + " runs a fixed cluster (--membership off)");
        }
    }
    if (start) {
        o.checkQuorum = o.checkQuorum || start->checkQuorum;
        for (const raft::BugInfo& info : raft::bugCatalog()) {
            if (start->bugs.has(info.bug)) o.bugs.enable(info.bug);
        }
    }
    return o;
}

std::string SimFlags::repro() const {
    const SimFlags d;
    std::string out;
    if (nodes != d.nodes) out += fmt::format(" --nodes {}", nodes);
    if (timeS != d.timeS) out += fmt::format(" --time {}", timeS);
    if (livenessS != d.livenessS) out += fmt::format(" --liveness {}", livenessS);
    if (faults != d.faults) out += fmt::format(" --faults {}", faults);
    if (drop >= 0) out += fmt::format(" --drop {}", drop);
    if (duplicate >= 0) out += fmt::format(" --duplicate {}", duplicate);
    if (reorder >= 0) out += fmt::format(" --reorder {}", reorder);
    if (drift >= 0) out += fmt::format(" --drift {}", drift);
    if (leaseDriftBound >= 0) out += fmt::format(" --lease-drift-bound {}", leaseDriftBound);
    for (const std::string& b : bugs) out += fmt::format(" --bug {}", b);
    if (clients != d.clients) out += fmt::format(" --clients {}", clients);
    if (!fromScenario.empty()) out += fmt::format(" --from-scenario {}", fromScenario);
    if (maxEvents != d.maxEvents) out += fmt::format(" --max-events {}", maxEvents);
    if (preVote != d.preVote) out += fmt::format(" --pre-vote {}", preVote);
    if (transfer != d.transfer) out += fmt::format(" --transfer {}", transfer);
    if (reads != d.reads) out += fmt::format(" --reads {}", reads);
    if (sessions != d.sessions) out += fmt::format(" --sessions {}", sessions);
    if (snapshots != d.snapshots) out += fmt::format(" --snapshots {}", snapshots);
    if (membership != d.membership) out += fmt::format(" --membership {}", membership);
    if (standing != d.standing) out += fmt::format(" --standing-fault {}", standing);
    if (impl != d.impl) out += fmt::format(" --impl '{}'", impl);
    if (noLin) out += " --no-lin";
    return out;
}

}  // namespace tools
