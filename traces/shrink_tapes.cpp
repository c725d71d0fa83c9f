// Shrinking the recorded choices: whole messages on the network tape, then any tape
// value by value (deleting, zeroing and halving, as Hypothesis does).
#include "traces/shrink_impl.hpp"

namespace traces::detail {

// The network draws for a message it routes (sim/network.cpp): a drop decision; unless
// dropped, a copy; then a duplicate decision and, if duplicated, a second copy. A copy
// is a latency, a reorder decision and, if reordered, its extra delay. A decision is
// drawn only while its probability is not zero. A blocked link draws nothing. After
// the liveness phase calms the network the cut is off, which only costs shrinking power:
// every candidate is re-executed.
std::vector<Block> messageBlocks(const sim::ChoiceTape& tape, const sim::FaultConfig& faults) {
    std::vector<Block> blocks;
    std::size_t p = 0;
    const auto decision = [&](std::uint32_t ppm) { return ppm > 0 && p < tape.size() && tape[p++] != 0; };
    const auto copy = [&] {
        ++p;  // the latency
        if (decision(faults.reorderPpm)) ++p;
    };
    while (p < tape.size()) {
        const std::size_t begin = p;
        if (!decision(faults.dropPpm)) {
            copy();
            if (decision(faults.duplicatePpm)) copy();
        }
        blocks.push_back(Block{begin, std::min(p, tape.size())});
    }
    return blocks;
}

namespace {

// The draws of a message that is dropped, or delivered once after the least latency.
sim::ChoiceTape simplestMessage(const sim::FaultConfig& faults, bool drop) {
    if (drop) return {1};
    sim::ChoiceTape draws;
    if (faults.dropPpm > 0) draws.push_back(0);
    draws.push_back(0);
    if (faults.reorderPpm > 0) draws.push_back(0);
    if (faults.duplicatePpm > 0) draws.push_back(0);
    return draws;
}

}  // namespace

// Messages in [begin, end) of the network tape dropped, or made plain; the draws of the
// other messages stay where they were.
std::optional<sim::Script> Shrinker::messagesAs(std::size_t begin, std::size_t end, bool drop) const {
    const sim::FaultConfig& faults = best().options.faults;
    const sim::ChoiceTape& tape = script().tapes[sim::kNetworkChoices];
    const std::vector<Block> blocks = messageBlocks(tape, faults);
    if (end > blocks.size()) return std::nullopt;
    const sim::ChoiceTape simplest = simplestMessage(faults, drop);
    sim::Script s = script();
    sim::ChoiceTape& out = s.tapes[sim::kNetworkChoices];
    out.assign(tape.begin(), tape.begin() + static_cast<std::ptrdiff_t>(blocks[begin].begin));
    for (std::size_t b = begin; b < end; ++b) out.insert(out.end(), simplest.begin(), simplest.end());
    out.insert(out.end(), tape.begin() + static_cast<std::ptrdiff_t>(blocks[end - 1].end), tape.end());
    if (out == tape) return std::nullopt;
    return s;
}

bool Shrinker::simplerMessages() {
    const auto size = [this] { return messageBlocks(script().tapes[sim::kNetworkChoices], best().options.faults).size(); };
    const std::size_t minChunk = size() / 64;
    bool any = false;
    if (best().options.faults.dropPpm > 0) {
        any |= chunks(size, [this](std::size_t b, std::size_t e) { return messagesAs(b, e, true); }, minChunk);
    }
    any |= chunks(size, [this](std::size_t b, std::size_t e) { return messagesAs(b, e, false); }, minChunk);
    return any;
}

// Choices: delete chunks, zero chunks (0 is the simplest choice), down to 1/64 of the
// tape; finely (short tapes only), down to single values, then halve single values.
// The classic strategy takes long tapes coarsely in its fine rounds too.
bool Shrinker::shrinkTape(std::size_t t, bool fine) {
    const std::size_t size = script().tapes[t].size();
    if (fine && size > kSmallTape && strategy_ != kClassic) return false;
    fine = fine && size <= kSmallTape;
    const std::size_t minChunk = fine ? 1 : std::max<std::size_t>(2, size / 64);
    bool any = deleteChunks([t](auto& s) -> auto& { return s.tapes[t]; }, minChunk);
    any |= zeroChunks(t, minChunk);
    if (fine) any |= halveValues(t);
    return any;
}

bool Shrinker::zeroChunks(std::size_t t, std::size_t minChunk) {
    const auto size = [this, t] { return script().tapes[t].size(); };
    return chunks(size, [this, t](std::size_t begin, std::size_t end) -> std::optional<sim::Script> {
        sim::Script candidate = script();
        sim::ChoiceTape& values = candidate.tapes[t];
        const auto first = values.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = values.begin() + static_cast<std::ptrdiff_t>(std::min(end, values.size()));
        if (std::all_of(first, last, [](std::uint64_t v) { return v == 0; })) return std::nullopt;
        std::fill(first, last, 0);
        return candidate;
    }, minChunk);
}

bool Shrinker::halveValues(std::size_t t) {
    bool any = false;
    for (std::size_t i = 0; i < script().tapes[t].size() && !exhausted(); ++i) {
        if (script().tapes[t][i] < 2) continue;
        sim::Script candidate = script();
        candidate.tapes[t][i] /= 2;
        any |= attempt(candidate);
    }
    return any;
}

}  // namespace traces::detail
