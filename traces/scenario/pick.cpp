#include "traces/scenario/pick.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "traces/scenario/words.hpp"

namespace scenario {

namespace {

struct Pattern {
    raft::MsgKind kind{};
    int from = 0;
    int to = 0;
    std::vector<std::string> rest;  // each must be a word of the message's description
};

int endpoint(const std::string& text, const std::string& arrow, int nodes) {
    const std::optional<int> id = number(text);
    if (!id || *id >= nodes) {
        throw std::invalid_argument(fmt::format("bad node '{}' in '{}' (nodes are 0..{})", text, arrow, nodes - 1));
    }
    return *id;
}

Pattern parsePattern(std::span<const std::string> words, int nodes) {
    if (words.size() < 2) throw std::invalid_argument("expected a message: KIND FROM->TO [more words of it]");
    const std::optional<raft::MsgKind> kind = kindNamed(words[0]);
    if (!kind) {
        throw std::invalid_argument(fmt::format("unknown message kind '{}' (RequestVote, RequestVoteResponse, "
                                                "AppendEntries, AppendEntriesResponse, PreVote, PreVoteResponse, TimeoutNow, ReadIndex, "
                                                "ReadIndexResponse)", words[0]));
    }
    const std::size_t arrow = words[1].find("->");
    if (arrow == std::string::npos) throw std::invalid_argument(fmt::format("expected FROM->TO, got '{}'", words[1]));
    Pattern p{*kind, endpoint(words[1].substr(0, arrow), words[1], nodes),
              endpoint(words[1].substr(arrow + 2), words[1], nodes), {}};
    p.rest.assign(words.begin() + 2, words.end());
    return p;
}

bool matches(const raft::Message& m, const Pattern& p) {
    if (m.kind != p.kind || m.from != static_cast<raft::NodeId>(p.from) || m.to != static_cast<raft::NodeId>(p.to)) {
        return false;
    }
    const std::vector<std::string> said = splitWords(mc::describe(m));
    return std::all_of(p.rest.begin(), p.rest.end(),
                       [&](const std::string& w) { return std::find(said.begin() + 2, said.end(), w) != said.end(); });
}

std::string joined(const mc::Model& model, const std::vector<std::uint32_t>& ids) {
    std::string s;
    for (const std::uint32_t id : ids) s += fmt::format("{}{}", s.empty() ? "" : "; ", mc::describe(model.message(id)));
    return s.empty() ? "none" : s;
}

}  // namespace

std::optional<raft::MsgKind> kindNamed(const std::string& word) {
    static constexpr std::array<std::pair<std::string_view, raft::MsgKind>, 10> kShort{{
        {"vote", raft::MsgKind::RequestVote},
        {"vote-resp", raft::MsgKind::RequestVoteResponse},
        {"app", raft::MsgKind::AppendEntries},
        {"app-resp", raft::MsgKind::AppendEntriesResponse},
        {"prevote", raft::MsgKind::PreVote},
        {"prevote-resp", raft::MsgKind::PreVoteResponse},
        {"timeout-now", raft::MsgKind::TimeoutNow},
        {"read-index", raft::MsgKind::ReadIndex},
        {"read-index-resp", raft::MsgKind::ReadIndexResponse},
        {"snapshot", raft::MsgKind::InstallSnapshot},
    }};
    for (const auto& [shortName, kind] : kShort) {
        if (word == shortName || word == raft::name(kind)) return kind;
    }
    return std::nullopt;
}

std::uint32_t pickMessage(const mc::Model& model, const mc::State& s, std::span<const std::string> words) {
    const Pattern p = parsePattern(words, model.bounds().servers());
    std::vector<std::uint32_t> found;
    std::vector<std::uint32_t> inFlight;
    for (const mc::BagItem& item : s.bag) {
        inFlight.push_back(item.msg);
        if (matches(model.message(item.msg), p)) found.push_back(item.msg);
    }
    std::string said;
    for (const std::string& w : words) said += (said.empty() ? "" : " ") + w;
    if (found.empty()) {
        throw std::invalid_argument(fmt::format("no message '{}' in flight (in flight: {})", said, joined(model, inFlight)));
    }
    if (found.size() > 1) {
        throw std::invalid_argument(fmt::format("'{}' is ambiguous, {} messages match (say more of it): {}", said,
                                                found.size(), joined(model, found)));
    }
    return found.front();
}

}  // namespace scenario
