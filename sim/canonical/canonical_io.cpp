// The raft_io and raft_fsm that canonical/raft runs on inside raftsim: storage calls
// become PersistHardState and PersistEntries actions, sends become Send actions, and
// the clock and randomness come from the node's inputs, never from the machine.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/assert.hpp"
#include "sim/canonical/canonical_node.hpp"
#include "sim/canonical/codec.hpp"

namespace sim::canonical {

struct Io {
    static CanonicalNode& node(raft_io* io) { return *static_cast<CanonicalNode*>(io->impl); }

    // A C callback must not throw through the library: a failure is kept and reported
    // once the library call returns (CanonicalNode::finishStep), and the library sees an
    // I/O error meanwhile.
    template <typename F>
    static int guarded(raft_io* io, F&& body) {
        CanonicalNode& n = node(io);
        try {
            return body(n);
        } catch (const raft::InvariantFailure& failure) {
            if (n.failure_.empty()) n.failure_ = failure.what();
            return RAFT_IOERR;
        }
    }

    static int init(raft_io*, raft_id, const char*) { return 0; }

    // The library's close: pending writes are cancelled (RAFT_CANCELED, as canonical/raft
    // expects of its I/O), then the library's close callback runs, all before the node's
    // destructor returns.
    static void close(raft_io* io, raft_io_close_cb cb) {
        CanonicalNode& n = node(io);
        n.out_ = nullptr;
        // Newest first: canonical/raft 0.15's leader truncates its log from a cancelled
        // append's first index, and a second, older cancellation would then truncate
        // past the end (fixed upstream in v0.17.1, 8b9c95c).
        std::deque<CanonicalNode::Write> writes;
        writes.swap(n.writes_);
        for (auto w = writes.rbegin(); w != writes.rend(); ++w) {
            if (w->cb != nullptr) w->cb(w->append, RAFT_CANCELED);
        }
        for (const CanonicalNode::Write& w : n.earlyAcks_) w.cb(w.append, RAFT_CANCELED);
        n.earlyAcks_.clear();
        n.completeSends(RAFT_CANCELED);
        if (cb != nullptr) cb(io);
    }

    static int load(raft_io* io, raft_term* term, raft_id* votedFor, raft_snapshot** snapshot,
                    raft_index* startIndex, raft_entry* entries[], size_t* nEntries) {
        return guarded(io, [&](CanonicalNode& n) {
            *term = n.term_;
            *votedFor = n.vote_ == raft::kNoNode ? 0 : serverId(n.vote_);
            *snapshot = nullptr;
            *startIndex = 1;
            *entries = toCanonical(n.log_.data(), n.log_.size());
            *nEntries = n.log_.size();
            return 0;
        });
    }

    static int start(raft_io* io, unsigned msecs, raft_io_tick_cb tick, raft_io_recv_cb recv) {
        CanonicalNode& n = node(io);
        n.tickMs_ = msecs;
        n.tickCb_ = tick;
        n.recvCb_ = recv;
        return 0;
    }

    // A pristine node: term 1, no vote, and the configuration entry at index 1, the same
    // on every node (canonical/raft's own I/O writes the same).
    static int bootstrap(raft_io* io, const raft_configuration* conf) {
        return guarded(io, [&](CanonicalNode& n) {
            if (!n.log_.empty()) return RAFT_CANTBOOTSTRAP;
            raft_buffer buf{};
            if (const int rv = raft_configuration_encode(conf, &buf); rv != 0) return rv;
            const raft_entry entry{.term = 1, .type = RAFT_CHANGE, .buf = buf, .batch = nullptr};
            raft::Entry change;
            try {
                change = toSim(entry, n.config_.clusterSize);
            } catch (...) {
                raft_free(buf.base);
                throw;
            }
            raft_free(buf.base);
            n.term_ = 1;
            n.vote_ = raft::kNoNode;
            n.persistHardState();
            n.log_.assign(1, change);
            n.emit(raft::PersistEntries{1, n.log_});
            n.writes_.push_back(CanonicalNode::Write{.bootstrap = true});
            return 0;
        });
    }

    static int recover(raft_io*, const raft_configuration*) { return RAFT_NOTFOUND; }

    // canonical/raft's set_term also forgets the vote; both travel in one write.
    static int setTerm(raft_io* io, raft_term term) {
        CanonicalNode& n = node(io);
        n.term_ = term;
        n.vote_ = raft::kNoNode;
        n.persistHardState();
        return 0;
    }

    static int setVote(raft_io* io, raft_id server) {
        CanonicalNode& n = node(io);
        n.vote_ = nodeId(server);
        if (n.flaw_ != Flaw::DropSetVote) n.persistHardState();
        return 0;
    }

