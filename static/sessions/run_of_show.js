// Run of show: ticks the timers from the times stored on the server. No state lives in the browser, so a reload
// (or another tablet) shows the same timers. The server's "now" corrects a wrong tablet clock.
(function () {
  "use strict";
  var root = document.getElementById("run-of-show");
  if (!root) { return; }
  var T = window.SessionTimers;
  var parse = T.parse, pad = T.pad, format = T.format, colour = T.colour;
  var skew = (parse(root.dataset.now) || Date.now()) - Date.now();
  var now = function () { return Date.now() + skew; };
  var sessionStart = parse(root.dataset.sessionStart);
  var sessionEnd = parse(root.dataset.sessionEnd);
  var budget = parseInt(root.dataset.budget, 10) || 0;
  var overall = document.getElementById("overall");
  var overallElapsed = document.getElementById("overall-elapsed");
  var current = document.getElementById("current-timer");
  var items = Array.prototype.slice.call(root.querySelectorAll(".run-item"));

  var speakerTimer = document.getElementById("speaker-timer");
  var speeches = Array.prototype.slice.call(root.querySelectorAll(".speech-row"));

  function tick() {
    var t = now();
    if (speakerTimer) { speakerTimer.textContent = format(t - parse(speakerTimer.dataset.started)); }
    speeches.forEach(function (li) {
      var ms = (parse(li.dataset.ended) || t) - parse(li.dataset.started);
      li.querySelector(".speech-duration").textContent = format(ms);
    });
    if (sessionStart && overallElapsed) {
      var elapsed = (sessionEnd || t) - sessionStart;
      overallElapsed.textContent = format(elapsed);
      colour(overall, elapsed, budget);
    }
    items.forEach(function (li) {
      var started = parse(li.dataset.started);
      if (!started) { return; }
      var ended = parse(li.dataset.ended);
      var ms = (ended || t) - started;
      var timer = li.querySelector(".item-timer");
      var planned = parseInt(li.dataset.planned, 10) || 0;
      timer.textContent = format(ms) + " / " + pad(planned) + ":00";
      colour(timer, ms, planned);
      if (!ended && current) {
        current.textContent = format(ms);
        colour(current, ms, planned);
      }
    });
  }
  tick();
  window.setInterval(tick, 1000);
})();
