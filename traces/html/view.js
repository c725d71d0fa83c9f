// The trace viewer: rebuilds the cluster's state at any frame from the per-frame changes
// the exporter wrote (with a snapshot every SNAP frames, so seeking stays fast on long
// traces), and draws the servers on a ring, the messages in flight, the logs and the
// event with its explanation.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("trace-data").textContent);
  const ROLES = ["follower", "candidate", "leader", "down", "pre-candidate"];
  const KINDS = ["RequestVote", "RequestVoteResponse", "AppendEntries", "AppendEntriesResponse",
                 "PreVote", "PreVoteResponse", "TimeoutNow", "ReadIndex",
                 "ReadIndexResponse"];
  const SNAP = 512;
  const CP = 256;
  const N = data.nodes;
  const frames = data.frames;
  const msgs = data.msgs;  // [from, to, kind, text, start, end, fate]
  const svgNS = "http://www.w3.org/2000/svg";

  // ---- state at a frame ----
  function emptyState() {
    const s = [];
    for (let i = 0; i < N; i++) s.push({ role: 0, term: 0, vote: -1, commit: 0, log: [], timers: -1, conf: null });
    return s;
  }
  function copyState(s) { return s.map(n => ({ role: n.role, term: n.term, vote: n.vote, commit: n.commit, log: n.log.slice(), timers: n.timers, conf: n.conf })); }
  function applyFrame(s, f) {
    const d = frames[f].d;
    if (!d) return;
    for (const row of d) {
      const n = s[row[0]];
      n.role = row[1]; n.term = row[2]; n.vote = row[3]; n.commit = row[4];
      n.log.length = Math.min(n.log.length, row[5]);
      for (const t of row[6]) n.log.push(t);
      n.timers = row.length > 7 ? row[7] : -1;
      n.conf = row.length > 8 ? row[8] : null;  // [voters, learners, snapshot index]
    }
  }
  const snaps = [];
  (function build() {
    const s = emptyState();
    for (let f = 0; f < frames.length; f++) {
      applyFrame(s, f);
      if (f % SNAP === 0) snaps.push(copyState(s));
    }
  })();
  function stateAt(f) {
    const base = Math.floor(f / SNAP);
    const s = copyState(snaps[base]);
    for (let g = base * SNAP + 1; g <= f; g++) applyFrame(s, g);
    return s;
  }
  // Messages in flight at a frame: a checkpoint's set plus what started since.
  const byStart = msgs.map((m, k) => k).sort((a, b) => msgs[a][4] - msgs[b][4] || a - b);
  const checkpoints = [];
  (function buildCheckpoints() {
    let p = 0;
    let open = [];
    for (let c = 0; c * CP < frames.length; c++) {
      const f = c * CP;
      while (p < byStart.length && msgs[byStart[p]][4] <= f) open.push(byStart[p++]);
      open = open.filter(k => msgs[k][5] < 0 || msgs[k][5] > f);
      checkpoints.push({ open: open.slice(), next: p });
    }
  })();
  function inFlight(f) {
    const cp = checkpoints[Math.floor(f / CP)];
    const out = [];
    for (const k of cp.open) if (msgs[k][5] < 0 || msgs[k][5] > f) out.push(k);
    for (let p = cp.next; p < byStart.length && msgs[byStart[p]][4] <= f; p++) {
      const k = byStart[p];
      if (msgs[k][5] < 0 || msgs[k][5] > f) out.push(k);
    }
    return out;
  }
  // Simulator traces: the next real election timeout of each node, by time.
  function nextFire(i, t) {
    const list = data.fires ? data.fires[i] : null;
    if (!list) return -1;
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo < list.length ? list[lo] : -1;
  }

  // ---- drawing ----
  const ring = document.getElementById("ring");
  const R = 170;
  function pos(i) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / N;
    return [R * Math.cos(a), R * Math.sin(a)];
  }
  function el(name, attrs, parent) {
    const e = document.createElementNS(svgNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function termColour(t) { return t === 0 ? "#eee" : "hsl(" + ((t * 67) % 360) + ",65%,70%)"; }
  function arc(cx, cy, r, frac) {
    frac = Math.max(0, Math.min(0.9999, frac));
    const a0 = -Math.PI / 2, a1 = a0 + 2 * Math.PI * frac;
    const large = frac > 0.5 ? 1 : 0;
    return "M " + (cx + r * Math.cos(a0)) + " " + (cy + r * Math.sin(a0)) + " A " + r + " " + r + " 0 " + large + " 1 " +
      (cx + r * Math.cos(a1)) + " " + (cy + r * Math.sin(a1));
  }

  let current = 0;
  let selected = null;  // {type: "node"|"msg", id}

  function drawRing(f, s) {
    while (ring.firstChild) ring.removeChild(ring.firstChild);
    const fr = frames[f];
    const cuts = fr.cut || frames[lastCutFrame(f)].cut || [];
    for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) {
      const [x1, y1] = pos(a), [x2, y2] = pos(b);
      const cut = cuts.some(c => (c[0] === a && c[1] === b) || (c[0] === b && c[1] === a));
      el("line", { x1, y1, x2, y2, class: "link" + (cut ? " cut" : "") }, ring);
    }
    for (let i = 0; i < N; i++) {
      const [x, y] = pos(i);
      const n = s[i];
      const g = el("g", { class: "server", "data-node": i, "data-role": ROLES[n.role], "data-term": n.term }, ring);
      const circle = el("circle", { cx: x, cy: y, r: 30, class: "server-circle" + (fr.n === i ? " marked" : ""),
        fill: "var(--" + ROLES[n.role] + ")" }, g);
      circle.addEventListener("click", () => { selected = { type: "node", id: i }; render(); });
      el("text", { x, y: y - 2, class: "server-text" }, g).textContent = "n" + i;
      el("text", { x, y: y + 13, class: "server-text" }, g).textContent = "t" + n.term;
      el("text", { x, y: y + 50, class: "server-sub" }, g).textContent =
        ROLES[n.role] + (n.vote >= 0 ? " vote=" + n.vote : "") + " commit=" + n.commit;
      // The election timer: simulator traces, the time left until it fires; model traces, armed or not.
      if (n.role !== 3) {
        if (data.engine === "simulator") {
          const next = nextFire(i, fr.t);
          if (next >= 0 && data.span > 0) {
            el("path", { d: arc(x, y, 36, (next - fr.t) / data.span), class: "timer-arc", "data-timer": "election" }, g);
          }
        } else if (n.timers >= 0 && (n.timers & 2)) {
          el("path", { d: arc(x, y, 36, 0.9999), class: "timer-arc", "data-timer": "election" }, g);
        }
        if (n.timers >= 0 && (n.timers & 4)) el("circle", { cx: x + 26, cy: y - 26, r: 5, fill: "#2e9e4f", "data-timer": "heartbeat" }, g);
      }
    }
    drawMessages(f, fr);
  }
  // Messages in flight, drawn over the servers; copies on one link stack side by side.
  function drawMessages(f, fr) {
    const seen = {};
    for (const k of inFlight(f)) {
      const m = msgs[k];
      const [x1, y1] = pos(m[0]), [x2, y2] = pos(m[1]);
      let frac = 0.5;
      if (data.engine === "simulator") {
        const t0 = frames[m[4]].t, t1 = m[5] >= 0 ? frames[m[5]].t : t0 + 1, t = fr.t;
        frac = t1 > t0 ? (t - t0) / (t1 - t0) : 0.5;
      } else {
        frac = m[5] >= 0 ? (f - m[4]) / Math.max(1, m[5] - m[4]) : 0.5;
      }
      frac = 0.25 + 0.5 * Math.max(0, Math.min(1, frac));
      const key = m[0] + ">" + m[1];
      const slot = seen[key] = (seen[key] || 0) + 1;
      const nx = -(y2 - y1), ny = x2 - x1, len = Math.hypot(nx, ny) || 1;
      const off = 10 * slot;
      const x = x1 + (x2 - x1) * frac + (nx / len) * off, y = y1 + (y2 - y1) * frac + (ny / len) * off;
      const c = el("circle", { cx: x, cy: y, r: 6, class: "msg", fill: m[2] < 2 ? "#f0c040" : m[2] < 4 ? "#60a0e0" : m[2] < 6 ? "#c080e0" : "#e05050", "data-msg": k }, ring);
      c.addEventListener("click", () => { selected = { type: "msg", id: k }; render(); });
      const term = (m[3].match(/term=(\d+)/) || [0, "?"])[1];
      el("title", {}, c).textContent = m[3];
      if (slot === 1) el("text", { x: x + 8, y: y + 3, class: "msg-label" }, ring).textContent = ["V", "v", "A", "a", "P", "p", "T"][m[2]] + term;
    }
  }

  function lastCutFrame(f) {
    for (let g = f; g >= 0; g--) if (frames[g].cut) return g;
    return 0;
  }

  function drawLogs(f, s) {
    let max = 0;
    for (const n of s) max = Math.max(max, n.log.length);
    const first = Math.max(1, max - 59);
    let html = "<table class='log'><tr><th></th>";
    for (let k = first; k <= max; k++) html += "<th>" + k + "</th>";
    html += "</tr>";
    for (let i = 0; i < N; i++) {
      const n = s[i];
      html += "<tr data-node='" + i + "' data-log='" + n.log.join(",") + "' data-commit='" + n.commit + "'" +
        (frames[f].n === i ? " class='marked'" : "") + (n.conf ? " data-voters='" + ids(n.conf[0]) + "'" : "") +
        "><th>n" + i + " " + ROLES[n.role] + (n.conf ? " " + confText(n.conf) : "") + "</th>";
      for (let k = first; k <= max; k++) {
        if (k > n.log.length) { html += "<td class='empty'></td>"; continue; }
        const t = n.log[k - 1];
        html += "<td style='background:" + termColour(t) + "' class='" + (k <= n.commit ? "committed" : "") + "'>" + t +
          (k <= n.commit ? "&#x2713;" : "") + "</td>";
      }
      html += "</tr>";
    }
    document.getElementById("log-grid").innerHTML = html + "</table>";
  }

  function text(id, value) { document.getElementById(id).textContent = value || ""; }

  // Simulator traces: the clients' history [client, text, invokeEvent, completeEvent or -1,
  // in the linearizability witness]; the witness's operations are highlighted, with a
  // legend naming the verdict, and marked at the events where they start and end.
  const ops = data.ops || [];
  const witnessAt = {};
  ops.forEach(op => {
    if (!op[4]) return;
    (witnessAt[op[2]] = witnessAt[op[2]] || []).push("lin-witness: " + op[1] + " invoked");
    if (op[3] >= 0) (witnessAt[op[3]] = witnessAt[op[3]] || []).push("lin-witness: " + op[1] + " completed");
  });
  if (data.ops) document.getElementById("history").hidden = false;
  if (data.lin) {
    const legend = document.getElementById("lin-legend");
    legend.hidden = false;
    legend.textContent = data.lin.title + "; highlighted: its operations";
  }
  function drawHistory(f) {
    if (!data.ops) return;
    const shown = [];
    let recent = 0;
    for (let k = ops.length - 1; k >= 0; k--) {
      if (ops[k][2] > f) continue;
      if (ops[k][4] || recent < 40) shown.push(k);
      recent++;
    }
    shown.reverse();
    const box = document.getElementById("ops");
    box.textContent = "";
    for (const k of shown) {
      const op = ops[k];
      const div = document.createElement("div");
      const open = op[3] < 0 || op[3] > f;
      div.className = "op" + (op[4] ? " witness" : "") + (open ? " open" : "");
      div.dataset.op = k;
      div.textContent = op[1] + "  events " + op[2] + ".." + (op[3] >= 0 ? op[3] : "");
      box.appendChild(div);
    }
  }

  function drawEvent(f) {
    const fr = frames[f];
    const unit = data.engine === "simulator" ? "t=" + fr.t + "us" : "";
    text("frame-label", (f === 0 ? "initial state" : (data.engine === "simulator" ? "event " : "step ") + f) +
      " of " + (frames.length - 1) + (unit ? "  " + unit : ""));
    text("event-text", fr.l);
    text("why", fr.w ? "why: " + fr.w : "");
    text("commits", (fr.c || []).join("\n"));
    text("lin-marks", (witnessAt[f] || []).join("\n"));
    text("caption", captionAt(f));
    const banner = document.getElementById("violation-banner");
    if (data.verdict) {
      banner.hidden = false;
      const here = f === data.verdict.at;
      banner.className = here ? "here" : "";
      banner.textContent = (here ? "this step violates " : "violation at step " + data.verdict.at + ": ") +
        data.verdict.property + ": " + data.verdict.details;
      ring.classList.toggle("violated", f >= data.verdict.at);
    }
  }
  // A scenario's comment stays up from the step it captions until the next one.
  function captionAt(f) {
    for (let g = f; g >= 0; g--) if (frames[g].cap !== undefined) return frames[g].cap;
    return "";
  }

  // A node-id bit set as "0,2,3"; a configuration as the log grid shows it.
  function ids(set) {
    const out = [];
    for (let i = 0; i < 32; i++) if (set & (1 << i)) out.push(i);
    return out.join(",");
  }
  function confText(c) {
    return "voters {" + ids(c[0]) + "}" + (c[1] ? " learners {" + ids(c[1]) + "}" : "") + (c[2] ? " snap " + c[2] : "");
  }

  function drawDetails(f, s) {
    const box = document.getElementById("details");
    if (!selected) return;
    if (selected.type === "node") {
      const n = s[selected.id];
      box.textContent = "server n" + selected.id + "\nrole: " + ROLES[n.role] + "\ncurrentTerm: " + n.term +
        "\nvotedFor: " + (n.vote >= 0 ? n.vote : "-") + "\ncommitIndex: " + n.commit + "\nlog (terms): [" + n.log.join(",") + "]" +
        (n.timers >= 0 ? "\ntimers: " + ((n.timers & 2) ? "election " : "") + ((n.timers & 4) ? "heartbeat" : "") : "") +
        (n.conf ? "\nconfiguration: voters {" + ids(n.conf[0]) + "} learners {" + ids(n.conf[1]) + "}" +
          "\nsnapshot up to: " + n.conf[2] : "");
    } else {
      const m = msgs[selected.id];
      const fate = ["delivered", "dropped", "still in flight at the end"][m[6]];
      box.textContent = "message\n" + m[3] + "\nfrom n" + m[0] + " to n" + m[1] + "\nsent at " + m[4] +
        (m[5] >= 0 ? ", " + fate + " at " + m[5] : ", " + fate);
    }
  }

  function render() {
    const s = stateAt(current);
    drawRing(current, s);
    drawLogs(current, s);
    drawEvent(current);
    drawDetails(current, s);
    drawHistory(current);
    document.getElementById("scrubber").value = current;
    document.body.setAttribute("data-frame", current);
  }

  function seek(f) { current = Math.max(0, Math.min(frames.length - 1, f | 0)); render(); }

  // ---- controls ----
  let timer = null;
  function play(on) {
    const btn = document.getElementById("btn-play");
    if (timer) { clearInterval(timer); timer = null; }
    if (!on) { btn.textContent = "play"; return; }
    btn.textContent = "pause";
    const rate = +document.getElementById("speed").value;
    const perTick = Math.max(1, Math.round(rate / 16));
    timer = setInterval(() => {
      seek(current + perTick);
      if (current >= frames.length - 1) play(false);
    }, 1000 / Math.min(rate, 16));
  }
  document.getElementById("btn-play").onclick = () => play(!timer);
  document.getElementById("btn-fwd").onclick = () => seek(current + 1);
  document.getElementById("btn-back").onclick = () => seek(current - 1);
  document.getElementById("btn-start").onclick = () => seek(0);
  document.getElementById("btn-end").onclick = () => seek(frames.length - 1);
  document.getElementById("speed").onchange = () => { if (timer) play(true); };
  const scrub = document.getElementById("scrubber");
  scrub.max = frames.length - 1;
  scrub.oninput = () => seek(+scrub.value);
  document.addEventListener("keydown", e => {
    if (e.key === "ArrowRight") seek(current + 1);
    else if (e.key === "ArrowLeft") seek(current - 1);
    else if (e.key === "Home") seek(0);
    else if (e.key === "End") seek(frames.length - 1);
    else if (e.key === " ") { play(!timer); e.preventDefault(); }
  });
  if (data.verdict) {
    const b = document.getElementById("btn-violation");
    b.hidden = false;
    b.onclick = () => seek(data.verdict.at);
  }
  document.getElementById("title").textContent = data.title;
  document.getElementById("repro").textContent = data.repro || "";
  if (data.engine !== "simulator") text("timer-key", "ring: election timer armed; dot: heartbeat timer armed");

  // Live (raftsim serve): what can happen next, as buttons; the server takes the step and
  // the page reloads with the longer path, at its end.
  function live() {
    const box = document.getElementById("live");
    box.hidden = false;
    const say = (msg) => { document.getElementById("live-error").textContent = msg; };
    const post = (url, body) => fetch(url, { method: "POST", body }).then(async (r) => {
      const reply = await r.json();
      if (r.ok) location.reload(); else say(reply.error);
    }, (e) => say(String(e)));
    const list = document.getElementById("live-choices");
    data.live.choices.forEach((command, k) => {
      const b = document.createElement("button");
      b.textContent = (k + 1) + " " + command;
      b.dataset.command = command;
      b.onclick = () => post("/do", command);
      list.appendChild(b);
    });
    document.getElementById("live-form").onsubmit = (e) => {
      e.preventDefault();
      post("/do", document.getElementById("live-command").value);
    };
    document.getElementById("live-back").onclick = () => post("/back", "");
  }
  if (data.live) live();

  // For tests and the curious: the state the page shows.
  window.raftsim = { seek, frame: () => current, frames: frames.length, state: () => stateAt(current), inFlight: () => inFlight(current) };
  seek(data.live ? frames.length - 1 : 0);
})();
