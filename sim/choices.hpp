// A stream of random choices (Hypothesis' idea). Normally it draws from its Rng; it can
// also write every choice to a tape, or read the choices back from a tape, so a run can
// be replayed bit for bit and a failing run shrunk by lowering and deleting choices.
// A choice is a number in [0, bound); 0 is the simplest (shortest delay, no fault).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/rng.hpp"

namespace sim {

using ChoiceTape = std::vector<std::uint64_t>;

class Choices {
public:
    // Implicit: components that took an Rng keep working unchanged.
    Choices(Rng rng) : rng_(rng) {}  // NOLINT(google-explicit-constructor)

    // Every choice is appended to `out`.
    void record(ChoiceTape* out) {
        out_ = out;
        retape();
    }
    // Choices come from `in` instead of the Rng: a value past the end is 0, one not
    // below its bound is taken modulo the bound. `out` (optional) gets what was used.
    void replay(const ChoiceTape* in, ChoiceTape* out) {
        in_ = in;
        out_ = out;
        pos_ = 0;
        retape();
    }

    // Swaps the recording tape (nullptr: draws go unrecorded); returns the old one.
    // Draws that a script records elsewhere (the schedule) use it.
    ChoiceTape* swapRecord(ChoiceTape* out) {
        std::swap(out, out_);
        retape();
        return out;
    }

    // True while draws are written to a tape (a tapped run's own choices).
    bool recording() const { return out_ != nullptr; }

    // Uniform in [0, bound). bound must be positive.
    std::uint64_t below(std::uint64_t bound) {
        if (!taped()) [[likely]] return rng_.below(bound);
        return tapedBelow(bound);
    }

    // Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        RAFT_ASSERT(lo <= hi, "lo={} hi={}", lo, hi);
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    // True with probability perMillion / 1,000,000. On a tape the choice is the outcome
    // itself (1: it happened), so shrinking towards 0 removes the fault.
    bool chance(std::uint32_t perMillion) {
        if (perMillion == 0) return false;
        if (!taped()) [[likely]] return rng_.chance(perMillion);
        return tapedChance(perMillion);
    }

private:
    // One flag for the test on every draw: plain runs draw millions of times.
    bool taped() const { return taped_; }
    void retape() { taped_ = out_ != nullptr || in_ != nullptr; }

    std::uint64_t next(std::uint64_t bound) {
        const std::uint64_t v = pos_ < in_->size() ? (*in_)[pos_] : 0;
        ++pos_;
        return v < bound ? v : v % bound;
    }
    std::uint64_t tapedBelow(std::uint64_t bound) {
        RAFT_ASSERT(bound > 0, "bound={}", bound);
        const std::uint64_t v = in_ != nullptr ? next(bound) : rng_.below(bound);
        if (out_ != nullptr) out_->push_back(v);
        return v;
    }
    bool tapedChance(std::uint32_t perMillion) {
        const bool v = in_ != nullptr ? next(2) != 0 : rng_.chance(perMillion);
        if (out_ != nullptr) out_->push_back(v ? 1 : 0);
        return v;
    }

    Rng rng_;
    const ChoiceTape* in_ = nullptr;
    ChoiceTape* out_ = nullptr;
    std::size_t pos_ = 0;
    bool taped_ = false;
};

}  // namespace sim
