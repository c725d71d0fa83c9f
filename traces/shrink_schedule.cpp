// Shrinking the schedule and the shape of a run: nodes, faults, client requests, phases.
#include <array>
#include <map>
#include <optional>
#include <set>

#include "traces/shrink_impl.hpp"

namespace traces::detail {

namespace {

// Where host `id` of a run with `from`'s hosts goes in one with `to`'s fewer nodes: the
// first `to.nodes` keep their ids, the spare hosts of membership changes move down with
// the cluster (they stay spares), and the nodes in between are gone.
std::optional<raft::NodeId> movedHost(raft::NodeId id, const sim::SimOptions& from, const sim::SimOptions& to) {
    if (id < to.nodes) return id;
    if (id < from.nodes) return std::nullopt;
    const int moved = to.nodes + (id - from.nodes);
    if (moved >= sim::hostCount(to)) return std::nullopt;
    return static_cast<raft::NodeId>(moved);
}

// `script` with the faults and tapes of the hosts that are gone taken out and the
// spare hosts' moved down; the operator's tapes (transfers, membership) after the
// timers' move with them.
sim::Script withFewerNodes(const sim::Script& script, const sim::SimOptions& from, const sim::SimOptions& to) {
    sim::Script out = script;
    const auto move = [&](raft::NodeId& id) {
        const auto moved = movedHost(id, from, to);
        if (moved) id = *moved;
        return !moved.has_value();
    };
    std::erase_if(out.faults, [&](sim::FaultStrike& s) {
        const bool nodeGone = move(s.node);
        const bool peerGone = move(s.peer);
        return nodeGone || peerGone;
    });
    for (sim::FaultStrike& s : out.faults) {
        std::erase_if(s.cuts, [&](auto& cut) {
            const bool fromGone = move(cut[0]);
            const bool toGone = move(cut[1]);
            return fromGone || toGone;
        });
    }
    const std::size_t oldTimersEnd = sim::Script::tapeCount(sim::hostCount(from));
    const std::size_t newTimersEnd = sim::Script::tapeCount(sim::hostCount(to));
    out.tapes.assign(newTimersEnd, {});
    for (std::size_t t = 0; t < sim::kTimerChoices && t < script.tapes.size(); ++t) out.tapes[t] = script.tapes[t];
    for (int id = 0; id < sim::hostCount(from); ++id) {
        const std::size_t tape = sim::kTimerChoices + static_cast<std::size_t>(id);
        const auto moved = movedHost(static_cast<raft::NodeId>(id), from, to);
        if (moved && tape < script.tapes.size()) out.tapes[sim::kTimerChoices + *moved] = script.tapes[tape];
    }
    for (std::size_t t = oldTimersEnd; t < script.tapes.size(); ++t) out.tapes.push_back(script.tapes[t]);
    return out;
}

}  // namespace

// A smaller cluster: faults on the nodes that are gone go too, and spare hosts keep
// their tapes under their new ids. Fewer nodes send fewer messages, which shifts the
// network and disk tapes; so each size is also tried with those tapes empty (every
// message and write as fast as it can be), but for the classic strategy.
bool Shrinker::fewerNodes() {
    if (!best().options.initialDisks.empty()) return false;  // each node has its given disk
    for (int n = 1; n < best().options.nodes && !exhausted(); ++n) {
        sim::SimOptions options = best().options;
        options.nodes = n;
        sim::Script candidate = withFewerNodes(script(), best().options, options);
        if (attempt(options, candidate)) return true;
        if (strategy_ == kClassic) continue;
        candidate.tapes[sim::kNetworkChoices].clear();
        candidate.tapes[sim::kDiskChoices].clear();
        if (attempt(options, candidate)) return true;
    }
    return false;
}

bool Shrinker::deleteFaults() {
    return deleteChunks([](auto& s) -> auto& { return s.faults; });
}

bool Shrinker::fewerCuts() {
    bool any = false;
    for (std::size_t f = 0; f < script().faults.size() && !exhausted(); ++f) {
        if (script().faults[f].cuts.size() < 2) continue;
        any |= deleteChunks([f](auto& s) -> auto& { return s.faults[std::min(f, s.faults.size() - 1)].cuts; });
    }
    return any;
}

// Moves each fault (with all later ones) as early as it can go.
bool Shrinker::earlierFaults() {
    bool any = false;
    for (std::size_t k = 0; k < script().faults.size() && !exhausted(); ++k) {
        const sim::Micros previous = k > 0 ? script().faults[k - 1].timeUs : 0;
        const sim::Micros gap = script().faults[k].timeUs - previous;
        for (sim::Micros shift = gap; shift >= 1'000 && !exhausted(); shift /= 2) {
            sim::Script candidate = script();
            for (std::size_t j = k; j < candidate.faults.size(); ++j) candidate.faults[j].timeUs -= shift;
            if (attempt(candidate)) {
                any = true;
                break;
            }
        }
    }
    return any;
}

// Deletes requests as they stand: the client tape is left as it is, so later requests
// may draw what the deleted ones drew.
bool Shrinker::deleteRequests() {
    return deleteChunks([](auto& s) -> auto& { return s.requests; });
}

// Deletes requests together with the client choices they drew, and lets each client's
// next request start when it started before, so the rest of the run stays as it was.
bool Shrinker::deleteOwnRequests() {
    return chunks([this] { return script().requests.size(); },
                  [this](std::size_t begin, std::size_t end) { return withoutRequests(begin, end); });
}

namespace {

std::vector<RequestId> requestIds(const std::vector<sim::ClientStep>& requests) {
    std::map<int, std::uint32_t> seen;
    std::vector<RequestId> ids;
    for (const sim::ClientStep& r : requests) ids.emplace_back(r.client, ++seen[r.client]);
    return ids;
}

// When each operation ended; absent: it never did.
std::map<RequestId, sim::Micros> endTimes(const std::vector<sim::Operation>& history) {
    std::map<RequestId, sim::Micros> ends;
    for (const sim::Operation& op : history) {
        if (op.outcome != sim::Outcome::Pending) ends[{op.client, op.seq}] = op.completeUs;
    }
    return ends;
}

}  // namespace

std::optional<sim::Script> Shrinker::withoutRequests(std::size_t begin, std::size_t end) const {
    const sim::ChoiceTape& clientTape = script().tapes[sim::kClientChoices];
    if (best_.clientDraws.size() != clientTape.size()) return std::nullopt;
    const std::vector<RequestId> ids = requestIds(script().requests);
    const std::set<RequestId> gone(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                   ids.begin() + static_cast<std::ptrdiff_t>(end));
    const std::map<RequestId, sim::Micros> ends = endTimes(best_.history);
    sim::Script s = script();
    s.requests.clear();
    std::map<int, sim::Micros> lastEnd;  // per client: when its last kept request ended
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto [client, seq] = ids[i];
        if (gone.contains(ids[i])) continue;
        sim::ClientStep step = script().requests[i];
        const auto previous = ends.find({client, seq - 1});
        if (gone.contains({client, seq - 1}) && previous != ends.end()) {
            step.thinkUs = std::max<sim::Micros>(1, previous->second + step.thinkUs - lastEnd[client]);
        }
        if (const auto it = ends.find(ids[i]); it != ends.end()) lastEnd[client] = it->second;
        s.requests.push_back(step);
    }
    sim::ChoiceTape& tape = s.tapes[sim::kClientChoices];
    tape.clear();
    for (std::size_t p = 0; p < clientTape.size(); ++p) {
        if (!gone.contains({best_.clientDraws[p].client, best_.clientDraws[p].seq})) tape.push_back(clientTape[p]);
    }
    return s;
}

