#include "traces/step/choices.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/bugs.hpp"
#include "traces/scenario/pick.hpp"
#include "traces/scenario/words.hpp"

namespace step {

namespace {

std::string_view shortKind(raft::MsgKind k) {
    switch (k) {
        case raft::MsgKind::RequestVote: return "vote";
        case raft::MsgKind::RequestVoteResponse: return "vote-resp";
        case raft::MsgKind::AppendEntries: return "app";
        case raft::MsgKind::AppendEntriesResponse: return "app-resp";
        default: return raft::name(k);
    }
}

// The scenario command of an event that carries no message, no timer and no client
// value; empty for the others.
std::string inputCommand(const mc::Event& e) {
    switch (e.kind) {
        case mc::EventKind::Transfer: return fmt::format("transfer {} {}", e.node, e.value);
        case mc::EventKind::Read: return fmt::format("read {}", e.node);
        case mc::EventKind::Change:
            return fmt::format("change {} {} {}", e.node, raft::name(mc::changeKindOf(e.value)), mc::changeServerOf(e.value));
        case mc::EventKind::Snapshot: return fmt::format("snapshot {}", e.node);
        case mc::EventKind::Crash: return fmt::format("crash {}", e.node);
        case mc::EventKind::Restart: return fmt::format("restart {}", e.node);
        case mc::EventKind::DiskDone: return fmt::format("disk-done {}", e.node);
        default: return "";
    }
}

bool picks(const mc::Model& model, const mc::State& s, const std::vector<std::string>& words, std::uint32_t id) {
    try {
        return scenario::pickMessage(model, s, words) == id;
    } catch (const std::invalid_argument&) {
        return false;
    }
}

std::string joinWords(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

void messageChoices(const scenario::Session& s, std::vector<Choice>& out) {
    const mc::Model& model = s.model();
    for (const mc::BagItem& item : s.state().bag) {
        const raft::Message& m = model.message(item.msg);
        const std::string name = messageWords(model, s.state(), item.msg);
        const bool up = (s.state().env[m.to] & mc::kUp) != 0;
        if (up && !s.blocked(m)) out.push_back({"deliver " + name});
        out.push_back({"drop " + name});
        if (item.count < static_cast<std::uint32_t>(model.bounds().maxCopies)) out.push_back({"duplicate " + name});
    }
}

void nodeChoices(const scenario::Session& s, int nextValue, std::vector<Choice>& out) {
    std::vector<mc::Event> enabled;
    s.model().enabled(s.state(), enabled);
    for (const mc::Event& e : enabled) {
        switch (e.kind) {
            case mc::EventKind::Timeout:
                out.push_back({fmt::format("{} {}", e.timer == raft::Timer::Heartbeat ? "heartbeat" : "timeout", e.node)});
                break;
            case mc::EventKind::Client:
                if (static_cast<int>(e.value) == nextValue) out.push_back({fmt::format("propose {}", e.node)});
                break;
            default:
                if (std::string c = inputCommand(e); !c.empty()) out.push_back({std::move(c)});
                break;
        }
    }
}

void networkChoices(const scenario::Session& s, std::vector<Choice>& out) {
    if (s.nodes() < 2) return;
    for (int i = 0; i < s.nodes(); ++i) {
        std::string rest;
        for (int j = 0; j < s.nodes(); ++j) {
            if (j != i) rest += fmt::format(" {}", j);
        }
        out.push_back({fmt::format("partition {} |{}", i, rest)});
    }
    for (int a = 0; a < s.nodes(); ++a) {
        for (int b = 0; b < s.nodes(); ++b) {
            const raft::Message probe{.from = static_cast<raft::NodeId>(a), .to = static_cast<raft::NodeId>(b)};
            if (a != b && !s.blocked(probe)) out.push_back({fmt::format("cut {}->{}", a, b)});
        }
    }
    if (!s.cuts().empty()) out.push_back({"heal"});
}

}  // namespace

std::string messageWords(const mc::Model& model, const mc::State& s, std::uint32_t id) {
    const raft::Message& m = model.message(id);
    const std::vector<std::string> said = scenario::splitWords(mc::describe(m));
    std::vector<std::string> words{std::string(shortKind(m.kind)), fmt::format("{}->{}", m.from, m.to)};
    for (std::size_t k = 2; k < said.size() && !picks(model, s, words, id); ++k) words.push_back(said[k]);
    return joinWords(words);
}

std::vector<Choice> choices(const scenario::Session& s, int nextValue) {
    std::vector<Choice> out;
    if (s.violation()) return out;
    messageChoices(s, out);
    nodeChoices(s, nextValue, out);
    networkChoices(s, out);
    return out;
}

std::string commandFor(const scenario::Session& s, const mc::PathStep& step) {
    const mc::Event& e = step.event;
    switch (e.kind) {
        case mc::EventKind::Timeout:
            return fmt::format("{} {}", e.timer == raft::Timer::Heartbeat ? "heartbeat" : "timeout", e.node);
        case mc::EventKind::Client: return fmt::format("propose {} {}", e.node, e.value);
        default:
            if (std::string c = inputCommand(e); !c.empty()) return c;
            break;
    }
    for (const mc::BagItem& item : s.state().bag) {
        if (s.model().message(item.msg) == step.message) {
            return fmt::format("{} {}", mc::name(e.kind), messageWords(s.model(), s.state(), item.msg));
        }
    }
    throw std::invalid_argument(fmt::format("'{}': the message is not in flight", step.text));
}

std::string clusterCommand(const mc::Bounds& b) {
    std::string out = fmt::format("cluster {}", b.nodes);
    if (b.checkQuorum) out += " check-quorum";
    if (b.emptyHeartbeats) out += " empty-heartbeats";
    if (b.asyncWrites) out += " async-writes";
    if (b.preVote) out += " pre-vote";
    if (b.transfers > 0) out += " transfers";
    if (b.followerReads) {
        out += " follower-reads";
    } else if (b.reads > 0) {
        out += " reads";
    }
    if (b.spares > 0) out += fmt::format(" spares={}", b.spares);
    if (b.configChanges > 0 && b.spares == 0) out += " membership";
    if (b.snapshots > 0) out += " snapshots";
    if (b.maxBatch != mc::kMaxLog) out += fmt::format(" batch={}", b.maxBatch);
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (b.bugs.has(info.bug)) out += fmt::format(" bug={}", info.name);
    }
    return out;
}

}  // namespace step