    static int send(raft_io* io, raft_io_send* req, const raft_message* message,
                    raft_io_send_cb cb) {
        return guarded(io, [&](CanonicalNode& n) {
            // After a leadership transfer, 0.15 can address an append result to server 0
            // (no server: it has forgotten the leader). A real transport finds no such
            // address; the message goes nowhere.
            if (message->server_id == 0 || message->server_id > raft_id(n.config_.clusterSize)) {
                n.sends_.push_back(CanonicalNode::SendDone{req, cb});
                return 0;
            }
            raft::Message m = toSim(*message, n.config_.id, n.config_.clusterSize);
            if (n.flaw_ == Flaw::Figure2Acks && m.kind == raft::MsgKind::AppendEntriesResponse &&
                m.success && n.answering_ > 0) {
                m.matchIndex = std::min(m.matchIndex, n.answering_);
            }
            n.emit(raft::Send{std::move(m)});
            n.sends_.push_back(CanonicalNode::SendDone{req, cb});
            return 0;
        });
    }

    // The entries go to the end of the log the I/O holds; the callback waits for the
    // world's Persisted input for this write.
    static int append(raft_io* io, raft_io_append* req, const raft_entry entries[], unsigned n,
                      raft_io_append_cb cb) {
        return guarded(io, [&](CanonicalNode& node) {
            raft::PersistEntries write{node.log_.size() + 1, {}};
            write.entries.reserve(n);
            for (unsigned i = 0; i < n; ++i) {
                write.entries.push_back(toSim(entries[i], node.config_.clusterSize));
            }
            node.log_.insert(node.log_.end(), write.entries.begin(), write.entries.end());
            node.emit(std::move(write));
            const CanonicalNode::Write done{
                .append = req, .cb = cb, .last = node.log_.size(), .answers = node.answering_};
            if (node.flaw_ == Flaw::AckBeforeDurable) {
                node.earlyAcks_.push_back(done);
                node.writes_.push_back(CanonicalNode::Write{});
            } else {
                node.writes_.push_back(done);
            }
            return 0;
        });
    }

    // Deletes the entries from `index` on.
    static int truncate(raft_io* io, raft_index index) {
        return guarded(io, [&](CanonicalNode& n) {
            RAFT_ASSERT(index >= 1 && index <= n.log_.size() + 1, "truncate at {} of a log of {}",
                        index, n.log_.size());
            const raft_index kept = n.flaw_ == Flaw::TruncateOffByOne ? index : index - 1;
            n.log_.resize(std::min<std::size_t>(kept, n.log_.size()));
            n.emit(raft::PersistEntries{n.log_.size() + 1, {}});
            n.writes_.push_back(CanonicalNode::Write{});
            return 0;
        });
    }

    // No snapshots: the threshold is set so high that the library never takes one, and
    // never needs one to send.
    static int snapshotPut(raft_io*, unsigned, raft_io_snapshot_put*, const raft_snapshot*,
                           raft_io_snapshot_put_cb) {
        return RAFT_NOTFOUND;
    }
    static int snapshotGet(raft_io*, raft_io_snapshot_get*, raft_io_snapshot_get_cb) {
        return RAFT_NOTFOUND;
    }

    static raft_time time(raft_io* io) { return node(io).nowMs_; }

    static int random(raft_io* io, int min, int max) {
        return static_cast<int>(node(io).rng_.between(min, max));
    }

    // The state machine is the world's (sim/kv.hpp): the node reports applied entries
    // with Apply actions (CanonicalNode::finishStep), so the FSM itself does nothing.
    static int fsmApply(raft_fsm*, const raft_buffer*, void** result) {
        *result = nullptr;
        return 0;
    }
    static int fsmSnapshot(raft_fsm*, raft_buffer**, unsigned*) { return RAFT_NOTFOUND; }
    static int fsmRestore(raft_fsm*, raft_buffer*) { return RAFT_NOTFOUND; }

    static void noTrace(raft_tracer*, const char*, int, const char*) {}

    static void install(CanonicalNode& n) {
        n.io_ = raft_io{};
        n.io_.version = 1;
        n.io_.impl = &n;
        n.io_.init = init;
        n.io_.close = close;
        n.io_.load = load;
        n.io_.start = start;
        n.io_.bootstrap = bootstrap;
        n.io_.recover = recover;
        n.io_.set_term = setTerm;
        n.io_.set_vote = setVote;
        n.io_.send = send;
        n.io_.append = append;
        n.io_.truncate = truncate;
        n.io_.snapshot_put = snapshotPut;
        n.io_.snapshot_get = snapshotGet;
        n.io_.time = time;
        n.io_.random = random;
        n.fsm_ = raft_fsm{};
        n.fsm_.version = 1;
        n.fsm_.apply = fsmApply;
        n.fsm_.snapshot = fsmSnapshot;
        n.fsm_.restore = fsmRestore;
        n.tracer_ = raft_tracer{.impl = nullptr, .enabled = false, .emit = noTrace};
    }
};

void installIo(CanonicalNode& node) { Io::install(node); }

}  // namespace sim::canonical
