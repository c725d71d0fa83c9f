// Client sessions (thesis §6.3): the state machine's session table, and the world's
// clients that register, retry, and are answered from their session.
#include <doctest/doctest.h>

#include "sim/world.hpp"

using namespace sim;

namespace {

constexpr int kKeys = 3;

raft::Entry registerEntry(std::uint32_t client) {
    return raft::Entry{.term = 1, .kind = raft::EntryKind::Command, .clientId = kNoSessionBit | client,
                       .data = KvCommand{.op = KvOp::Register}.encode()};
}

raft::Entry command(std::uint32_t session, std::uint32_t seq, KvCommand c) {
    return raft::Entry{.term = 1, .kind = raft::EntryKind::Command, .clientId = session, .seq = seq,
                       .data = c.encode()};
}

KvCommand put(std::uint8_t key, std::uint32_t value) { return {.op = KvOp::Put, .key = key, .value = value}; }
KvCommand cas(std::uint8_t key, std::uint32_t from, std::uint32_t to) {
    return {.op = KvOp::Cas, .key = key, .value = to, .expected = from};
}
KvCommand get(std::uint8_t key) { return {.op = KvOp::Get, .key = key}; }

SessionRules sessionsOn(raft::Index expireAfter = 64) { return {.on = true, .expireAfterEntries = expireAfter}; }

// A log, applied in order by a store; the answers, one per entry.
std::vector<Answer> applyAll(KvStore& kv, const std::vector<raft::Entry>& log, raft::Micros usPerEntry = 1) {
    std::vector<Answer> answers;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const auto index = static_cast<raft::Index>(i + 1);
        answers.push_back(kv.apply(log[i], index, static_cast<raft::Micros>(index) * usPerEntry));
    }
    return answers;
}

}  // namespace

TEST_CASE("sessions: a register opens the session its log index names") {
    KvStore kv(kKeys, sessionsOn());
    const std::vector<raft::Entry> log = {raft::Entry{.term = 1}, registerEntry(1), registerEntry(2)};
    const std::vector<Answer> a = applyAll(kv, log);
    CHECK(a[1].value == 2);
    CHECK(a[2].value == 3);
    CHECK(kv.sessions().sessions().size() == 2);
    CHECK(kv.sessions().sessions().contains(2));
    CHECK(kv.sessions().sessions().contains(3));
}

TEST_CASE("sessions: a retried command is answered with the saved response, not applied again") {
    // Session 1 swaps 7 for 9; session 2 puts 7 back; session 1's cas is retried.
    const std::vector<raft::Entry> log = {registerEntry(1), registerEntry(2),
                                          command(1, 1, put(0, 7)),
                                          command(1, 2, cas(0, 7, 9)),
                                          command(2, 1, put(0, 7)),
                                          command(1, 2, cas(0, 7, 9)),
                                          command(2, 2, get(0))};
    KvStore kv(kKeys, sessionsOn());
    const std::vector<Answer> a = applyAll(kv, log);
    CHECK(a[3].kind == AnswerKind::Applied);
    CHECK(a[3].value == 1);
    CHECK(a[5].kind == AnswerKind::Duplicate);
    CHECK(a[5].value == 1);  // the saved response of the first cas
    CHECK(a[6].value == 7);  // the retry did not swap again
    CHECK(kv.sessions().sessions().at(1).lastSeq == 2);

    // The bug: the retry swaps again.
    KvStore buggy(kKeys, SessionRules{.on = true, .dedupe = false});
    const std::vector<Answer> b = applyAll(buggy, log);
    CHECK(b[5].kind == AnswerKind::Applied);
    CHECK(b[6].value == 9);
}

TEST_CASE("sessions: without sessions the store applies every copy, as it always did") {
    KvStore kv(kKeys);
    const std::vector<raft::Entry> log = {command(1, 1, cas(0, 0, 4)), command(2, 1, put(0, 0)),
                                          command(1, 1, cas(0, 0, 4)), command(2, 2, get(0))};
    const std::vector<Answer> a = applyAll(kv, log);
    CHECK(a[0].value == 1);
    CHECK(a[2].kind == AnswerKind::Applied);
    CHECK(a[2].value == 1);
    CHECK(a[3].value == 4);
    CHECK(kv.sessions().sessions().empty());
}

