// A stable 64-bit hash for fingerprints: the same value on every run and machine.
#pragma once

#include <cstdint>

namespace raft {

class Hasher {
public:
    void add(std::uint64_t value) {
        state_ = mix(state_ ^ (value + 0x9e3779b97f4a7c15ULL + (state_ << 6) + (state_ >> 2)));
    }
    std::uint64_t digest() const { return mix(state_ ^ 0x2545f4914f6cdd1dULL); }

    // splitmix64's finalizer: a bijection with good avalanche.
    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

}  // namespace raft
