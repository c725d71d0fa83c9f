#include "sim/implementations.hpp"

#include <array>

namespace sim {

std::span<const Implementation* const> implementations() {
    static const std::array<const Implementation*, 1> all{&coreImplementation()};
    return all;
}

const Implementation* implementationByName(std::string_view name) {
    for (const Implementation* i : implementations()) {
        if (i->name() == name) return i;
    }
    return nullptr;
}

std::string implementationNames() {
    std::string names;
    for (const Implementation* i : implementations()) {
        if (!names.empty()) names += ", ";
        names += i->name();
    }
    return names;
}

std::string_view implementationName(const Implementation* implementation) {
    return (implementation != nullptr ? *implementation : coreImplementation()).name();
}

}  // namespace sim