// Requests invoked at once, or much later (when fewer events happen before them).
bool Shrinker::simplerThinks() {
    const auto size = [this] { return script().requests.size(); };
    const auto scaled = [this](sim::Micros factor) {
        return [this, factor](std::size_t begin, std::size_t end) {
            sim::Script candidate = script();
            bool changed = false;
            for (std::size_t i = begin; i < end && i < candidate.requests.size(); ++i) {
                sim::Micros& think = candidate.requests[i].thinkUs;
                const sim::Micros next = factor == 0 ? 1 : std::min(think * factor, best().options.safetyPhaseUs);
                changed |= next != think;
                think = next;
            }
            return changed ? std::optional<sim::Script>(std::move(candidate)) : std::nullopt;
        };
    };
    bool any = chunks(size, scaled(0), size() / 16);
    any |= chunks(size, scaled(4), size() / 16);
    return any;
}

namespace {

// When a node became leader of a new term.
std::vector<sim::Micros> leaderTimes(const std::vector<sim::EventRecord>& events) {
    std::vector<sim::Micros> times;
    raft::Term term = 0;
    for (const sim::EventRecord& e : events) {
        if (!e.up || e.role != raft::Role::Leader || e.term <= term) continue;
        term = e.term;
        times.push_back(e.timeUs);
    }
    return times;
}

// How much later request `op` could be invoked so that it no longer bounces: its
// first arrival moved to when it first reached a leader, and its invocation moved to
// when the next leader was elected. 0: no such moment.
std::array<sim::Micros, 2> thinkShifts(const sim::Operation& op, const std::vector<sim::EventRecord>& events) {
    std::array<sim::Micros, 2> shifts{};
    std::optional<sim::Micros> first;
    for (const sim::EventRecord& e : events) {
        if (e.kind != sim::EventKind::ClientArrive || e.ref != static_cast<std::uint32_t>(op.client) ||
            e.timeUs < op.invokeUs) {
            continue;
        }
        if (!first) first = e.timeUs;
        if (e.up && e.role == raft::Role::Leader) {
            shifts[0] = e.timeUs - *first;
            break;
        }
    }
    const std::vector<sim::Micros> leaders = leaderTimes(events);
    const auto next = std::upper_bound(leaders.begin(), leaders.end(), op.invokeUs);
    if (next != leaders.end()) shifts[1] = *next - op.invokeUs;
    return shifts;
}

}  // namespace

