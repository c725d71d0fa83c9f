// Golden state counts pin the model; bug switches must yield counterexamples (the
// shortest, in BFS), and the correct core none.
#include <doctest/doctest.h>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/tests/helpers.hpp"
#include "sim/mc/shorten.hpp"

using mc::Bounds;
using mc::SearchOptions;
using mc::SearchResult;
using mc::test::checkHeld;
using mc::test::preset;
using mc::test::withBug;

namespace {

SearchOptions withJobs(int jobs, bool depthFirst = false) {
    SearchOptions o;
    o.jobs = jobs;
    o.mode = depthFirst ? mc::SearchMode::Dfs : mc::SearchMode::Bfs;
    o.capacity = 1024;  // small, so the table grows (and BFS defers inserts) during the search
    return o;
}

}  // namespace

TEST_CASE("search_tiny_goldenCountWhateverTheJobsOrMode") {
    const Bounds b = preset("tiny");
    for (const SearchOptions& o : {withJobs(1), withJobs(2), withJobs(3), withJobs(1, true)}) {
        const SearchResult r = mc::search(b, o);
        checkHeld(r);
        CHECK(r.states == 3327);
        CHECK(r.transitions == 11877);
        if (o.mode == mc::SearchMode::Bfs) CHECK(r.depth == 21);
    }
}

TEST_CASE("search_tiny_withoutSymmetry_twiceTheStatesSameVerdict") {
    Bounds b = preset("tiny");
    b.symmetry = false;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 6650);  // 2 nodes: almost every state has a distinct mirror image
    CHECK(r.depth == 21);
}

TEST_CASE("search_tiny_keepingDeadMessages_moreStatesSameVerdict") {
    Bounds b = preset("tiny");
    b.dropDead = false;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 20118);
    CHECK(r.transitions == 77672);
    CHECK(r.depth == 23);
}

TEST_CASE("search_tinyWithACrash_goldenCount") {
    Bounds b = preset("tiny");
    b.maxCrashes = 1;
    const SearchResult r = mc::search(b, withJobs(2));
    checkHeld(r);
    CHECK(r.states == 14811);
}

// CheckQuorum: a leader's election timer checks its quorum and may step down; the
// search stays exhaustive and the properties hold (the counts depend on the bounds only).
TEST_CASE("search_tiny_checkQuorum_holdsSameCountWhateverTheJobs") {
    Bounds b = preset("tiny");
    b.checkQuorum = true;
    const SearchResult one = mc::search(b, withJobs(1));
    checkHeld(one);
    const SearchResult two = mc::search(b, withJobs(2));
    CHECK(two.states == one.states);
    CHECK(one.states > 3327);  // more than without: the quorum check adds steps
}

TEST_CASE("search_maxStates_stopsIncomplete") {
    SearchOptions o = withJobs(1);
    o.maxStates = 1000;
    const SearchResult r = mc::search(preset("tla-small"), o);
    CHECK_FALSE(r.complete);
    CHECK(r.states >= 1000);
    CHECK_FALSE(r.counterexample.has_value());
}

namespace {

struct BugCase {
    raft::Bug bug;
    Bounds bounds;
    const char* property;
    std::size_t steps;  // of the shortest counterexample
};

Bounds withCrashes(Bounds b, int crashes) {
    b.maxCrashes = crashes;
    return b;
}

// Figure 8 with three servers: a leader's no-op travels with the older entry unless
// entries go one at a time, and the old entry must meet a log of a later term.
Bounds figure8Bounds() {
    Bounds b = preset("tla-small");
    b.maxTerm = 3;
    b.maxBatch = 1;
    b.values = 0;
    return b;
}

std::vector<BugCase> bugCases() {
    using raft::Bug;
    return {
        {Bug::VoteNoLogCheck, preset("elect3"), "leader-completeness", 8},
        {Bug::ForgetVote, withCrashes(preset("small-crash"), 1), "election-safety", 8},
        {Bug::StaleTermAppend, preset("elect3"), "leader-append-only", 7},
        {Bug::TruncateOnStaleAppend, preset("tiny"), "commit-monotonic", 9},
        {Bug::Figure8Commit, figure8Bounds(), "commit-quorum", 14},
        {Bug::NoStepDownHigherTerm, preset("elect3"), "higher-term-adopted", 6},
        {Bug::StaleVoteCounted, preset("elect3"), "election-safety", 7},
        // A heartbeat without entries tells a follower the leader's commitIndex only.
        {Bug::CommitPastNewEntries, [] {
             Bounds b = preset("tla-small");
             b.maxTerm = 3;
             b.emptyHeartbeats = true;
             return b;
         }(), "state-machine-safety", 11},
        // A duplicated vote counted twice: four servers, so that one extra vote makes a
        // false majority, twice in one term.
        {Bug::DuplicateVoteCounted, [] {
             Bounds b = preset("tla-small");
             b.nodes = 4;
             b.maxTerm = 1;
             b.maxLog = 1;
             b.values = 0;
             b.duplicate = true;
             b.maxCopies = 2;
             return b;
         }(), "election-safety", 10},
        {Bug::CommitIndexRegress, [] {
             Bounds b = preset("elect3");
             b.maxLog = 2;
             return b;
         }(), "commit-monotonic", 9},
    };
}

}  // namespace

