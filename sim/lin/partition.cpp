#include "sim/lin/partition.hpp"

#include <array>

namespace sim::lin {

std::vector<KeyHistory> partition(std::span<const Operation> history) {
    std::array<std::vector<Operation>, 256> byKey;
    std::array<bool, 256> seen{};
    for (const Operation& op : history) {
        seen[op.command.key] = true;
        if (op.outcome == Outcome::Fail) continue;
        if (op.outcome != Outcome::Ok && op.command.op == KvOp::Get) continue;
        byKey[op.command.key].push_back(op);
    }
    std::vector<KeyHistory> out;
    for (std::size_t key = 0; key < byKey.size(); ++key) {
        if (seen[key]) out.push_back(KeyHistory{static_cast<std::uint8_t>(key), std::move(byKey[key])});
    }
    return out;
}

}  // namespace sim::lin