// A request invoked before there is a leader bounces between nodes; each is tried
// invoked later (thinkShifts), with the choices its retries drew gone. Long schedules
// skip this.
bool Shrinker::thinksUntilLeader() {
    if (script().requests.size() > kManyRequests) return false;
    bool any = false;
    for (std::size_t i = script().requests.size(); i-- > 0 && !exhausted();) {
        if (i >= script().requests.size()) continue;
        const std::vector<RequestId> ids = requestIds(script().requests);
        const auto op = std::find_if(best_.history.begin(), best_.history.end(), [&](const sim::Operation& o) {
            return RequestId{o.client, o.seq} == ids[i];
        });
        if (op == best_.history.end()) continue;
        for (const sim::Micros shift : thinkShifts(*op, best().events)) {
            if (shift == 0) continue;
            sim::Script candidate = script();
            candidate.requests[i].thinkUs += shift;
            if (attempt(withLastDraws(candidate, ids[i], 1)) || attempt(withLastDraws(candidate, ids[i], 2)) ||
                attempt(candidate)) {
                any = true;
                break;
            }
        }
    }
    return any;
}

// `s` with only the last `keep` client choices that request `id` drew: invoked later,
// it no longer bounces between nodes, so the retries it drew for are gone.
std::optional<sim::Script> Shrinker::withLastDraws(sim::Script s, RequestId id, std::size_t keep) const {
    const sim::ChoiceTape& tape = script().tapes[sim::kClientChoices];
    if (best_.clientDraws.size() != tape.size()) return std::nullopt;
    const auto ours = [id](const sim::ClientDraw& d) { return RequestId{d.client, d.seq} == id; };
    const auto drawn = static_cast<std::size_t>(std::count_if(best_.clientDraws.begin(), best_.clientDraws.end(), ours));
    if (drawn <= keep) return std::nullopt;
    std::size_t skip = drawn - keep;
    sim::ChoiceTape& out = s.tapes[sim::kClientChoices];
    out.clear();
    for (std::size_t p = 0; p < tape.size(); ++p) {
        if (skip > 0 && ours(best_.clientDraws[p])) {
            --skip;
            continue;
        }
        out.push_back(tape[p]);
    }
    return s;
}

// The shortest liveness phase a shrunk trace may have, in shortest election timeouts.
// The phase is part of the liveness property: shorter than a correct cluster may need to
// elect and commit, a shrunk trace would fail for a reason the input did not have (a
// standing stall "shrunk" into a phase too short for any election). The slowest recovery
// in 100,000 seeds with every feature in the swarm took 15.3 timeouts.
constexpr sim::Micros kLivenessFloorTimeouts = 20;

// Shorter phases matter when the violation is only found at the end (liveness).
bool Shrinker::shorterPhases() {
    bool any = false;
    for (int i = 0; i < 4 && !exhausted(); ++i) {
        sim::SimOptions options = best().options;
        options.safetyPhaseUs /= 2;
        if (options.safetyPhaseUs < 1'000 || !attempt(options, script())) break;
        any = true;
    }
    for (int i = 0; i < 4 && !exhausted(); ++i) {
        sim::SimOptions options = best().options;
        options.livenessPhaseUs /= 2;
        const sim::Micros floorUs = kLivenessFloorTimeouts * options.electionTimeoutMinUs;
        if (options.livenessPhaseUs < std::max<sim::Micros>(1'000, floorUs) || !attempt(options, script())) break;
        any = true;
    }
    return any;
}

}  // namespace traces::detail
