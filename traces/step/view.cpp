#include "traces/step/view.hpp"

#include <fmt/format.h>

#include "sim/findings.hpp"

namespace step {

namespace {

constexpr std::string_view kReset = "\x1b[0m";

std::string coloured(std::string_view text, std::string_view code, bool colour) {
    if (!colour) return std::string(text);
    return fmt::format("\x1b[{}m{}{}", code, text, kReset);
}

std::string_view roleColour(raft::Role role) {
    switch (role) {
        case raft::Role::Leader: return "1;32";
        case raft::Role::Candidate: return "1;33";
        default: return "34";
    }
}

std::string logWithCommit(const std::vector<raft::Term>& log, raft::Index commit) {
    if (log.empty()) return "[]";
    std::string s = "[";
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (i > 0 && i != commit) s += ",";
        if (i == commit) s += "|";
        s += fmt::format("{}", log[i]);
    }
    if (commit == log.size()) s += "|";
    return s + "]";
}

std::string plainLog(const std::vector<raft::Term>& log) {
    std::string s;
    for (const raft::Term t : log) s += fmt::format("{}{}", s.empty() ? "" : ",", t);
    return "[" + s + "]";
}

std::string voteSet(raft::NodeSet set) {
    std::string s;
    for (int i = 0; i < mc::kMaxNodes; ++i) {
        if (raft::contains(set, static_cast<raft::NodeId>(i))) s += fmt::format("{}{}", s.empty() ? "" : ",", i);
    }
    return s.empty() ? "-" : s;
}

std::string timers(std::uint8_t env) {
    std::string s;
    if ((env & mc::kElectionArmed) != 0) s += "election";
    if ((env & mc::kHeartbeatArmed) != 0) s += s.empty() ? "heartbeat" : ",heartbeat";
    return s.empty() ? "-" : s;
}

// With membership changes or snapshots: " voters={0,1} learners={2} snapshot=(4,t1)".
std::string membershipText(const scenario::Session& s, const raft::Node& n) {
    if (!s.model().bounds().changesConfigOrLog()) return "";
    std::string out = " voters=" + sim::findings::idSet(n.membership().voters);
    if (n.membership().learners != 0) out += " learners=" + sim::findings::idSet(n.membership().learners);
    if (n.log().snapshotIndex() > 0) out += fmt::format(" snapshot=({},t{})", n.log().snapshotIndex(), n.log().snapshotTerm());
    return out;
}

std::string upNode(const scenario::Session& s, int i, bool colour) {
    const raft::Node& n = s.model().node(s.state(), i);
    const std::string vote = n.votedFor() == raft::kNoNode ? "-" : fmt::format("{}", n.votedFor());
    const std::string votes = n.role() == raft::Role::Follower ? "-" : voteSet(n.votesGranted());
    const mc::NodeRecord r = mc::nodeRecord(n, false);
    return fmt::format("n{} {} t{} vote={} votes={} log={} timers={}{}", i,
                       coloured(fmt::format("{:<9}", raft::name(n.role())), roleColour(n.role()), colour),
                       n.currentTerm(), vote, votes, logWithCommit(r.log, n.commitIndex() - n.log().snapshotIndex()), timers(s.state().env[i]),
                       membershipText(s, n));
}

}  // namespace

std::vector<std::string> nodesView(const scenario::Session& s, bool colour) {
    std::vector<std::string> out{coloured("nodes:", "1", colour)};
    const mc::StepRecord record = mc::snapshot(s.model(), s.state());
    for (int i = 0; i < s.nodes(); ++i) {
        if ((s.state().env[i] & mc::kUp) != 0) {
            out.push_back("  " + upNode(s, i, colour));
            continue;
        }
        const mc::NodeRecord& r = record.nodes[i];
        const std::string vote = r.votedFor == raft::kNoNode ? "-" : fmt::format("{}", r.votedFor);
        out.push_back(fmt::format("  n{} {} on disk: t{} vote={} log={}", i, coloured("down     ", "31", colour),
                                  r.currentTerm, vote, plainLog(r.log)));
    }
    return out;
}

std::vector<std::string> flightView(const scenario::Session& s) {
    std::uint32_t total = 0;
    for (const mc::BagItem& item : s.state().bag) total += item.count;
    std::vector<std::string> out{total == 0 ? "in flight: none" : fmt::format("in flight ({}):", total)};
    for (const mc::BagItem& item : s.state().bag) {
        const raft::Message& m = s.model().message(item.msg);
        std::string note;
        if (item.count > 1) note += fmt::format(" (x{})", item.count);
        if (s.blocked(m)) note += " [link cut]";
        if ((s.state().env[m.to] & mc::kUp) == 0) note += " [receiver down]";
        out.push_back(fmt::format("  {}{}", mc::describe(m), note));
    }
    std::string cuts;
    for (const auto& [a, b] : s.cuts()) cuts += fmt::format(" {}->{}", a, b);
    if (!cuts.empty()) out.push_back("cut:" + cuts);
    return out;
}

std::vector<std::string> choicesView(const std::vector<Choice>& list, bool colour) {
    std::vector<std::string> out{coloured("next (a number, a command, back, run until leader|commit|quiet, save FILE, help):", "1", colour)};
    for (std::size_t k = 0; k < list.size(); ++k) {
        out.push_back(fmt::format("  {} {}", coloured(fmt::format("{:>2}", k + 1), "36", colour), list[k].command));
    }
    return out;
}

std::string paint(const std::string& line, bool colour) {
    if (!colour) return line;
    if (line.find("VIOLATED") != std::string::npos) return coloured(line, "1;31", true);
    if (line.rfind("  + ", 0) == 0) return coloured(line, "2", true);
    return line;
}

}  // namespace step
