// The intake form: when the clerk changes the procedure, the block of its papers and fee is read again from the
// server (the same page with ?procedure=), so the checklist is the chosen procedure's; the address for a result
// by post shows only when "by public post" is chosen. Progressive enhancement: without JavaScript the checklist
// appears once the clerk asks for the due date, and the address field always shows.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var select = form.querySelector("#id_procedure");
  var address = form.querySelector("#div_id_delivery_address");

  if (select && window.fetch && window.DOMParser) {
    select.addEventListener("change", function () {
      var url = new URL(window.location.pathname, window.location.origin);
      url.searchParams.set("procedure", select.value);
      var chosen = select.value;
      fetch(url.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || select.value !== chosen) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("procedure-details");
          var current = document.getElementById("procedure-details");
          if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
        })
        .catch(function () { /* the checklist comes with the due date instead */ });
    });
  }

  if (address) {
    var radios = form.querySelectorAll("input[name=result_delivery]");
    var byPost = function () {
      var checked = form.querySelector("input[name=result_delivery]:checked");
      return checked && checked.value === "post";
    };
    var toggle = function () {
      var hasError = address.querySelector(".is-invalid") !== null;
      address.hidden = !byPost() && !hasError;
    };
    radios.forEach(function (radio) { radio.addEventListener("change", toggle); });
    toggle();
  }
})();
