// The process protocol's encoding (sim/process/protocol.hpp): every input and action
// survives the round trip, and a malformed line is refused with the field it breaks.
#include <doctest/doctest.h>

#include <stdexcept>

#include "core/node.hpp"
#include "sim/process/protocol.hpp"

using namespace sim::process;

namespace {

raft::Message sample() {
    return raft::Message{.kind = raft::MsgKind::AppendEntries, .from = 1, .to = 2, .term = 7,
                         .lastLogIndex = 3, .lastLogTerm = 2, .prevLogIndex = 4, .prevLogTerm = 6,
                         .leaderCommit = 4,
                         .entries = {{.term = 7, .kind = raft::EntryKind::Command, .clientId = 9,
                                      .seq = 11, .data = 0xFFFF'FFFF'FFFF'FFFFULL}},
                         .success = true, .matchIndex = 5, .rejectedIndex = 1, .conflictIndex = 2,
                         .conflictTerm = 3};
}

raft::Snapshot snapshotSample() {
    return raft::Snapshot{.meta = {.lastIncludedIndex = 5, .lastIncludedTerm = 2, .voters = 0b111, .learners = 0b1000},
                          .handle = 42,
                          .hash = 0x1234'5678'9abc'def0ULL};
}

}  // namespace

TEST_SUITE_BEGIN("process");

TEST_CASE("process protocol: every input round-trips") {
    const raft::Input inputs[] = {
        raft::Start{},
        raft::Receive{sample()},
        raft::Timeout{raft::Timer::Heartbeat},
        raft::Propose{raft::Entry{.kind = raft::EntryKind::Command, .clientId = 1, .seq = 2, .data = 3}},
        raft::ProposeBatch{{raft::Entry{.data = 1}}},
        raft::Persisted{4, 5, 6},
        raft::TransferLeadership{2},
        raft::TransferLeadership{raft::kNoNode},
        raft::ChangeMembership{raft::ChangeKind::RemoveServer, 4},
        raft::Propose{raft::configurationEntry(raft::Membership{.voters = 0b111, .learners = 0b1000})},
        raft::TakeSnapshot{.index = 4, .handle = 77, .hash = 0xFFFF'FFFF'FFFF'FFFFULL},
    };
    for (const raft::Input& in : inputs) {
        CAPTURE(encode(in).dump());
        const raft::Input back = decodeInput(Json::parse(encode(in).dump()));
        REQUIRE(back.index() == in.index());
        CHECK(encode(back) == encode(in));
    }
    const auto back = decodeInput(encode(raft::Input{raft::Receive{sample()}}));
    CHECK(std::get<raft::Receive>(back).message == sample());
    raft::Message snap{.kind = raft::MsgKind::InstallSnapshot, .from = 0, .to = 1,
                       .snapshotVoters = 0b111, .snapshotLearners = 0b1000, .term = 3};
    const auto backSnap = decodeInput(encode(raft::Input{raft::Receive{snap}}));
    CHECK(std::get<raft::Receive>(backSnap).message == snap);
}

TEST_CASE("process protocol: every action round-trips") {
    const raft::Action actions[] = {
        raft::PersistHardState{3, raft::kNoNode},
        raft::PersistEntries{2, {raft::Entry{.term = 1}}},
        raft::Send{sample()},
        raft::Send{raft::Message{.kind = raft::MsgKind::PreVoteResponse, .from = 0, .to = 1}},
        raft::Apply{1, 3},
        raft::ArmTimer{raft::Timer::Election, 150'000, 300'000},
        raft::CancelTimer{raft::Timer::Heartbeat},
        raft::ChangeReply{.accepted = true, .kind = raft::ChangeKind::AddVoter, .node = 3, .index = 9,
                          .term = 2, .leaderHint = 0},
        raft::ChangeReply{.kind = raft::ChangeKind::DemoteVoter, .node = 1,
                          .reason = raft::ChangeRefusal::TermNotCommitted},
        raft::ProposeReply{.accepted = false, .leaderHint = 2, .clientId = 5, .seq = 6},
        raft::Send{raft::Message{.kind = raft::MsgKind::TimeoutNow, .from = 0, .to = 1, .term = 4}},
        raft::Send{raft::Message{.kind = raft::MsgKind::RequestVote, .from = 1, .to = 2, .term = 5,
                                 .leadershipTransfer = true}},
        raft::TransferReply{.accepted = true, .target = 1},
        raft::TransferReply{.target = raft::kNoNode, .reason = raft::TransferRefusal::InProgress},
        raft::PersistSnapshot{.snapshot = snapshotSample(), .keepLog = false},
        raft::RestoreSnapshot{.snapshot = snapshotSample()},
    };
    for (const raft::Action& a : actions) {
        CAPTURE(encode(a).dump());
        const raft::Action back = decodeAction(Json::parse(encode(a).dump()));
        REQUIRE(back.index() == a.index());
        CHECK(encode(back) == encode(a));
    }
}

TEST_CASE("process protocol: config, disk and view round-trip") {
    const raft::Config c{.id = 2, .clusterSize = 5, .checkQuorum = true, .preVote = true};
    CHECK(decodeConfig(encode(c)) == c);
    CHECK_FALSE(encode(c).contains("joinsCluster"));  // written only when on
    // A server joining later (thesis §4.1) may have an id past the bootstrap size.
    const raft::Config joining{.id = 6, .clusterSize = 3, .joinsCluster = true,
                               .disregardVotesWithLeader = true};
    CHECK(decodeConfig(encode(joining)) == joining);
    const raft::DurableState d{.currentTerm = 4, .votedFor = 1, .log = {{.term = 1}, {.term = 4}}};
    CHECK(decodeDurable(encode(d)) == d);
    CHECK_FALSE(encode(d).contains("snapshot"));  // written only when there is one
    const raft::DurableState s{.currentTerm = 4, .log = {{.term = 4}}, .snapshot = snapshotSample()};
    CHECK(decodeDurable(encode(s)) == s);
    const sim::NodeView v{.id = 1, .role = raft::Role::PreCandidate, .currentTerm = 3, .votedFor = 1,
                          .commitIndex = 2, .lastIndex = 4, .lastTerm = 3};
    CHECK(encode(decodeView(encode(v))) == encode(v));
    CHECK_FALSE(encode(v).contains("transferTarget"));  // written only during a transfer
    const sim::NodeView leader{.id = 0, .role = raft::Role::Leader, .currentTerm = 3, .transferTarget = 2};
    CHECK(decodeView(encode(leader)).transferTarget == 2);
}

TEST_CASE("process protocol: a malformed line names the field it breaks") {
    auto refuses = [](const char* text, const char* needle, auto decode) {
        CAPTURE(text);
        try {
            decode(Json::parse(text));
            FAIL("accepted");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find(needle) != std::string::npos);
        }
    };
    refuses(R"({"type":"dance"})", "'type'", decodeInput);
    refuses(R"({"type":"timeout","timer":"lunch"})", "'timer'", decodeInput);
    refuses(R"({"type":"persist-entries","firstIndex":0,"entries":[]})", "'firstIndex'", decodeAction);
    refuses(R"({"type":"apply","firstIndex":3,"lastIndex":2})", "'lastIndex'", decodeAction);
    refuses(R"({"type":"persist-hard-state","currentTerm":-1,"votedFor":null})", "'currentTerm'",
            decodeAction);
    refuses(R"({"type":"send","message":{"kind":"Gossip"}})", "'kind'", decodeAction);
    refuses(R"({"id":0,"role":"king","currentTerm":0})", "'role'", decodeView);
    refuses(R"({"id":3,"clusterSize":3})", "'clusterSize'", decodeConfig);
}

TEST_SUITE_END();