TEST_CASE("search_bugSwitches_yieldShortestCounterexamples") {
    for (const BugCase& c : bugCases()) {
        CAPTURE(raft::bugInfo(c.bug).name);
        Bounds b = withBug(c.bounds, c.bug);
        for (const bool symmetry : {true, false}) {
            CAPTURE(symmetry);
            b.symmetry = symmetry;
            const SearchResult r = mc::search(b, withJobs(2));
            REQUIRE(r.counterexample.has_value());
            CHECK(r.counterexample->violation.property == c.property);
            CHECK(r.counterexample->steps.size() == c.steps);
        }
    }
}

// Several violations lie at the shallowest depth here (leader completeness and commit
// quorum, from many parents): whatever the threads do, the same one is reported.
TEST_CASE("search_bfsCounterexample_sameWhateverTheJobs") {
    Bounds b = withBug(preset("elect3"), raft::Bug::VoteNoLogCheck);
    b.symmetry = false;
    std::vector<std::string> first;
    for (const int jobs : {1, 2, 3, 2, 2}) {
        CAPTURE(jobs);
        const SearchResult r = mc::search(b, withJobs(jobs));
        REQUIRE(r.counterexample.has_value());
        CHECK(r.counterexample->violation.property == "leader-completeness");
        std::vector<std::string> steps;
        for (const mc::PathStep& step : r.counterexample->steps) steps.push_back(step.text);
        if (first.empty()) first = steps;
        CHECK(steps == first);
    }
}

TEST_CASE("search_bugSwitch_dfsFindsItToo") {
    const Bounds b = withBug(preset("tiny"), raft::Bug::TruncateOnStaleAppend);
    const SearchResult r = mc::search(b, withJobs(1, true));
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "commit-monotonic");
    CHECK(r.counterexample->steps.size() >= 9);  // not necessarily the shortest
}

TEST_CASE("counterexample_json_replaysToTheSameViolation") {
    for (const BugCase& c : bugCases()) {
        CAPTURE(raft::bugInfo(c.bug).name);
        const Bounds b = withBug(c.bounds, c.bug);
        const SearchResult r = mc::search(b, withJobs(1));
        REQUIRE(r.counterexample.has_value());
        const nlohmann::json j = nlohmann::json::parse(mc::toJson(b, *r.counterexample).dump());
        const mc::LoadedPath path = mc::fromJson(j);
        CHECK(path.steps.size() == c.steps);
        const std::optional<mc::McViolation> v = mc::replayPath(path);
        REQUIRE(v.has_value());
        CHECK(v->property == c.property);
    }
}

TEST_CASE("shorten_dfsCounterexample_shorterSameViolationNoLongerThanBfs") {
    const Bounds b = withBug(preset("elect3"), raft::Bug::VoteNoLogCheck);
    const SearchResult deep = mc::search(b, withJobs(1, true));
    REQUIRE(deep.counterexample.has_value());
    const mc::ModelTrace shorter = mc::shorten(mc::record(b, *deep.counterexample));
    REQUIRE(shorter.verdict.has_value());
    CHECK(shorter.verdict->property == deep.counterexample->violation.property);
    CHECK(shorter.steps.size() < deep.counterexample->steps.size());
    CHECK(shorter.steps.size() >= 8);  // BFS's shortest
    CHECK(shorter.verdict->step == shorter.steps.size());
    const std::optional<mc::McViolation> v = mc::replayPath(shorter);
    REQUIRE(v.has_value());
    CHECK(v->property == shorter.verdict->property);
    mc::ModelTrace clean = shorter;
    clean.verdict.reset();
    CHECK_THROWS_AS(mc::shorten(clean), std::runtime_error);
}

