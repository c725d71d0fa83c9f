// The project's one PRNG: xoshiro256** seeded through splitmix64. Every component draws
// from its own stream (fork), so adding draws in one place does not reshuffle another.
#pragma once

#include <cstdint>

#include "core/assert.hpp"

namespace sim {

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        for (std::uint64_t& word : s_) word = splitmix(seed);
    }

    // An independent stream for component `stream` (network, disk, node i's timers, ...).
    Rng fork(std::uint64_t stream) const {
        std::uint64_t x = s_[0] ^ (stream * 0x9e3779b97f4a7c15ULL) ^ 0xd1b54a32d192ed03ULL;
        return Rng(splitmix(x));
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, bound), unbiased (Lemire's method). bound must be positive.
    std::uint64_t below(std::uint64_t bound) {
        RAFT_ASSERT(bound > 0, "bound={}", bound);
        __uint128_t m = static_cast<__uint128_t>(next()) * bound;
        auto low = static_cast<std::uint64_t>(m);
        if (low < bound) {
            const std::uint64_t threshold = (0 - bound) % bound;
            while (low < threshold) {
                m = static_cast<__uint128_t>(next()) * bound;
                low = static_cast<std::uint64_t>(m);
            }
        }
        return static_cast<std::uint64_t>(m >> 64);
    }

    // Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        RAFT_ASSERT(lo <= hi, "lo={} hi={}", lo, hi);
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    // True with probability perMillion / 1,000,000.
    bool chance(std::uint32_t perMillion) {
        if (perMillion == 0) return false;
        return below(1'000'000) < perMillion;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t s_[4];
};

}  // namespace sim
