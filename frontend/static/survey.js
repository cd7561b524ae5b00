// Brandlift survey page, progressive enhancement. Without this script the
// page is one plain form with every question and one submit button. With
// it: one step per screen (the consent step first, when there is one), a
// progress bar, Back and Next, keyboard answers, and required questions
// checked before moving on. The final submit is still the plain form post.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form || !form.closest || !("hidden" in form)) {
    return;
  }
  document.documentElement.classList.add("js");

  var steps = [].slice.call(form.querySelectorAll(".step"));
  var back = document.getElementById("back");
  var next = document.getElementById("next");
  var send = document.getElementById("send");
  var progress = document.getElementById("progress");
  var live = document.getElementById("live");
  var summary = document.getElementById("summary");
  var cur = 0;
  var sending = false;
  // The last digit typed, so that "1" then "0" picks 10 on a 0..10 scale.
  var typed = { at: 0, digit: -1, step: -1 };

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
    var ids = [step.id + "-err", step.id + "-hint"].filter(function (id) {
      return document.getElementById(id);
    });
    var target = step.querySelector("textarea") || step;
    if (ids.length) {
      target.setAttribute("aria-describedby", ids.join(" "));
    } else {
      target.removeAttribute("aria-describedby");
    }
  }

  function setError(step, msg) {
    var p = document.getElementById(step.id + "-err");
    if (!msg) {
      if (p) {
        p.parentNode.removeChild(p);
        describe(step);
      }
      return;
    }
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.id = step.id + "-err";
      var legend = step.querySelector("legend");
      legend.parentNode.insertBefore(p, legend.nextSibling);
    }
    p.textContent = msg;
    describe(step);
    live.textContent = "";
    window.setTimeout(function () { live.textContent = msg; }, 50);
  }

  function focusStep(step) {
    var el = step.querySelector("input:checked") || step.querySelector("input,textarea");
    if (el) {
      el.focus();
    }
  }

  function show(i, focus) {
    cur = i;
    steps.forEach(function (s, j) { s.hidden = j !== i; });
    var last = i === steps.length - 1;
    back.hidden = i === 0;
    next.hidden = last;
    send.hidden = !last;
    progress.value = (i + 1) / steps.length;
    if (focus) {
      focusStep(steps[i]);
      var top = form.getBoundingClientRect().top;
      if (top < 0) {
        form.scrollIntoView();
      }
    }
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
      show(cur + 1, true);
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
      if (e.target === document.body || e.target === step || e.target === form) {
        e.preventDefault();
        (step.querySelector("input:checked") || els[0]).focus();
      }
      return;
    }
    if (e.target.type !== "checkbox") {
      return;
    }
    var d = e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1;
    e.preventDefault();
    els[(i + d + els.length) % els.length].focus();
  }

  // exclusive unticks the other options when "none of these" is chosen,
  // and "none of these" when another option is.
  function exclusive(box) {
    if (!box.checked) {
      return;
    }
    var step = box.closest(".step");
    var solo = box.hasAttribute("data-exclusive");
    choices(step).forEach(function (el) {
      if (el !== box && (solo || el.hasAttribute("data-exclusive"))) {
        el.checked = false;
      }
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) {
      return;
    }
    var t = e.target;
    var tag = t.tagName;
    if (e.key === "Enter") {
      if (tag === "BUTTON" || tag === "A" || (tag === "TEXTAREA" && e.shiftKey)) {
        return;
      }
      if (t !== document.body && !form.contains(t)) {
        return;
      }
      e.preventDefault();
      go();
      return;
    }
    if (tag === "TEXTAREA" || e.shiftKey) {
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

  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type === "checkbox" && t.name !== "consent") {
      exclusive(t);
    }
    var step = t.closest(".step");
    if (step && !problem(step)) {
      setError(step, "");
    }
  });

  form.addEventListener("input", function (e) {
    var step = e.target.closest(".step");
    if (step && e.target.tagName === "TEXTAREA" && !problem(step)) {
      setError(step, "");
    }
  });

  form.addEventListener("submit", function (e) {
    if (sending) {
      e.preventDefault();
      return;
    }
    for (var i = 0; i < steps.length; i++) {
      var msg = problem(steps[i]);
      if (msg) {
        e.preventDefault();
        show(i, true);
        setError(steps[i], msg);
        return;
      }
    }
    sending = true;
    form.classList.add("busy");
    send.setAttribute("aria-disabled", "true");
  });

  window.addEventListener("pageshow", function () {
    sending = false;
    form.classList.remove("busy");
    send.removeAttribute("aria-disabled");
  });

  back.addEventListener("click", function () {
    if (cur > 0) {
      show(cur - 1, true);
    }
  });
  next.addEventListener("click", go);

  // After a failed post, start on the first step the server complained about.
  var start = 0;
  var failed = false;
  steps.some(function (s, i) {
    if (document.getElementById(s.id + "-err")) {
      start = i;
      failed = true;
      return true;
    }
    return false;
  });
  if (summary) {
    summary.hidden = true;
  }
  progress.hidden = steps.length < 2;
  show(start, failed);
})();
