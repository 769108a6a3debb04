// Timer helpers shared by the run of show and the live follow page (window.SessionTimers).
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  window.SessionTimers = {
    parse: function (value) { return value ? Date.parse(value) : null; },
    pad: pad,
    // mm:ss, or h:mm:ss past an hour.
    format: function (ms) {
      var total = Math.max(0, Math.floor(ms / 1000));
      var hours = Math.floor(total / 3600);
      var text = pad(Math.floor((total % 3600) / 60)) + ":" + pad(total % 60);
      return hours ? hours + ":" + text : text;
    },
    // Warning when 80% of the planned time is used, over when exceeded.
    colour: function (el, ms, plannedMinutes) {
      var planned = plannedMinutes * 60000;
      el.classList.toggle("timer-over", ms > planned);
      el.classList.toggle("timer-warning", ms <= planned && ms >= 0.8 * planned);
    }
  };
})();
