// Brandlift survey page, progressive enhancement. Without this script the
// page is one plain form with every question and one submit button. With
// it: one step per screen (the consent step first, when there is one), in
// the browser's history so that Back goes to the previous question; one
// tap per single answer; answers kept in sessionStorage until the server
// confirms them, so that a reload, a language switch or a lost connection
// loses nothing; and a submit that retries by itself when the network or
// the server was away. The server renders the page in its stepped state
// (a class set in <head> chooses it), so starting this script moves
// nothing on screen.
(function () {
  "use strict";
  var d = document;
  var html = d.documentElement;
  var form = d.getElementById("survey");
  if (!form || !form.closest || !("classList" in html)) {
    return;
  }
  window.blSurvey = true;
  html.classList.add("js");

  function $(id) { return d.getElementById(id); }
  var steps = [].slice.call(form.querySelectorAll(".step"));
  var back = $("back");
  var next = $("next");
  var send = $("send");
  var progress = $("progress");
  var live = $("live");
  var retry = $("retry");
  var questions = steps.filter(function (s) { return s.id !== "consent"; }).length;
  var cur = 0;
  var sending = false;
  var lastKey = 0; // when a key was last pressed: a choice made by key does not move on by itself
  var advance = 0;
  var retryTimer = 0;
  var retryWait = 2000;
  // The last digit typed, so that "1" then "0" picks 10 on a 0..10 scale.
  var typed = { at: 0, digit: -1, step: -1 };

  // Answers are kept per study and respondent (the token's signature).
  var token = form.elements.t ? form.elements.t.value : "";
  var key = "bl:" + form.getAttribute("action") + ":" + token.slice(-24);
  var store = null;
  try {
    store = window.sessionStorage;
    store.getItem(key);
  } catch (e) {
    store = null;
  }

  function fields() {
    return [].slice.call(form.elements).filter(function (el) {
      return el.name === "consent" || el.name.indexOf("q.") === 0;
    });
  }

  function save() {
    if (!store) {
      return;
    }
    var a = {};
    fields().forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) {
        return;
      }
      (a[el.name] = a[el.name] || []).push(el.value);
    });
    try {
      store.setItem(key, JSON.stringify({ s: steps[cur].id, a: a }));
    } catch (e) { /* storage full or refused: the page still works */ }
  }

  function restore() {
    var kept = null;
    try {
      kept = store && JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      kept = null;
    }
    if (!kept || !kept.a) {
      return "";
    }
    fields().forEach(function (el) {
      var vals = kept.a[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = vals.indexOf(el.value) >= 0;
      } else {
        el.value = vals.length ? vals[0] : "";
      }
    });
    return kept.s || "";
  }

  function forget() {
    try {
      if (store) {
        store.removeItem(key);
      }
    } catch (e) { /* nothing to do */ }
  }

  function choices(step) {
    return [].slice.call(step.querySelectorAll("input[type=radio],input[type=checkbox]"));
  }

  function answered(step) {
    var area = step.querySelector("textarea");
    if (area) {
      return area.value.trim() !== "";
    }
    return choices(step).some(function (el) { return el.checked; });
  }

  // problem returns the message that keeps a step from being left, or "".
  function problem(step) {
    if (step.id === "consent") {
      return answered(step) ? "" : form.getAttribute("data-consent");
    }
    if (step.hasAttribute("data-required") && !answered(step)) {
      return form.getAttribute("data-required");
    }
    return "";
  }

  // describe points the step's description at its error and hint, if any.
  function describe(step) {
    var ids = [step.id + "-err", step.id + "-hint"].filter(function (id) { return $(id); });
    var target = step.querySelector("textarea") || step;
    if (ids.length) {
      target.setAttribute("aria-describedby", ids.join(" "));
    } else {
      target.removeAttribute("aria-describedby");
    }
  }

  function announce(msg) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = msg; }, 50);
  }

  function setError(step, msg) {
    var p = $(step.id + "-err");
    if (!msg) {
      if (p) {
        p.parentNode.removeChild(p);
        describe(step);
      }
      return;
    }
    if (!p) {
      p = d.createElement("p");
      p.className = "error";
      p.id = step.id + "-err";
      var legend = step.querySelector("legend");
      legend.parentNode.insertBefore(p, legend.nextSibling);
    }
    p.textContent = msg;
    describe(step);
    announce(msg);
  }

  // focusStep puts the focus on the question itself: a screen reader reads
  // it, and no phone keyboard opens for a text box nobody tapped.
  function focusStep(step) {
    var h = step.querySelector("h2");
    if (h) {
      h.focus({ preventScroll: true });
    }
    if (form.getBoundingClientRect().top < 0) {
      form.scrollIntoView();
    }
  }

  // show opens step i. how: "push" (a step forward or back: a new history
  // entry), "pop" (the browser's Back or Forward), "init" (the first).
  function show(i, how, focus) {
    window.clearTimeout(advance);
    cur = i;
    steps.forEach(function (s, j) { s.classList.toggle("on", j === i); });
    var last = i === steps.length - 1;
    back.classList.toggle("off", i === 0);
    next.classList.toggle("off", last);
    send.classList.toggle("off", !last);
    if (progress) {
      var n = steps.slice(0, i + 1).filter(function (s) { return s.id !== "consent"; }).length;
      progress.value = n / questions;
    }
    if (window.history && history.replaceState) {
      if (how === "push") {
        history.pushState({ bl: steps[i].id }, "");
      } else if (how === "init") {
        history.replaceState({ bl: steps[i].id }, "");
      }
    }
    if (focus) {
      focusStep(steps[i]);
    }
    save();
  }

  // go moves to the next step, or submits on the last one, unless the
  // current step still needs an answer.
  function go() {
    var step = steps[cur];
    var msg = problem(step);
    if (msg) {
      setError(step, msg);
      focusStep(step);
      return;
    }
    if (cur < steps.length - 1) {
      show(cur + 1, "push", true);
    } else if (form.requestSubmit) {
      form.requestSubmit(send);
    } else {
      send.click();
    }
  }

  // pick chooses by a typed digit: the scale point with that value, or the
  // Nth option. Two digits typed within a second make one number (10).
  function pick(step, digit) {
    var els = choices(step);
    if (!els.length || step.id === "consent") {
      return false;
    }
    var scale = !!step.querySelector(".scale");
    var find = function (n) {
      if (scale) {
        return els.filter(function (el) { return el.value === String(n); })[0];
      }
      return n >= 1 ? els[n - 1] : undefined;
    };
    var now = Date.now();
    var el;
    if (typed.step === cur && typed.digit >= 0 && now - typed.at < 1000) {
      el = find(typed.digit * 10 + digit);
    }
    typed = { at: now, digit: el ? -1 : digit, step: cur };
    el = el || find(digit);
    if (!el) {
      return false;
    }
    el.checked = el.type === "checkbox" ? !el.checked : true;
    el.focus();
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  // arrows moves focus between the options of the current step: radios
  // move and choose by themselves once one has focus; checkboxes do not.
  function arrows(step, e) {
    var els = choices(step);
    var i = els.indexOf(e.target);
    if (!els.length) {
      return;
    }
    if (i < 0) {
      if (!/^(TEXTAREA|BUTTON|A)$/.test(e.target.tagName)) {
        e.preventDefault();
        (step.querySelector("input:checked") || els[0]).focus();
      }
      return;
    }
    if (e.target.type !== "checkbox") {
      return;
    }
    var dir = e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1;
    e.preventDefault();
    els[(i + dir + els.length) % els.length].focus();
  }

  // exclusive unticks the other options when "none of these" is chosen,
  // and "none of these" when another option is.
  function exclusive(box) {
    if (!box.checked) {
      return;
    }
    var solo = box.hasAttribute("data-exclusive");
    choices(box.closest(".step")).forEach(function (el) {
      if (el !== box && (solo || el.hasAttribute("data-exclusive"))) {
        el.checked = false;
      }
    });
  }

  d.addEventListener("keydown", function (e) {
    lastKey = Date.now();
    if (e.defaultPrevented || e.altKey || e.isComposing) {
      return;
    }
    var t = e.target;
    var tag = t.tagName;
    if (e.key === "Enter") {
      // In a text answer Enter is a new line, on every keyboard; a
      // physical keyboard may go on with Ctrl (or Cmd) and Enter.
      if (tag === "TEXTAREA" ? !(e.ctrlKey || e.metaKey) : (tag === "BUTTON" || tag === "A" || e.shiftKey)) {
        return;
      }
      if (t !== d.body && !form.contains(t)) {
        return;
      }
      e.preventDefault();
      go();
      return;
    }
    if (tag === "TEXTAREA" || e.shiftKey || e.ctrlKey || e.metaKey) {
      return;
    }
    if (/^[0-9]$/.test(e.key)) {
      if (pick(steps[cur], Number(e.key))) {
        e.preventDefault();
      }
    } else if (/^Arrow/.test(e.key)) {
      arrows(steps[cur], e);
    }
  });

  // One tap per single answer: a tapped or clicked choice moves on after a
  // moment that shows it was taken; Back changes it. Not on the last step,
  // which waits for Submit, and not for a choice made by key (Enter goes on).
  form.addEventListener("click", function (e) {
    var t = e.target;
    if (t.type !== "radio" || Date.now() - lastKey < 600) {
      return;
    }
    var step = t.closest(".step");
    if (steps.indexOf(step) !== cur || cur === steps.length - 1) {
      return;
    }
    window.clearTimeout(advance);
    step.classList.add("chosen");
    advance = window.setTimeout(function () {
      step.classList.remove("chosen");
      if (steps[cur] === step) {
        go();
      }
    }, 450);
  });

  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type === "checkbox" && t.name !== "consent") {
      exclusive(t);
    }
    var step = t.closest(".step");
    if (step && !problem(step)) {
      setError(step, "");
    }
    save();
  });

  form.addEventListener("input", function (e) {
    var step = e.target.closest(".step");
    if (step && e.target.tagName === "TEXTAREA" && !problem(step)) {
      setError(step, "");
    }
    save();
  });

  function busy(on) {
    sending = on;
    form.classList.toggle("busy", on);
    if (on) {
      send.setAttribute("aria-disabled", "true");
    } else {
      send.removeAttribute("aria-disabled");
    }
  }

  // failed says the answers did not get through and tries again: after
  // the server's Retry-After, or sooner when the connection comes back.
  function failed(wait) {
    busy(false);
    var first = retry.hidden;
    retry.hidden = false;
    if (first) {
      announce(retry.textContent.replace(/\s+/g, " ").trim());
    }
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(deliver, wait > 0 ? wait * 1000 : retryWait);
    retryWait = Math.min(retryWait * 2, 30000);
  }

  // deliver posts the form in the background. A 2xx means the answers are
  // stored: the kept copy goes and the thank-you page opens. A network
  // failure or a brief 503 keeps the respondent here, retrying; a respondent
  // is stored at most once, so a retry is always safe. Anything else (a
  // refused answer, a closed survey) is the server's page to show, so the
  // form is posted the plain way.
  function deliver() {
    if (sending) {
      return;
    }
    busy(true);
    window.clearTimeout(retryTimer);
    window.fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (res) {
      var wait = Number(res.headers.get("Retry-After")) || 0;
      if (res.ok) {
        forget();
        location.replace(res.url);
      } else if (res.status === 503 && wait <= 60) {
        failed(wait);
      } else {
        HTMLFormElement.prototype.submit.call(form);
      }
    }, function () {
      failed(0);
    });
  }

  form.addEventListener("submit", function (e) {
    if (sending) {
      e.preventDefault();
      return;
    }
    for (var i = 0; i < steps.length; i++) {
      var msg = problem(steps[i]);
      if (msg) {
        e.preventDefault();
        show(i, "push", true);
        setError(steps[i], msg);
        return;
      }
    }
    if (!window.fetch || !window.URLSearchParams || !window.FormData) {
      busy(true); // the plain post
      return;
    }
    e.preventDefault();
    deliver();
  });

  $("retry-send").addEventListener("click", deliver);
  window.addEventListener("online", function () {
    if (!retry.hidden) {
      deliver();
    }
  });

  window.addEventListener("pageshow", function () {
    busy(false);
  });

  window.addEventListener("popstate", function (e) {
    var id = e.state && e.state.bl;
    var i = steps.map(function (s) { return s.id; }).indexOf(id);
    if (i >= 0 && i !== cur) {
      show(i, "pop", true);
    }
  });

  // The language switch keeps the answers and the step: they are kept
  // already; the other language replaces this page in the history.
  [].forEach.call(d.querySelectorAll(".langs a"), function (a) {
    a.addEventListener("click", function (e) {
      save();
      e.preventDefault();
      location.replace(a.href);
    });
  });

  back.addEventListener("click", function () {
    if (cur > 0) {
      show(cur - 1, "push", true);
    }
  });
  next.addEventListener("click", go);

  // Start where the server rendered us: on the first step it complained
  // about after a failed post; otherwise where this respondent was (this
  // history entry's step, or the kept one) with the answers they gave.
  var start = 0;
  var complained = false;
  steps.forEach(function (s, i) {
    if (s.classList.contains("on")) {
      start = i;
    }
    complained = complained || !!$(s.id + "-err");
  });
  if (!complained) {
    var kept = restore();
    var want = (window.history && history.state && history.state.bl) || kept;
    steps.forEach(function (s, i) {
      if (s.id === want) {
        start = i;
      }
    });
  }
  show(start, "init", complained);
})();
