#include "sim/implementations.hpp"

#include <array>

#ifdef RAFTSIM_HAVE_CANONICAL
#include "sim/canonical/canonical.hpp"
#endif

namespace sim {

std::span<const Implementation* const> implementations() {
#ifdef RAFTSIM_HAVE_CANONICAL
    static const std::array<const Implementation*, 4> all{
        &coreImplementation(), &canonical::implementation(), &canonical::strictImplementation(),
        &canonical::figure2AcksImplementation()};
#else
    static const std::array<const Implementation*, 1> all{&coreImplementation()};
#endif
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
