#!/usr/bin/env python3
"""A small Raft node (the Raft paper's figure 2, §5) speaking raftsim's process protocol.

raftsim runs one such process per node (`raftsim sweep --impl 'process:python3 raft_node.py'`)
and talks to it one JSON object per line (docs/ADAPTERS.md, sim/process/protocol.hpp):

    world -> node, first line:  {"config": CONFIG, "durable": {"currentTerm", "votedFor", "log"}}
    world -> node, then:        {"input": INPUT}
    node -> world, per input:   {"actions": [ACTION...], "view": VIEW}

The node never reads a clock and draws no random number: it asks for timers with a
range (arm-timer) and the world picks the moment from its seed, so runs replay exactly.

Durability (thesis §3.8): the node reports its writes as persist-hard-state and
persist-entries actions, listed before any send, apply or reply that depends on them;
the world carries out nothing after a write until the write is on disk. After each
write the world says what its disk holds (a persisted input): the node counts itself
in a quorum only for that, its own vote once its term is durable and its own log up
to the durable entry.

Not implemented: PreVote, CheckQuorum, leadership transfer (refused), pipelining.

`--bug NAME` (or RAFT_NODE_BUG=NAME) breaks the node on purpose, to show that raftsim
catches it; the switch on the command line is part of --impl, so traces and repro lines
carry it:
    no-log-check   grant votes without the up-to-date check (§5.4.1)
"""
import json
import os
import sys

BUG = sys.argv[2] if sys.argv[1:2] == ["--bug"] and len(sys.argv) > 2 else os.environ.get("RAFT_NODE_BUG", "")
if BUG not in ("", "no-log-check"):
    sys.exit(f"raft_node.py: unknown bug {BUG!r} (known: no-log-check)")

FOLLOWER, CANDIDATE, LEADER = "follower", "candidate", "leader"


def message(kind, sender, to, term, **fields):
    """A message with every field of raft::Message; the ones not given are zero."""
    m = {"kind": kind, "from": sender, "to": to, "term": term,
         "lastLogIndex": 0, "lastLogTerm": 0, "prevLogIndex": 0, "prevLogTerm": 0,
         "leaderCommit": 0, "entries": [], "success": False,
         "matchIndex": 0, "rejectedIndex": 0, "conflictIndex": 0, "conflictTerm": 0}
    m.update(fields)
    return m


