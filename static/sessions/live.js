// Live pages: the follow page (#live) renders the state JSON; the secretary's run of show (#run-of-show with
// data-state-url) reloads when its items or status change. Changes arrive as server-sent events where the server
// offers them (data-events-url); otherwise, or while the events are down, the page polls the state every second.
(function () {
  "use strict";
  var follow = document.getElementById("live");
  var run = document.getElementById("run-of-show");
  var root = follow || (run && run.dataset.stateUrl ? run : null);
  if (!root) { return; }
  var stateUrl = root.dataset.stateUrl;
  var eventsUrl = root.dataset.eventsUrl || "";
  var version = follow ? null : run.dataset.version || null;
  var state = null;
  var skew = 0;
  var T = window.SessionTimers;
  var parse = T.parse, pad = T.pad, format = T.format, colour = T.colour;
  var byId = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  };

  function render() {
    var s = state.session;
    byId("live-status").textContent = s.status_label;
    byId("live-budget").textContent = pad(s.budget_minutes) + ":00";
    var list = byId("live-programme");
    list.replaceChildren();
    state.items.forEach(function (item) {
      var li = el("li", "list-group-item d-flex flex-wrap justify-content-between gap-2" +
        (item.running ? " list-group-item-warning live-current" : item.ended_at ? " list-group-item-light" : ""));
      li.id = "live-item-" + item.id;
      if (item.running) { li.setAttribute("aria-current", "step"); }
      var body = el("div", "me-auto");
      body.appendChild(el("div", "fw-semibold", item.title));
      body.appendChild(el("div", "small text-muted", (item.presenter ? item.presenter + " · " : "") + item.planned_minutes + "'"));
      li.appendChild(body);
      li.appendChild(el("span", "item-timer font-monospace"));
      list.appendChild(li);
    });
    var current = state.items.filter(function (i) { return i.running; })[0];
    byId("live-current-title").textContent = current ? current.order + ". " + current.title : root.dataset.labelIdle;
    var speaker = byId("live-speaker");
    if (speaker) {
      speaker.hidden = !state.speaker;
      byId("live-speaker-name").textContent = state.speaker ? state.speaker.name : "";
    }
    byId("live-quorum-text").textContent = state.quorum.text;
    var verdict = byId("live-quorum-verdict");
    verdict.textContent = state.quorum.verdict;
    verdict.className = "fw-semibold " + (state.quorum.reached ? "text-success" : "text-danger");
    var body = byId("live-outcomes").tBodies[0];
    body.replaceChildren();
    if (!state.outcomes.length) {
      var empty = el("tr");
      var cell = el("td", "text-muted", root.dataset.labelNone);
      cell.colSpan = 4;
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    state.outcomes.forEach(function (o) {
      var tr = el("tr");
      tr.id = "live-outcome-" + o.id;
      tr.appendChild(el("td", "", o.number));
      tr.appendChild(el("td", "", o.title));
      tr.appendChild(el("td", "text-end", o.votes_for + " / " + o.votes_against + " / " + o.votes_abstain));
      tr.appendChild(el("td", o.adopted ? "text-success fw-semibold" : "text-danger", o.result));
      body.appendChild(tr);
    });
    tick();
  }

  function tick() {
    if (!state) { return; }
    var t = Date.now() + skew;
    var s = state.session;
    var start = parse(s.actual_start);
    var elapsed = byId("live-elapsed");
    if (start) {
      var ms = (parse(s.actual_end) || t) - start;
      elapsed.textContent = format(ms);
      colour(byId("live-overall"), ms, s.budget_minutes);
    } else {
      elapsed.textContent = "--:--";
    }
    var timer = byId("live-current-timer");
    timer.textContent = "";
    state.items.forEach(function (item) {
      var started = parse(item.started_at);
      if (!started) { return; }
      var ms = (parse(item.ended_at) || t) - started;
      var text = format(ms) + " / " + pad(item.planned_minutes) + ":00";
      var cell = document.querySelector("#live-item-" + item.id + " .item-timer");
      if (cell) { cell.textContent = text; colour(cell, ms, item.planned_minutes); }
      if (item.running) { timer.textContent = text; colour(timer, ms, item.planned_minutes); }
    });
    var speakerTimer = byId("live-speaker-timer");
    if (speakerTimer) { speakerTimer.textContent = state.speaker ? format(t - parse(state.speaker.started_at)) : ""; }
  }

  function apply(next) {
    if (!next) { return; }
    skew = (parse(next.now) || Date.now()) - Date.now();
    if (!follow) {  // the run of show: its own page shows the change after a reload
      if (version === null) { version = next.run_version; } else if (next.run_version !== version) { window.location.reload(); }
      return;
    }
    if (next.version === version) { return; }
    version = next.version;
    state = next;
    render();
  }

  function fetchState() {
    return window.fetch(stateUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(apply)
      .catch(function () { /* next tick or event */ });
  }

  var mode = byId("live-mode");
  var poller = null;
  function polling(on) {
    if (on && !poller) { poller = window.setInterval(fetchState, 1000); }
    if (!on && poller) { window.clearInterval(poller); poller = null; }
    if (mode) {
      mode.textContent = on ? root.dataset.labelPoll : root.dataset.labelPush;
      mode.dataset.mode = on ? "poll" : "push";
    }
  }

  function connect() {
    if (!eventsUrl || !window.EventSource) { polling(true); return; }
    var source = new window.EventSource(eventsUrl, { withCredentials: true });
    var retry = function () { source.close(); polling(true); window.setTimeout(connect, 15000); };
    source.addEventListener("ready", function () { polling(false); fetchState(); });
    source.addEventListener("changed", fetchState);
    source.addEventListener("down", retry);
    source.onerror = function () {
      polling(true);  // the browser reconnects by itself while CONNECTING; a refused stream is CLOSED
      if (source.readyState === window.EventSource.CLOSED) { window.setTimeout(connect, 15000); }
    };
  }

  if (follow) {
    var initial = byId("live-state");
    if (initial) { apply(JSON.parse(initial.textContent)); }
    window.setInterval(tick, 1000);
  }
  connect();
})();
