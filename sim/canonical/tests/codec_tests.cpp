// The codec carries every field canonical/raft puts on the wire, both ways.
#include <doctest/doctest.h>

#include <cstring>

#include "core/assert.hpp"
#include "sim/canonical/codec.hpp"

using namespace sim::canonical;

namespace {

const raft::Entry kCommand{.term = 7, .kind = raft::EntryKind::Command, .clientId = 3, .seq = 99,
                           .data = 0x0123'4567'89ab'cdefULL};

// A message through toCanonical and back, as the receiver's library and the sender's
// adapter see it.
raft::Message roundTrip(const raft::Message& m, int voters) {
    raft_message c = toCanonical(m);
    raft::Message back = toSim(c, m.from, voters);
    back.to = m.to;
    if (c.type == RAFT_IO_APPEND_ENTRIES && c.append_entries.entries != nullptr) {
        raft_free(c.append_entries.entries[0].batch);
        raft_free(c.append_entries.entries);
    }
    return back;
}

}  // namespace

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical codec: ids are nonzero and addresses name the node") {
    CHECK(serverId(0) == 1);
    CHECK(nodeId(1) == 0);
    CHECK(nodeId(0) == raft::kNoNode);
    CHECK(std::string(address(4)) == "n4");
}

TEST_CASE("canonical codec: a command's payload and the bootstrap configuration round-trip") {
    raft::Entry change{.term = 1, .kind = raft::EntryKind::Noop};
    raft_entry* batch = nullptr;
    {
        // The bootstrap configuration as the library encodes it is recognised...
        raft_configuration conf;
        bootstrapConfiguration(3, conf);
        raft_buffer buf{};
        REQUIRE(raft_configuration_encode(&conf, &buf) == 0);
        raft_configuration_close(&conf);
        change = toSim(raft_entry{.term = 1, .type = RAFT_CHANGE, .buf = buf, .batch = nullptr}, 3);
        raft_free(buf.base);
    }
    const raft::Entry entries[] = {kCommand, change};
    batch = toCanonical(entries, 2);
    REQUIRE(batch != nullptr);
    CHECK(batch[0].type == RAFT_COMMAND);
    CHECK(batch[0].buf.len == 16);
    CHECK(batch[1].type == RAFT_CHANGE);
    CHECK(batch[0].batch == batch[1].batch);  // one batch, as the library frees it
    CHECK(toSim(batch[0], 3) == kCommand);
    CHECK(toSim(batch[1], 3) == change);
    // ...and one for another cluster size is not passed off as it.
    CHECK_THROWS_AS(toSim(batch[1], 4), raft::InvariantFailure);
    raft_free(batch[0].batch);
    raft_free(batch);
}

TEST_CASE("canonical codec: every RPC field survives the trip") {
    raft::Message vote{.kind = raft::MsgKind::RequestVote, .from = 2, .to = 0, .term = 5,
                       .lastLogIndex = 9, .lastLogTerm = 4};
    CHECK(roundTrip(vote, 3) == vote);
    raft::Message pre = vote;
    pre.kind = raft::MsgKind::PreVote;
    CHECK(roundTrip(pre, 3) == pre);
    const raft::Message granted{.kind = raft::MsgKind::RequestVoteResponse, .from = 0, .to = 2,
                                .term = 5, .success = true};
    CHECK(roundTrip(granted, 3) == granted);
    const raft::Message preGranted{.kind = raft::MsgKind::PreVoteResponse, .from = 0, .to = 2,
                                   .term = 6, .success = true};
    CHECK(roundTrip(preGranted, 3) == preGranted);
    // A refused pre-vote echoes the request's term, which is not the voter's: it travels
    // aside, with no term to adopt.
    const raft::Message preRefused{.kind = raft::MsgKind::PreVoteResponse, .from = 0, .to = 2,
                                   .term = 0, .lastLogTerm = 6, .success = false};
    raft_message c = toCanonical(preRefused);
    CHECK(c.request_vote_result.term == 6);
    CHECK(c.request_vote_result.pre_vote == raft_tribool_true);
    CHECK(roundTrip(preRefused, 3) == preRefused);
    const raft::Message append{.kind = raft::MsgKind::AppendEntries, .from = 1, .to = 2, .term = 7,
                               .prevLogIndex = 3, .prevLogTerm = 6, .leaderCommit = 2,
                               .entries = {kCommand, kCommand}};
    CHECK(roundTrip(append, 3) == append);
    const raft::Message heartbeat{.kind = raft::MsgKind::AppendEntries, .from = 1, .to = 2,
                                  .term = 7, .prevLogIndex = 3, .prevLogTerm = 6, .leaderCommit = 2};
    CHECK(roundTrip(heartbeat, 3) == heartbeat);
    const raft::Message ack{.kind = raft::MsgKind::AppendEntriesResponse, .from = 2, .to = 1,
                            .term = 7, .success = true, .matchIndex = 5};
    CHECK(roundTrip(ack, 3) == ack);
    const raft::Message nack{.kind = raft::MsgKind::AppendEntriesResponse, .from = 2, .to = 1,
                             .term = 7, .success = false, .rejectedIndex = 3, .conflictIndex = 2};
    CHECK(roundTrip(nack, 3) == nack);
}

TEST_CASE("canonical codec: what cannot be carried is refused, not changed") {
    raft_message snapshot{};
    snapshot.type = RAFT_IO_INSTALL_SNAPSHOT;
    snapshot.server_id = 1;
    CHECK_THROWS_AS(toSim(snapshot, 0, 3), raft::InvariantFailure);
    unsigned char odd[5] = {};
    const raft_entry shortCommand{.term = 1, .type = RAFT_COMMAND, .buf = {odd, sizeof odd}, .batch = nullptr};
    CHECK_THROWS_AS(toSim(shortCommand, 3), raft::InvariantFailure);
    const raft::Entry untagged{.term = 1, .kind = raft::EntryKind::Noop, .data = 5};
    CHECK_THROWS_AS(toCanonical(&untagged, 1), raft::InvariantFailure);
}

TEST_SUITE_END();
