// Dates as dd/mm/yyyy and times as 24-hour, whatever the browser's language. A native <input type="date"> or
// "datetime-local" shows the browser's locale (11/23/2026, 03:00 PM on an English browser); flatpickr
// (static/vendor/flatpickr-4.6.13) replaces what the user sees with a text box in the portal's format, while the
// original input, now hidden, keeps the value the server expects (Y-m-d, Y-m-dTH:i), so the Django forms parse
// what they always parsed. Progressive enhancement: without JavaScript the native input stays.
//
// A clerk may type "16/06/2025", "16/06/2025 15:00" or "15:00 16/06/2025" (the display order). Text that is not
// a date is kept as typed and sent as is, so the form's own error message tells what is wrong.
(function () {
  "use strict";
  var flatpickr = window.flatpickr;
  if (typeof flatpickr !== "function") { return; }

  var DATE = { altFormat: "d/m/Y", dateFormat: "Y-m-d", placeholder: "dd/mm/yyyy" };
  var DATETIME = { altFormat: "H:i d/m/Y", dateFormat: "Y-m-d\\TH:i", placeholder: "hh:mm dd/mm/yyyy" };

  var build = function (year, month, day, hour, minute) {
    var date = new Date(year, month - 1, day, hour, minute, 0, 0);
    var valid = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day &&
      hour < 24 && minute < 60;
    return valid ? date : undefined;
  };

  // Every string flatpickr parses comes here: the typed text (dd/mm/yyyy with an optional hh:mm before or after
  // it, "/", "-" or "." between the parts, a two-digit year meaning 20yy) and the ISO values of the original input
  // and of its min/max attributes. Anything else is undefined (not a date).
  var parse = function (text) {
    var parts = String(text).trim().replace(/(\d)T(\d)/i, "$1 $2").split(/\s+/);
    var date = null;
    var time = null;
    var match;
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (!part) { continue; }
      if (!time && (match = /^(\d{1,2})[:hH](\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(part))) {
        time = [+match[1], +match[2]];
      } else if (!date && (match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(part))) {
        date = [+match[1], +match[2], +match[3]];
      } else if (!date && (match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(part))) {
        date = [match[3].length === 2 ? 2000 + +match[3] : +match[3], +match[2], +match[1]];
      } else {
        return undefined;
      }
    }
    if (!date) { return undefined; }
    return build(date[0], date[1], date[2], time ? time[0] : 0, time ? time[1] : 0);
  };

  // The package's Vietnamese month names ("Tháng mười một") push the year out of the calendar's header; the
  // usual "Tháng 11" fits.
  var locale = function () {
    var vn = flatpickr.l10ns.vn;
    if (!vn || !/^vi\b/i.test(document.documentElement.lang || "vi")) { return "default"; }
    var months = [];
    for (var month = 1; month <= 12; month++) { months.push("Tháng " + month); }
    return Object.assign({}, vn, { months: { shorthand: vn.months.shorthand, longhand: months } });
  };

  var labelText = function (input) {
    var labels = input.labels ? Array.prototype.slice.call(input.labels) : [];
    return labels.map(function (label) { return label.textContent.trim(); }).join(" ");
  };

  var enhance = function (input) {
    var kind = input.type === "datetime-local" ? DATETIME : DATE;
    // A value the native input rejects (e.g. a re-rendered invalid entry) is only in the attribute.
    var initial = input.value || input.getAttribute("value") || "";
    var id = input.id;
    var label = labelText(input);
    var className = input.className || "form-control";
    var fp = flatpickr(input, {
      locale: locale(),
      altInput: true,
      altInputClass: className,
      altFormat: kind.altFormat,
      dateFormat: kind.dateFormat,
      ariaDateFormat: "d/m/Y",
      enableTime: kind === DATETIME,
      time_24hr: true,
      allowInput: true,
      disableMobile: true,
      clickOpens: !input.readOnly,
      defaultDate: parse(initial) || null,
      minDate: input.min || null,
      maxDate: input.max || null,
      parseDate: parse,
      errorHandler: function (error) {
        if (!/^Invalid date provided/.test(error.message)) { window.console.warn(error); }
      },
    });
    var alt = fp.altInput;
    if (!alt) { return; }

    // The label and everything the page finds by id point at the visible box; the hidden input keeps the name.
    if (id) {
      input.removeAttribute("id");
      alt.id = id;
    } else if (label) {
      alt.setAttribute("aria-label", label);
    }
    Array.prototype.slice.call(input.attributes).forEach(function (attribute) {
      if (/^aria-/.test(attribute.name) || attribute.name === "title") {
        alt.setAttribute(attribute.name, attribute.value);
      }
    });
    alt.setAttribute("autocomplete", "off");
    alt.readOnly = input.readOnly;
    if (!input.placeholder) { alt.placeholder = kind.placeholder; }

    // Text that is not a date stays visible instead of being wiped, and goes to the server on submit.
    var setDate = fp.setDate;
    fp.setDate = function (date, triggerChange, format) {
      var result = setDate.apply(fp, arguments);
      if (typeof date === "string" && date.trim() && !fp.selectedDates.length) { alt.value = date.trim(); }
      return result;
    };
    if (initial && !fp.selectedDates.length) { alt.value = initial; }
    if (input.form) {
      input.form.addEventListener("submit", function () {
        // Typed text not yet taken (no blur, no Enter) is taken now.
        var text = alt.value.trim();
        var shown = fp.selectedDates.length ? fp.formatDate(fp.selectedDates[0], kind.altFormat) : "";
        if (text !== shown) { fp.setDate(text, false, kind.altFormat); }
        if (text && !fp.selectedDates.length) { input.value = text; }
      });
    }
    alt.addEventListener("keydown", function (event) {
      if (event.isComposing) { return; }
      // Escape closes the calendar while typing (flatpickr only handles it inside the calendar).
      if (event.key === "Escape" && fp.isOpen) { fp.close(); }
      // On Enter flatpickr takes the typed date and leaves the box, which cancels the browser's implicit
      // submission; press the form's default button as a native input would.
      if (event.key === "Enter" && alt.form) {
        event.preventDefault();
        var button = Array.prototype.filter.call(alt.form.elements, function (element) {
          return element.type === "submit" || element.type === "image";
        })[0];
        if (button && !button.disabled) { button.click(); }
      }
    });
  };

  Array.prototype.slice.call(document.querySelectorAll('input[type="date"], input[type="datetime-local"]'))
    .forEach(enhance);
})();