TEST_CASE("counterexample_json_rejectsAnEventNotEnabled") {
    const Bounds b = withBug(preset("tiny"), raft::Bug::TruncateOnStaleAppend);
    const SearchResult r = mc::search(b, withJobs(1));
    REQUIRE(r.counterexample.has_value());
    mc::LoadedPath path = mc::fromJson(mc::toJson(b, *r.counterexample));
    path.steps.erase(path.steps.begin());  // the first election never happened
    CHECK_THROWS_AS(mc::replayPath(path), std::runtime_error);
}

namespace {

SearchOptions walks(std::uint64_t seed, std::uint64_t count) {
    SearchOptions o;
    o.mode = mc::SearchMode::Walk;
    o.seed = seed;
    o.walks = count;
    o.walkDepth = 200;
    o.capacity = 1024;
    return o;
}

Bounds deepBounds() {
    Bounds b = preset("tla-small");
    b.maxTerm = 4;
    b.maxLog = 3;
    return b;
}

}  // namespace

// Walks share the model's enabled events and step: on the correct core every walk holds,
// elects, commits, and goes deeper than BFS could afford; the same seed walks the same way.
TEST_CASE("walk_correctCore_holdsAndIsDeterministic") {
    const SearchResult a = mc::search(deepBounds(), walks(7, 300));
    CHECK_FALSE(a.complete);
    CHECK_FALSE(a.counterexample.has_value());
    CHECK(a.sawLeader);
    CHECK(a.sawCommit);
    CHECK(a.depth > 40);
    const SearchResult b = mc::search(deepBounds(), walks(7, 300));
    CHECK(b.states == a.states);
    CHECK(b.transitions == a.transitions);
    CHECK(mc::search(deepBounds(), walks(8, 300)).transitions != a.transitions);
}

// Bugs too deep for BFS at these bounds: random walks find them, and what they find is
// a counterexample that replays to the same violation.
TEST_CASE("walk_bugSwitches_yieldReplayableCounterexamples") {
    using raft::Bug;
    const std::pair<Bug, const char*> cases[] = {
        {Bug::VoteLogCheckWrong, "leader-completeness"},
        {Bug::StaleVoteCounted, "election-safety"},
        {Bug::VoteResetSameTerm, "election-safety"},
    };
    for (const auto& c : cases) {
        const Bug bug = c.first;
        const char* const property = c.second;
        CAPTURE(raft::bugInfo(bug).name);
        const Bounds b = withBug(deepBounds(), bug);
        const SearchResult r = mc::search(b, walks(1, 20'000));
        REQUIRE(r.counterexample.has_value());
        CHECK(r.counterexample->violation.property == property);
        const std::optional<mc::McViolation> v = mc::replayPath(mc::fromJson(mc::toJson(b, *r.counterexample)));
        REQUIRE(v.has_value());
        CHECK(v->property == property);
    }
}

// The presets' counts are the model's fingerprint: a change to the core or the model that
// alters them must be deliberate. tla-small (708,241,424 states, `raftsim bench check`)
// and small-crash take minutes to exhaust; their first two million states are pinned.
TEST_CASE("search_presets_goldenCounts") {
    const SearchResult elect3 = mc::search(preset("elect3"), withJobs(2));
    CHECK(elect3.complete);
    CHECK(elect3.states == 2652938);
    CHECK(elect3.transitions == 22993420);
    CHECK(elect3.depth == 37);
    for (const auto& [name, transitions, depth] :
         {std::tuple{"tla-small", 7495941ull, 16}, std::tuple{"small-crash", 7013061ull, 15}}) {
        const char* const presetName = name;  // structured bindings are not captured by clang 14
        CAPTURE(presetName);
        SearchOptions o = withJobs(1);
        o.maxStates = 2'000'000;
        const SearchResult r = mc::search(preset(name), o);
        CHECK_FALSE(r.complete);
        CHECK(r.transitions == transitions);
        CHECK(r.depth == depth);
    }
}
