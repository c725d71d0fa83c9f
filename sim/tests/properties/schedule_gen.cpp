#include "sim/tests/properties/schedule_gen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace props {

using raft::NodeId;
using sim::FaultStrike;
using sim::Micros;
using sim::Nemesis;

namespace {

constexpr Micros kSafetyUs = 3'000'000;
constexpr int kClients = 3;

// Directed links between the two sides of `sideA` (a bit per node).
std::vector<std::array<NodeId, 2>> cutsBetween(unsigned sideA, int nodes) {
    std::vector<std::array<NodeId, 2>> cuts;
    for (NodeId a = 0; a < nodes; ++a) {
        for (NodeId b = 0; b < nodes; ++b) {
            if (((sideA >> a) & 1u) != ((sideA >> b) & 1u)) cuts.push_back({a, b});
        }
    }
    return cuts;
}

rc::Gen<NodeId> genNode(int nodes) {
    return rc::gen::cast<NodeId>(rc::gen::inRange(0, nodes));
}

// A partition (a random split), an isolated node, a drop burst (some links lose what
// they carry for a few ms), a clogged link, a crash with its restart, a pause or drift.
rc::Gen<FaultStrike> genStrike(int nodes) {
    return rc::gen::exec([nodes] {
        FaultStrike s;
        s.timeUs = *rc::gen::inRange<Micros>(0, kSafetyUs);
        s.kind = *rc::gen::element(Nemesis::Crash, Nemesis::Partition, Nemesis::IsolateOne,
                                   Nemesis::OneWay, Nemesis::Pause, Nemesis::Clog, Nemesis::Drift);
        s.node = *genNode(nodes);
        s.durationUs = *rc::gen::inRange<Micros>(1, 1'500'000);
        switch (s.kind) {
            case Nemesis::Partition:
                s.cuts = cutsBetween(*rc::gen::inRange(1u, (1u << nodes) - 1), nodes);
                break;
            case Nemesis::IsolateOne: s.cuts = cutsBetween(1u << s.node, nodes); break;
            case Nemesis::OneWay:  // a drop burst on a few links
                s.durationUs = *rc::gen::inRange<Micros>(1, 50'000);
                s.cuts = *rc::gen::container<std::vector<std::array<NodeId, 2>>>(
                    static_cast<std::size_t>(*rc::gen::inRange(1, 4)),
                    rc::gen::exec([nodes] { return std::array<NodeId, 2>{*genNode(nodes), *genNode(nodes)}; }));
                break;
            case Nemesis::Clog: s.peer = *genNode(nodes); break;
            case Nemesis::Drift: s.clockPercent = *rc::gen::inRange(50, 151); break;
            default: break;
        }
        return s;
    });
}

rc::Gen<sim::ClientStep> genRequest() {
    return rc::gen::exec([] {
        sim::ClientStep r{.client = *rc::gen::inRange(0, kClients),
                          .thinkUs = *rc::gen::inRange<Micros>(1, 300'000),
                          .invoked = true};
        r.command.op = *rc::gen::element(sim::KvOp::Put, sim::KvOp::Get, sim::KvOp::Cas);
        r.command.key = *rc::gen::inRange<std::uint8_t>(0, 3);
        r.command.value = *rc::gen::inRange<std::uint32_t>(0, 100);
        r.command.expected = *rc::gen::inRange<std::uint32_t>(0, 100);
        return r;
    });
}

// Lists shrink by losing elements; their length follows rapidcheck's size, capped here.
template <typename T>
std::vector<T> upTo(std::size_t n, std::vector<T> v) {
    if (v.size() > n) v.resize(n);
    return v;
}

}  // namespace

rc::Gen<Case> genCase(raft::BugSet bugs) {
    return rc::gen::exec([bugs] {
        Case c;
        sim::SimOptions& o = c.options;
        o.nodes = *rc::gen::element(3, 5);
        o.safetyPhaseUs = kSafetyUs;
        o.livenessPhaseUs = 0;  // safety only: a schedule may keep the cluster down
        o.maxEvents = 2'000'000;
        o.checkQuorum = *rc::gen::arbitrary<bool>();
        o.maxEntriesPerAppend = *rc::gen::element(64, 1, 2, 4);
        o.emptyHeartbeats = *rc::gen::arbitrary<bool>();
        o.bugs = bugs;
        o.workload.clients = kClients;
        o.faults.nemesisKinds = 0;  // the script strikes, not the nemesis
        c.script.faults = upTo(12, *rc::gen::container<std::vector<FaultStrike>>(genStrike(o.nodes)));
        std::sort(c.script.faults.begin(), c.script.faults.end(),
                  [](const FaultStrike& a, const FaultStrike& b) { return a.timeUs < b.timeUs; });
        c.script.requests = upTo(40, *rc::gen::container<std::vector<sim::ClientStep>>(genRequest()));
        c.script.tapes.resize(sim::Script::tapeCount(o.nodes));
        const auto span = static_cast<std::uint64_t>(o.electionTimeoutMaxUs - o.electionTimeoutMinUs);
        for (int i = 0; i < o.nodes; ++i) {
            // Each election timer's draw in [min, max]: past the tape's end it is min.
            c.script.tapes[sim::kTimerChoices + static_cast<std::size_t>(i)] =
                *rc::gen::container<std::vector<std::uint64_t>>(
                    24, rc::gen::inRange<std::uint64_t>(0, span + 1));
        }
        return c;
    });
}

std::optional<sim::Violation> runCase(const Case& c) {
    sim::World world(c.options, 0, sim::Tap{.replay = &c.script});
    return world.run().violation;
}

std::string describe(const Case& c) {
    const sim::SimOptions& o = c.options;
    std::string out = fmt::format(
        "cluster nodes={} checkQuorum={} batch<={} emptyHeartbeats={} safety={}ms, {} faults, {} requests\n",
        o.nodes, o.checkQuorum, o.maxEntriesPerAppend, o.emptyHeartbeats, o.safetyPhaseUs / 1000,
        c.script.faults.size(), c.script.requests.size());
    for (const FaultStrike& s : c.script.faults) {
        out += fmt::format("  at {:>7}us {:<11} node {} for {}us", s.timeUs, sim::name(s.kind),
                           s.node, s.durationUs);
        if (s.kind == Nemesis::Clog) out += fmt::format(" to node {}", s.peer);
        if (s.kind == Nemesis::Drift) out += fmt::format(" clock {}%", s.clockPercent);
        if (!s.cuts.empty()) {
            out += " cuts";
            for (const auto& [from, to] : s.cuts) out += fmt::format(" {}->{}", from, to);
        }
        out += "\n";
    }
    for (const sim::ClientStep& r : c.script.requests) {
        out += fmt::format("  client {} thinks {}us, then op {} key {}\n", r.client, r.thinkUs,
                           static_cast<int>(r.command.op), r.command.key);
    }
    return out;
}

void showValue(const Case& c, std::ostream& os) { os << describe(c); }

}  // namespace props
