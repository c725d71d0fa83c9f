#include "sim/canonical/canonical.hpp"

namespace sim::canonical {

std::string_view CanonicalImplementation::name() const {
    switch (flaw_) {
        case Flaw::None: return "canonical";
        case Flaw::AckBeforeDurable: return "canonical-ack-before-durable";
        case Flaw::DropSetVote: return "canonical-drop-set-vote";
        case Flaw::TruncateOffByOne: return "canonical-truncate-off-by-one";
    }
    return "canonical";
}

const Implementation& implementation() {
    static const CanonicalImplementation canonical;
    return canonical;
}

}  // namespace sim::canonical
