#include "tools/raftsim/recovery_bound.hpp"

#include <fmt/format.h>

#include "sim/recovery.hpp"

namespace tools {

namespace {

double timeouts(std::int64_t milli) { return static_cast<double>(milli) / 1000; }

}  // namespace

std::string recoveryLine(const SweepTotals& t) {
    const auto& m = t.recoveryMilliTimeouts;
    const auto& e = t.recoveryElections;
    if (m.empty()) return {};
    return fmt::format("  {:<28}p50 {:.2f}, p99 {:.2f}, max {:.2f}; elections p50 {}, p99 {}, max {}\n",
                       "recovery in timeouts", timeouts(sim::percentile(m, 50)),
                       timeouts(sim::percentile(m, 99)), timeouts(m.back()), sim::percentile(e, 50),
                       sim::percentile(e, 99), e.back());
}

std::optional<RecoveryVerdict> judgeRecovery(const SweepTotals& t, const RecoveryBound& bound) {
    if (!bound.set()) return std::nullopt;
    if (t.recoveryMilliTimeouts.empty()) {
        return RecoveryVerdict{false, fmt::format("recovery bound broken: no seed recovered, so nothing shows p{} "
                                                  "within {} election timeouts (--max-recovery-timeouts)",
                                                  bound.percentile, bound.maxTimeouts)};
    }
    const double p = timeouts(sim::percentile(t.recoveryMilliTimeouts, bound.percentile));
    if (p <= bound.maxTimeouts) {
        return RecoveryVerdict{true, fmt::format("recovery bound held: p{} recovery is {:.2f} election timeouts, "
                                                 "at most {} (--max-recovery-timeouts)",
                                                 bound.percentile, p, bound.maxTimeouts)};
    }
    return RecoveryVerdict{false, fmt::format("recovery bound broken: p{} recovery is {:.2f} election timeouts, "
                                              "above {} (--max-recovery-timeouts)",
                                              bound.percentile, p, bound.maxTimeouts)};
}

}  // namespace tools
