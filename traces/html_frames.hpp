// What the page's frames are made of (export_html.hpp): a node as the page shows it, and
// the row that turns one into the next (the log as entries kept plus entries appended).
#pragma once

#include <vector>

#include "core/node.hpp"
#include "traces/export_html.hpp"

namespace traces::html {

struct NodeView {
    int role = 0;  // 0 follower, 1 candidate, 2 leader, 3 down
    raft::Term term = 0;
    int vote = -1;
    raft::Index commit = 0;
    std::vector<raft::Term> log;
    int timers = -1;  // model traces: mc::EnvBit bits; -1 unknown
    // Thesis §4.1, §5.1: the configuration in use and the snapshot's last index, shown
    // once a node has changed its configuration or taken a snapshot (voters -1: not shown).
    int voters = -1;
    int learners = 0;
    raft::Index snapshot = 0;

    friend bool operator==(const NodeView&, const NodeView&) = default;
};

// A running node; `node == nullptr`: down, showing what `disk` holds (if given).
NodeView viewOf(const raft::Node* node, int timers);

// [i, role, term, vote, commit, keep, [appended terms], timers?, [voters, learners,
// snapshot]?] (the last when shown; timers is then -1 if unknown)
HtmlJson row(int i, const NodeView& before, const NodeView& after);

// An empty frame: time, label and the node the event happened to (-1: none).
HtmlJson frame(std::int64_t time, const std::string& label, int node);

constexpr int kKindCodes = 4;  // RequestVote, its response, AppendEntries, its response
int kindCode(raft::MsgKind kind);

}  // namespace traces::html
