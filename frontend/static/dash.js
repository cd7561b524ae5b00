// Brandlift dashboard: small enhancements only; every page works without
// this file. (1) Live progress: elements with data-live poll their URL and
// update the numbers inside. (2) Copy buttons: data-copy="ID" copies the
// text of element ID.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-live");
    var every = parseInt(box.getAttribute("data-every") || "5000", 10);
    function tick() {
      if (document.hidden) { return setTimeout(tick, every); }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && data.fields) {
            Object.keys(data.fields).forEach(function (k) {
              box.querySelectorAll('[data-field="' + k + '"]').forEach(function (el) {
                var v = data.fields[k];
                if (el.tagName === "PROGRESS") { el.value = Number(v); } else if (el.textContent !== String(v)) { el.textContent = v; }
              });
            });
            box.setAttribute("data-updated", String(Date.now()));
          }
        })
        .catch(function () {})
        .then(function () { setTimeout(tick, every); });
    }
    setTimeout(tick, every);
  }
  document.querySelectorAll("[data-live]").forEach(poll);
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var el = document.getElementById(b.getAttribute("data-copy"));
      if (!el || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(el.value !== undefined && el.tagName !== "PRE" && el.tagName !== "CODE" ? el.value : el.textContent).then(function () {
        var done = b.getAttribute("data-done");
        if (done) { var was = b.textContent; b.textContent = done; setTimeout(function () { b.textContent = was; }, 1500); }
      });
    });
  });
})();
