#include "sim/process/process_node.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <map>
#include <mutex>

#include "core/assert.hpp"
#include "sim/implementations.hpp"
#include "sim/process/protocol.hpp"

extern char** environ;

namespace sim::process {

namespace {

// A broken protocol exchange is the implementation's fault: a finding of the run
// (core-invariant), with the node and what went wrong.
[[noreturn]] void broken(raft::NodeId id, const std::string& what) {
    throw raft::InvariantFailure(fmt::format("process node {}: {}", id, what));
}

class ProcessNode final : public NodeUnderTest {
public:
    ProcessNode(const std::string& command, const raft::Config& config,
                const raft::DurableState& durable)
        : id_(config.id), log_(durable.log) {
        spawn(command);
        send(Json{{"config", encode(config)}, {"durable", encode(durable)}});
        view_ = NodeView{.id = config.id,
                         .currentTerm = durable.currentTerm,
                         .votedFor = durable.votedFor,
                         .lastIndex = durable.log.size(),
                         .lastTerm = durable.log.empty() ? 0 : durable.log.back().term};
    }

    ~ProcessNode() override {
        if (in_ != nullptr) std::fclose(in_);  // the node sees end of input
        if (out_ != nullptr) std::fclose(out_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }

    void step(const raft::Input& input, raft::Actions& out) override {
        send(Json{{"input", encode(input)}});
        const Json reply = receive();
        try {
            const Json& actions = reply.at("actions");
            if (!actions.is_array()) broken(id_, "'actions' is not an array");
            for (const Json& a : actions) {
                out.push_back(decodeAction(a));
                mirror(out.back());
            }
            view_ = decodeView(reply.at("view"));
        } catch (const raft::InvariantFailure&) {
            throw;
        } catch (const std::exception& e) {
            broken(id_, fmt::format("bad reply: {}", e.what()));
        }
        if (view_.id != id_ || view_.lastIndex != log_.size() ||
            view_.lastTerm != (log_.empty() ? 0 : log_.back().term)) {
            broken(id_, fmt::format("its view (id {}, lastIndex {}, lastTerm {}) is not the log "
                                    "its writes built (id {}, lastIndex {})",
                                    view_.id, view_.lastIndex, view_.lastTerm, id_, log_.size()));
        }
    }

    NodeView view() const override { return view_; }

    std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const override {
        RAFT_ASSERT(first >= 1 && first <= last + 1 && last <= log_.size(),
                    "node={} first={} last={} lastIndex={}", id_, first, last, log_.size());
        return std::span<const raft::Entry>(log_).subspan(first - 1, last + 1 - first);
    }

private:
    void spawn(const std::string& command) {
        int toChild[2], fromChild[2];
        if (::pipe2(toChild, O_CLOEXEC) != 0 || ::pipe2(fromChild, O_CLOEXEC) != 0) {
            broken(id_, "cannot create pipes");
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0);
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1);
        const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
        const int rc = posix_spawn(&pid_, "/bin/sh", &actions, nullptr,
                                   const_cast<char* const*>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(toChild[0]);
        ::close(fromChild[1]);
        if (rc != 0) broken(id_, fmt::format("cannot start '{}'", command));
        in_ = ::fdopen(toChild[1], "w");
        out_ = ::fdopen(fromChild[0], "r");
    }

    void send(const Json& line) {
        const std::string text = line.dump() + "\n";
        if (std::fwrite(text.data(), 1, text.size(), in_) != text.size() || std::fflush(in_) != 0) {
            broken(id_, "its process stopped reading");
        }
    }

    Json receive() {
        std::string line;
        for (int c; (c = std::fgetc(out_)) != '\n';) {
            if (c == EOF) broken(id_, "its process closed its output (did it exit?)");
            if (line.size() >= kMaxLine) broken(id_, "a reply line longer than 64 MiB");
            line.push_back(static_cast<char>(c));
        }
        Json reply = Json::parse(line, nullptr, false);
        if (reply.is_discarded() || !reply.is_object()) {
            broken(id_, fmt::format("a reply that is not a JSON object: {:.80}", line));
        }
        return reply;
    }

    // The log changes only with the node's writes (core/io.hpp), so they rebuild it here.
    void mirror(const raft::Action& action) {
        const auto* write = std::get_if<raft::PersistEntries>(&action);
        if (write == nullptr) return;
        if (write->firstIndex > log_.size() + 1) {
            broken(id_, fmt::format("a write at index {} past its log's end {}", write->firstIndex,
                                    log_.size()));
        }
        log_.resize(write->firstIndex - 1);
        log_.insert(log_.end(), write->entries.begin(), write->entries.end());
    }

    static constexpr std::size_t kMaxLine = std::size_t{64} << 20;

    raft::NodeId id_;
    std::vector<raft::Entry> log_;
    NodeView view_;
    pid_t pid_ = -1;
    std::FILE* in_ = nullptr;
    std::FILE* out_ = nullptr;
};

}  // namespace

ProcessImplementation::ProcessImplementation(std::string command)
    : command_(std::move(command)), name_("process:" + command_) {
    // A node process that exits mid-write must end in a finding, not kill the simulator.
    std::signal(SIGPIPE, SIG_IGN);
}

std::unique_ptr<NodeUnderTest> ProcessImplementation::start(
    const raft::Config& config, const raft::DurableState& durable) const {
    return std::make_unique<ProcessNode>(command_, config, durable);
}

const Implementation* resolveImplementation(std::string_view name) {
    if (const Implementation* builtIn = implementationByName(name)) return builtIn;
    constexpr std::string_view kPrefix = "process:";
    if (!name.starts_with(kPrefix) || name.size() == kPrefix.size()) return nullptr;
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<ProcessImplementation>, std::less<>> made;
    const std::lock_guard lock(mutex);
    auto it = made.find(name);
    if (it == made.end()) {
        it = made.emplace(std::string(name), std::make_unique<ProcessImplementation>(
                                                 std::string(name.substr(kPrefix.size()))))
                 .first;
    }
    return it->second.get();
}

}  // namespace sim::process
