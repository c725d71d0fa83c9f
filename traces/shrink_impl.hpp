// The shrinker's insides, shared by shrink.cpp (the search loop), shrink_schedule.cpp
// (nodes, faults, client requests, phases) and shrink_tapes.cpp (recorded choices).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "traces/shrink.hpp"

namespace traces::detail {

// A re-execution, with what the shrinker needs beyond the trace: who drew each recorded
// client choice, and when each client operation started and ended.
struct Run {
    Trace trace;
    std::vector<sim::ClientDraw> clientDraws;
    std::vector<sim::Operation> history;
};

Run execute(const Trace& candidate);

// The network tape cut into one block per routed message (shrink_tapes.cpp).
struct Block {
    std::size_t begin = 0, end = 0;
};
std::vector<Block> messageBlocks(const sim::ChoiceTape& tape, const sim::FaultConfig& faults);

using RequestId = std::pair<int, std::uint32_t>;  // a client request: client, seq (1-based)

class Shrinker {
public:
    Shrinker(const Run& start, std::string property, std::size_t maxRuns, int strategy)
        : best_(start), property_(std::move(property)), maxRuns_(maxRuns), strategy_(strategy) {}

    Run run();  // the smallest trace found
    std::size_t runs() const { return runs_; }

private:
    bool exhausted() const { return runs_ >= maxRuns_; }
    const Trace& best() const { return best_.trace; }
    const sim::Script& script() const { return best_.trace.script; }

    // Re-executes a candidate; keeps it if it fails the same way and is smaller.
    bool attempt(const sim::SimOptions& options, const sim::Script& script);
    bool attempt(const sim::Script& script) { return attempt(best().options, script); }
    bool attempt(const std::optional<sim::Script>& script) { return script && attempt(*script); }

    // Delta debugging: for chunk sizes from `size()` down to `minChunk`, halving, tries
    // `make(begin, end)` on each window, from the back. `make` sees the current best.
    template <typename Size, typename Make>
    bool chunks(Size size, Make make, std::size_t minChunk = 1) {
        bool any = false;
        for (std::size_t chunk = std::max<std::size_t>(1, size()); chunk >= std::max<std::size_t>(1, minChunk) && !exhausted();
             chunk /= 2) {
            for (std::size_t end = size(); end > 0 && !exhausted();) {
                const std::size_t begin = end > chunk ? end - chunk : 0;
                any |= attempt(make(begin, end));
                end = std::min(begin, size());
            }
            if (chunk == 1) break;
        }
        return any;
    }
    // Deletes chunks of the vector `get` selects (a generic lambda: Script& or const&).
    template <typename Get>
    bool deleteChunks(Get get, std::size_t minChunk = 1) {
        const auto size = [this, get] { return get(script()).size(); };
        return chunks(size, [this, get](std::size_t begin, std::size_t end) {
            sim::Script candidate = script();
            auto& items = get(candidate);
            items.erase(items.begin() + static_cast<std::ptrdiff_t>(begin),
                        items.begin() + static_cast<std::ptrdiff_t>(std::min(end, items.size())));
            return std::optional<sim::Script>(std::move(candidate));
        }, minChunk);
    }

    bool structure();  // the schedule and the shape of the run, to a fixed point
    bool values(bool fine);  // the recorded choices: in chunks, or (fine) value by value

    // shrink_schedule.cpp
    bool fewerNodes();
    bool deleteFaults();
    bool fewerCuts();
    bool earlierFaults();
    bool deleteRequests();
    bool deleteOwnRequests();
    std::optional<sim::Script> withoutRequests(std::size_t begin, std::size_t end) const;
    bool simplerThinks();
    bool thinksUntilLeader();
    std::optional<sim::Script> withLastDraws(sim::Script s, RequestId id, std::size_t keep) const;
    static constexpr std::size_t kManyRequests = 64;
    bool shorterPhases();

    // shrink_tapes.cpp
    bool simplerMessages();
    std::optional<sim::Script> messagesAs(std::size_t begin, std::size_t end, bool drop) const;
    bool shrinkTape(std::size_t t, bool fine);
    bool zeroChunks(std::size_t t, std::size_t minChunk);
    bool halveValues(std::size_t t);
    static constexpr std::size_t kSmallTape = 1024;  // longer tapes: no value by value

    Run best_;
    std::string property_;
    std::size_t maxRuns_;
    int strategy_;
    std::size_t runs_ = 0;
};

// The strategies shrink() runs, in order.
enum Strategy : int { kForwards, kBackwards, kClassic, kShrinkStrategies };

}  // namespace traces::detail