TEST_CASE("sessions: a session with no command in the last N entries expires at the same entry on every replica") {
    // Session 1 (index 1) acts at 2, then idles; noops advance the log.
    std::vector<raft::Entry> log = {registerEntry(1), command(1, 1, put(1, 3))};
    for (int i = 0; i < 4; ++i) log.push_back(raft::Entry{.term = 2});
    log.push_back(command(1, 2, put(1, 4)));  // index 7: 5 entries after its last command
    // Two replicas that apply at very different times (a lagging one, one replaying its
    // log after a restart) agree on everything.
    KvStore fast(kKeys, sessionsOn(4)), late(kKeys, sessionsOn(4));
    const std::vector<Answer> a = applyAll(fast, log, 1);
    const std::vector<Answer> b = applyAll(late, log, 1'000'000);
    CHECK(a[6].kind == AnswerKind::Expired);
    CHECK(b[6].kind == AnswerKind::Expired);
    CHECK(fast == late);
    CHECK(fast.sessions().expiredCount() == 1);

    // One entry sooner, the session is still there.
    KvStore sooner(kKeys, sessionsOn(5));
    CHECK(applyAll(sooner, log)[6].kind == AnswerKind::Applied);
}

TEST_CASE("sessions: with the local-clock bug, replicas that apply at different times disagree") {
    std::vector<raft::Entry> log = {registerEntry(1), command(1, 1, put(1, 3)), command(1, 2, put(1, 4))};
    const SessionRules rules{.on = true, .localClockExpiry = true, .localExpiryUs = 1'000};
    KvStore fast(kKeys, rules), slow(kKeys, rules);
    const std::vector<Answer> a = applyAll(fast, log, 10);     // 10 us apart
    const std::vector<Answer> b = applyAll(slow, log, 5'000);  // 5 ms apart: expired
    CHECK(a[2].kind == AnswerKind::Applied);
    CHECK(b[2].kind == AnswerKind::Expired);
    CHECK_FALSE(fast == slow);
}

TEST_CASE("sessions: an unknown or expired session is answered so; a new register opens a new one") {
    std::vector<raft::Entry> log = {command(5, 1, put(0, 1)), registerEntry(1), command(2, 1, put(0, 2))};
    for (int i = 0; i < 3; ++i) log.push_back(raft::Entry{.term = 1});
    log.push_back(command(2, 2, put(0, 3)));  // index 7: session 2 expired
    log.push_back(registerEntry(1));          // index 8: session 8
    log.push_back(command(8, 3, put(0, 4)));  // the client's numbering goes on
    log.push_back(command(2, 3, put(0, 5)));  // the old session stays gone
    KvStore kv(kKeys, sessionsOn(3));
    const std::vector<Answer> a = applyAll(kv, log);
    CHECK(a[0].kind == AnswerKind::Expired);
    CHECK(a[2].kind == AnswerKind::Applied);
    CHECK(a[6].kind == AnswerKind::Expired);
    CHECK(a[7].value == 8);
    CHECK(a[8].kind == AnswerKind::Applied);
    CHECK(a[9].kind == AnswerKind::Expired);
    CHECK(kv.read(get(0)) == 4);
}

TEST_CASE("sessions: the whole store saves and loads back, sessions included") {
    std::vector<raft::Entry> log = {registerEntry(1), registerEntry(2), command(1, 1, put(0, 7)),
                                    command(2, 1, cas(0, 7, 8))};
    KvStore kv(kKeys, sessionsOn());
    applyAll(kv, log);
    const std::vector<std::uint64_t> state = kv.save();
    KvStore copy(kKeys, sessionsOn());
    REQUIRE(copy.load(state));
    CHECK(copy == kv);
    // The copy answers a retry as the original does.
    const raft::Entry retry = command(2, 1, cas(0, 7, 8));
    const Answer x = kv.apply(retry, 5, 5), y = copy.apply(retry, 5, 5);
    CHECK(x.kind == AnswerKind::Duplicate);
    CHECK(y.kind == x.kind);
    CHECK(y.value == x.value);
    // A truncated state is refused.
    std::vector<std::uint64_t> cut = state;
    cut.pop_back();
    KvStore bad(kKeys, sessionsOn());
    CHECK_FALSE(bad.load(cut));
}

namespace {

SimOptions quiet(bool sessions) {
    SimOptions o;
    o.nodes = 3;
    o.workload.clients = 0;  // the test is the only client
    o.safetyPhaseUs = 2'000'000;
    o.livenessPhaseUs = 1'000'000;
    o.sessions = sessions;
    return o;
}

raft::NodeId leaderOf(const World& w) {
    for (raft::NodeId id = 0; id < w.nodeCount(); ++id) {
        if (w.member(id) != nullptr && w.member(id)->view().role == raft::Role::Leader) return id;
    }
    return raft::kNoNode;
}

// Steps until every node applied `index`.
void settle(World& w, raft::Index index) {
    for (int i = 0; i < 100'000; ++i) {
        bool all = true;
        for (raft::NodeId id = 0; id < w.nodeCount(); ++id) all = all && w.applied(id) >= index;
        if (all) return;
        REQUIRE(w.step());
    }
    FAIL("nodes did not apply index " << index);
}

// Two clients register; client 1 puts 5, client 2 puts 6, and client 1's put (which it
// had no answer for) comes again: the value every replica ends with.
std::uint32_t retriedPut(const SimOptions& o) {
    World w(o, 1);
    while (leaderOf(w) == raft::kNoNode || w.applied(leaderOf(w)) == 0) REQUIRE(w.step());
    const raft::NodeId leader = leaderOf(w);
    raft::Index last = w.applied(leader);
    w.inject(leader, raft::Propose{registerEntry(1)});
    w.inject(leader, raft::Propose{registerEntry(2)});
    last += 2;
    settle(w, last);
    const auto one = static_cast<std::uint32_t>(last - 1), two = static_cast<std::uint32_t>(last);
    REQUIRE(w.store(leader).sessions().sessions().contains(one));
    for (const raft::Entry& e : {command(one, 1, put(0, 5)), command(two, 1, put(0, 6)), command(one, 1, put(0, 5))}) {
        w.inject(leader, raft::Propose{e});
    }
    settle(w, last + 3);
    const std::uint32_t value = static_cast<std::uint32_t>(w.store(0).read(get(0)));
    for (raft::NodeId id = 1; id < w.nodeCount(); ++id) CHECK(w.store(id) == w.store(0));
    return value;
}

}  // namespace

TEST_CASE("sessions: in a world, a retried command is applied once; with the bug, twice") {
    CHECK(retriedPut(quiet(true)) == 6);
    SimOptions buggy = quiet(false);
    buggy.bugs.enable(raft::Bug::SessionNoDedupe);  // turns sessions on
    CHECK(retriedPut(buggy) == 5);
}

TEST_CASE("sessions: clients register, retry under the same number and are answered from their session") {
    SessionCounts total;
    std::uint64_t fail = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        SimOptions o;
        o.safetyPhaseUs = 5'000'000;
        o.livenessPhaseUs = 3'000'000;
        o.faults = swarmFaults(seed);
        o.sessions = true;
        const RunResult r = World(o, seed).run();
        INFO("seed " << seed << ": " << (r.violation ? r.violation->details : std::string()));
        REQUIRE_FALSE(r.violation);
        total.registered += r.stats.sessionsRegistered;
        total.retried += r.stats.sessionRetries;
        total.duplicates += r.stats.sessionDuplicates;
        total.expired += r.stats.sessionsExpired;
        fail += r.stats.clientFail;
    }
    CHECK(total.registered >= 60);  // 3 clients, 20 seeds
    CHECK(total.retried > 0);
    CHECK(total.duplicates > 0);
    CHECK(fail == 0);  // a client with a session retries rather than fail
}

TEST_CASE("sessions: only runs with sessions count them, and sessions change the run") {
    SimOptions o;
    o.faults = swarmFaults(4);
    const RunResult off = World(o, 4).run();
    CHECK(off.stats.sessionsRegistered == 0);
    CHECK(off.stats.sessionRetries == 0);
    o.sessions = true;
    const RunResult on = World(o, 4).run();
    CHECK(on.stats.sessionsRegistered > 0);
    CHECK(on.eventHash != off.eventHash);
}

TEST_CASE("kv: the state's hash without a copy is the hash of what a snapshot saves, sessions on and off") {
    const std::vector<raft::Entry> log = {registerEntry(1), command(1, 1, put(0, 7)), command(1, 2, cas(0, 7, 9)),
                                          registerEntry(2), command(2, 1, put(2, 5))};
    for (const bool on : {false, true}) {
        KvStore kv(kKeys, on ? sessionsOn() : SessionRules{});
        std::vector<std::uint64_t> seen;
        for (std::size_t i = 0; i < log.size(); ++i) {
            kv.apply(log[i], static_cast<raft::Index>(i + 1), 1);
            CHECK(kv.hash() == stateHash(kv.save()));
            seen.push_back(kv.hash());
        }
        CHECK(seen[1] != seen[0]);  // a put changes the state, and so its hash
        KvStore copy(kKeys, on ? sessionsOn() : SessionRules{});
        REQUIRE(copy.load(kv.save()));
        CHECK(copy.hash() == kv.hash());
    }
}
