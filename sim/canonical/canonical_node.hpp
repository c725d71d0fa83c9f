// canonical/raft (the C library behind dqlite and LXD; Debian's libraft-dev) behind the
// node seam (sim/node_seam.hpp): one `struct raft` per node, with a `struct raft_io`
// and a `struct raft_fsm` of our own that turn the library's I/O into inputs and
// actions (docs/ADAPTERS.md, "canonical/raft").
#pragma once

#include "sim/canonical/raft_c.hpp"

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sim/node_seam.hpp"
#include "sim/rng.hpp"

namespace sim::canonical {

// Deliberately broken adapters, to see the checker catch what they break.
enum class Flaw : std::uint8_t {
    None,
    AckBeforeDurable,  // appends complete at once, and messages overtake the writes
    DropSetVote,       // io->set_vote writes nothing
    TruncateOffByOne,  // io->truncate and the appends after it land one index too far
    // Not a flaw but a patch, to triage a finding: a follower's acknowledgement claims
    // no more than figure 2's matchIndex (prevLogIndex + entries of the AppendEntries it
    // answers) instead of canonical/raft's last stored index (README.md, finding 1).
    Figure2Acks,
};

class CanonicalNode final : public NodeUnderTest {
public:
    CanonicalNode(const raft::Config& config, const raft::DurableState& durable, Flaw flaw);
    ~CanonicalNode() override;
    CanonicalNode(const CanonicalNode&) = delete;
    CanonicalNode& operator=(const CanonicalNode&) = delete;

    void step(const raft::Input& input, raft::Actions& out) override;
    NodeView view() const override;
    std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const override;
    // Exploration hooks (canonical_explore.cpp); no clone: the explorer replays inputs.
    std::optional<std::uint64_t> fingerprint() const override;
    void exploreTimeout(raft::Timer timer, raft::Actions& out) override;

private:
    // One write handed to the world, completed by its Persisted input (writes complete
    // in the order they were issued).
    struct Write {
        raft_io_append* append = nullptr;  // null: a hard-state write or a truncation
        raft_io_append_cb cb = nullptr;
        bool bootstrap = false;  // the bootstrap configuration entry
        raft::Index last = 0;     // an append: the index of its last entry
        raft::Index answers = 0;  // Flaw::Figure2Acks: prevLogIndex + entries it answers
    };
    struct SendDone {
        raft_io_send* req;
        raft_io_send_cb cb;
    };

    friend struct Io;  // the raft_io and raft_fsm callbacks (canonical_io.cpp)

    void start();
    void receive(const raft::Message& m);
    void tick();
    void propose(std::span<const raft::Entry> commands);
    void transfer(raft::NodeId target);
    raft::NodeId mostUpToDateFollower() const;
    void persisted(const raft::Persisted& p);
    void finishStep(std::size_t firstAction);
    void emit(raft::Action action) {
        if (out_ != nullptr) out_->push_back(std::move(action));
    }
    void persistHardState();
    void completeSends(int status);

    raft::Config config_;
    Flaw flaw_;
    Rng rng_;
    raft_io io_{};
    raft_fsm fsm_{};
    raft_tracer tracer_{};
    canonical_raft raft_{};
    struct raft_transfer transfer_{};  // the library holds it while a transfer is under way
    bool initialized_ = false;
    bool started_ = false;
    // Whether the bootstrap configuration entry is durable here: canonical/raft counts it
    // committed at once (every node bootstraps it), raftsim once it is on this disk.
    bool bootstrapDurable_ = false;

    // The node's stable storage as the library sees it through io: term, vote and log.
    raft::Term term_ = 0;
    raft::NodeId vote_ = raft::kNoNode;
    std::vector<raft::Entry> log_;
    raft::Index applied_ = 0;  // the last index handed to the world in an Apply

    raft_time nowMs_ = 0;  // the library's clock, advanced by ticks only
    unsigned tickMs_ = 0;
    raft_io_tick_cb tickCb_ = nullptr;
    raft_io_recv_cb recvCb_ = nullptr;
    std::deque<Write> writes_;
    std::vector<SendDone> sends_;                  // to complete once the call returns
    std::vector<Write> earlyAcks_;                 // Flaw::AckBeforeDurable
    raft::Actions* out_ = nullptr;                 // the step's actions, while it runs
    std::string failure_;  // what went wrong inside a library callback, reported after it
    // Flaw::Figure2Acks: the AppendEntries being answered now, as prevLogIndex + entries.
    raft::Index answering_ = 0;
};

// Fills in the node's raft_io, raft_fsm and tracer (canonical_io.cpp).
void installIo(CanonicalNode& node);

}  // namespace sim::canonical