class RaftNode:
    def __init__(self, config, durable):
        self.config = config
        self.id = config["id"]
        self.cluster_size = config["clusterSize"]
        self.quorum = self.cluster_size // 2 + 1
        # Persistent state on all servers (figure 2), as the disk held it at start.
        self.current_term = durable["currentTerm"]
        self.voted_for = durable["votedFor"]
        self.log = list(durable["log"])  # log[i - 1] is the entry at index i
        self.stable_index = len(self.log)  # the last index known to be on disk
        # Volatile state on all servers: every entry up to commit_index is applied.
        self.commit_index = 0
        self.role = FOLLOWER
        self.leader_id = None
        self.votes = set()  # candidates: who granted us their vote this term
        # Volatile state on leaders, reinitialized after each election.
        self.next_index = {}
        self.match_index = {}
        self.actions = []  # what the current step asks the world to do, in order

    # ---- the log (indices from 1; index 0 is the empty prefix, of term 0) ----

    def last_index(self):
        return len(self.log)

    def term_at(self, index):
        return self.log[index - 1]["term"] if index > 0 else 0

    def peers(self):
        return [p for p in range(self.cluster_size) if p != self.id]

    # ---- actions ----

    def emit(self, action_type, **fields):
        self.actions.append({"type": action_type, **fields})

    def send(self, kind, to, **fields):
        self.emit("send", message=message(kind, self.id, to, self.current_term, **fields))

    def persist_hard_state(self):
        self.emit("persist-hard-state", currentTerm=self.current_term, votedFor=self.voted_for)

    def persist_entries(self, first_index):
        """The durable log becomes its entries before first_index, then ours from there."""
        self.emit("persist-entries", firstIndex=first_index, entries=self.log[first_index - 1:])

    def arm_election_timer(self):
        self.emit("arm-timer", timer="election",
                  minUs=self.config["electionTimeoutMinUs"], maxUs=self.config["electionTimeoutMaxUs"])

    def arm_heartbeat_timer(self):
        interval = self.config["heartbeatIntervalUs"]
        self.emit("arm-timer", timer="heartbeat", minUs=interval, maxUs=interval)

    def commit_to(self, index):
        """Raise commit_index and apply what it newly covers, in order, exactly once."""
        if index <= self.commit_index:
            return
        self.emit("apply", firstIndex=self.commit_index + 1, lastIndex=index)
        self.commit_index = index

    # ---- role changes ----

    def become_follower(self, term, leader):
        was_leader = self.role == LEADER
        if term > self.current_term:
            self.current_term, self.voted_for = term, None
            self.persist_hard_state()
        self.role, self.leader_id, self.votes = FOLLOWER, leader, set()
        if was_leader:
            self.emit("cancel-timer", timer="heartbeat")
            self.arm_election_timer()

    def become_candidate(self):
        # §5.2: a new term, a vote for ourselves (counted once it is durable), a new timer.
        self.role, self.leader_id, self.votes = CANDIDATE, None, set()
        self.current_term += 1
        self.voted_for = self.id
        self.persist_hard_state()
        self.arm_election_timer()  # a split vote times out into a new term
        for peer in self.peers():
            self.send("RequestVote", peer,
                      lastLogIndex=self.last_index(), lastLogTerm=self.term_at(self.last_index()))

    def count_vote(self, voter):
        self.votes.add(voter)
        if self.role == CANDIDATE and len(self.votes) >= self.quorum:
            self.become_leader()

    def become_leader(self):
        self.role, self.leader_id = LEADER, self.id
        self.next_index = {p: self.last_index() + 1 for p in self.peers()}
        self.match_index = {p: 0 for p in self.peers()}
        self.emit("cancel-timer", timer="election")
        self.arm_heartbeat_timer()
        # A no-op of the new term lets earlier entries commit without a client (§5.4.2, §8).
        self.append_as_leader([{"term": 0, "kind": "noop", "clientId": 0, "seq": 0, "data": 0}])

    # ---- leader: replication and commitment ----

    def append_as_leader(self, entries):
        first = self.last_index() + 1
        for entry in entries:
            self.log.append({**entry, "term": self.current_term})
        self.persist_entries(first)
        for peer in self.peers():
            self.send_append(peer)

    def send_append(self, peer):
        """AppendEntries with the entries from next_index on (none if the follower has them)."""
        prev = self.next_index[peer] - 1
        last = min(self.last_index(), prev + self.config["maxEntriesPerAppend"])
        self.send("AppendEntries", peer, prevLogIndex=prev, prevLogTerm=self.term_at(prev),
                  leaderCommit=self.commit_index, entries=self.log[prev:last])

    def advance_commit(self):
        # §5.3, §5.4.2: the highest N stored on a majority (ourselves only as far as our
        # disk holds) is committed, if log[N] is of our term. Earlier terms' entries
        # commit with it, never by counting their own replicas (figure 8).
        matched = sorted([self.stable_index, *self.match_index.values()], reverse=True)
        n = matched[self.quorum - 1]
        if n > self.commit_index and self.term_at(n) == self.current_term:
            self.commit_to(n)

    # ---- inputs ----

    def on_timeout(self, timer):
        if timer == "election" and self.role != LEADER:
            self.become_candidate()
        elif timer == "heartbeat" and self.role == LEADER:
            for peer in self.peers():
                self.send_append(peer)
            self.arm_heartbeat_timer()

    def on_propose(self, entries):
        if self.role != LEADER:
            for e in entries:
                self.emit("propose-reply", accepted=False, index=0, term=0,
                          leaderHint=self.leader_id, clientId=e["clientId"], seq=e["seq"])
            return
        first = self.last_index() + 1
        self.append_as_leader([{**e, "kind": "command"} for e in entries])
        for k, e in enumerate(entries):
            self.emit("propose-reply", accepted=True, index=first + k, term=self.current_term,
                      leaderHint=self.id, clientId=e["clientId"], seq=e["seq"])

    def on_persisted(self, p):
        # The disk's log ends at (lastIndex, lastTerm): if ours holds that entry, the two
        # agree up to it (log matching).
        if p["lastIndex"] <= self.last_index() and self.term_at(p["lastIndex"]) == p["lastTerm"]:
            self.stable_index = p["lastIndex"]
        if self.role == CANDIDATE and p["currentTerm"] == self.current_term:
            self.count_vote(self.id)  # our term, and so our vote for ourselves, is durable
        if self.role == LEADER:
            self.advance_commit()

    def on_message(self, m):
        # Figure 2, all servers: a higher term makes us a follower of that term (§5.1).
        if m["term"] > self.current_term:
            self.become_follower(m["term"], m["from"] if m["kind"] == "AppendEntries" else None)
        if m["term"] < self.current_term:
            # A stale request gets our term alone, so its sender steps down; stale
            # responses are dropped.
            if m["kind"] == "RequestVote":
                self.send("RequestVoteResponse", m["from"])
            elif m["kind"] == "AppendEntries":
                self.send("AppendEntriesResponse", m["from"])
            return
        handler = {"RequestVote": self.on_request_vote,
                   "RequestVoteResponse": self.on_request_vote_response,
                   "AppendEntries": self.on_append_entries,
                   "AppendEntriesResponse": self.on_append_entries_response}.get(m["kind"])
        if handler:  # PreVote and TimeoutNow are not ours: nobody sends them to us
            handler(m)

    def log_up_to_date(self, last_log_index, last_log_term):
        """§5.4.1: the candidate's log is at least as up to date as ours."""
        our_term = self.term_at(self.last_index())
        return last_log_term > our_term or (last_log_term == our_term and last_log_index >= self.last_index())

    def on_request_vote(self, m):
        granted = (self.role == FOLLOWER and self.voted_for in (None, m["from"]) and
                   (BUG == "no-log-check" or self.log_up_to_date(m["lastLogIndex"], m["lastLogTerm"])))
        if granted:
            self.voted_for = m["from"]
            self.persist_hard_state()  # the vote is durable before it is sent
            self.arm_election_timer()
        self.send("RequestVoteResponse", m["from"], success=granted)

    def on_request_vote_response(self, m):
        if self.role == CANDIDATE and m["success"]:
            self.count_vote(m["from"])

    def on_append_entries(self, m):
        if self.role == LEADER:
            return  # another leader of our term: impossible unless election safety broke
        if self.role == CANDIDATE or self.leader_id != m["from"]:
            self.become_follower(self.current_term, m["from"])  # §5.2: the term has a leader
        self.arm_election_timer()  # the current leader is alive
        prev = m["prevLogIndex"]
        # §5.3 consistency check: we must hold the entry that precedes the new ones.
        if prev > self.last_index() or self.term_at(prev) != m["prevLogTerm"]:
            if prev > self.last_index():
                conflict_index, conflict_term = self.last_index() + 1, 0  # our log is too short
            else:  # the first index of our conflicting term: the leader skips it whole
                conflict_term, conflict_index = self.term_at(prev), prev
                while conflict_index > 1 and self.term_at(conflict_index - 1) == conflict_term:
                    conflict_index -= 1
            self.send("AppendEntriesResponse", m["from"], rejectedIndex=prev,
                      conflictIndex=conflict_index, conflictTerm=conflict_term)
            return
        # Skip what we hold already; truncate only at a real conflict (§5.3 step 3).
        entries = m["entries"]
        k = 0
        while k < len(entries) and prev + 1 + k <= self.last_index() and \
                self.term_at(prev + 1 + k) == entries[k]["term"]:
            k += 1
        if k < len(entries):
            first = prev + 1 + k
            assert first > self.commit_index, "truncating a committed entry"
            del self.log[first - 1:]
            self.stable_index = min(self.stable_index, first - 1)
            self.log.extend(entries[k:])
            self.persist_entries(first)  # on disk before the acknowledgement below
        last_new = prev + len(entries)
        # §5.3 step 5: commit up to leaderCommit, never past what this message verified.
        self.commit_to(min(m["leaderCommit"], last_new))
        self.send("AppendEntriesResponse", m["from"], success=True, matchIndex=last_new)

    def on_append_entries_response(self, m):
        if self.role != LEADER:
            return
        peer = m["from"]
        if m["success"]:
            if m["matchIndex"] > self.match_index[peer]:
                self.match_index[peer] = m["matchIndex"]
                self.next_index[peer] = max(self.next_index[peer], m["matchIndex"] + 1)
                self.advance_commit()
            if self.next_index[peer] <= self.last_index():
                self.send_append(peer)  # more to send
            return
        # rejectedIndex 0 answers an append of an earlier term; any other rejection that
        # is not about our latest probe is stale.
        if m["rejectedIndex"] == 0 or m["rejectedIndex"] != self.next_index[peer] - 1:
            return
        # Back up past the follower's conflicting term (or to the end of its log).
        next_index = m["conflictIndex"]
        if m["conflictTerm"] != 0:
            ours = max((i for i in range(1, self.last_index() + 1)
                        if self.term_at(i) == m["conflictTerm"]), default=0)
            if ours:
                next_index = ours + 1
        self.next_index[peer] = max(min(next_index, m["rejectedIndex"]), self.match_index[peer] + 1, 1)
        self.send_append(peer)

    def on_transfer(self, target):
        # Leadership transfer (thesis §3.10) is not implemented: always refused. The
        # protocol has no reason for "not supported"; not-leader is the nearest.
        self.emit("transfer-reply", accepted=False, target=target, reason="not-leader")

    def step(self, inp):
        """One input in, the actions it takes out (in the order the world carries them out)."""
        self.actions = []
        kind = inp["type"]
        if kind == "start":
            self.arm_election_timer()
        elif kind == "timeout":
            self.on_timeout(inp["timer"])
        elif kind in ("propose", "propose-batch"):
            self.on_propose(inp["entries"])
        elif kind == "persisted":
            self.on_persisted(inp)
        elif kind == "receive":
            self.on_message(inp["message"])
        elif kind == "transfer-leadership":
            self.on_transfer(inp["target"])
        else:
            raise ValueError(f"unknown input {kind!r}")
        return self.actions

    def view(self):
        return {"id": self.id, "role": self.role, "currentTerm": self.current_term,
                "votedFor": self.voted_for, "leaderId": self.leader_id,
                "commitIndex": self.commit_index, "lastIndex": self.last_index(),
                "lastTerm": self.term_at(self.last_index())}


def main():
    node = None
    for line in sys.stdin:
        request = json.loads(line)
        if node is None:  # the first line: who we are and what our disk holds; no answer
            node = RaftNode(request["config"], request["durable"])
            continue
        actions = node.step(request["input"])
        sys.stdout.write(json.dumps({"actions": actions, "view": node.view()}, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
