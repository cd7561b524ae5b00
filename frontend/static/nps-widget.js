// Brandlift NPS widget, embedded by a customer's page as
// <script src="https://HOST/w/nps.js" data-study="PUBLIC_KEY" data-token="TOKEN" data-locale="ru" async></script>
// (docs/INTEGRATION.md). It asks the API whether to ask this person now and,
// if so, draws the 0-10 question in a shadow root, which the page's CSS
// cannot reach. No dependencies; the served file stays under 10 KB.
(() => {
  'use strict';
  const SRC = /\/w\/nps\.js([?#].*)?$/;
  const me = document.currentScript || [...document.querySelectorAll('script[src]')].filter(s => SRC.test(s.src)).pop();
  const origin = me ? new URL(me.src, location.href).origin : '';
  if (window.BrandliftNPS) {
    if (me && me.dataset.study) window.BrandliftNPS.show(me.dataset);
    return;
  }
  // state: idle, loading, open, answered, dismissed, hidden (not to be asked
  // now; reason says why), error (could not ask, or not sent), closed.
  const api = window.BrandliftNPS = { state: 'idle', reason: '', show };

  const T = {
    ru: { close: 'Закрыть', lo: '0 — точно нет', hi: '10 — обязательно', of: ' из 10', your: 'Ваша оценка: ', send: 'Отправить', skip: 'Пропустить',
      thanks: 'Спасибо!', saved: 'Ваш ответ записан.', fail: 'Ответ не отправлен. Проверьте подключение к интернету.', retry: 'Отправить ещё раз', bad: 'Ответ не удалось сохранить. Извините!' },
    en: { close: 'Close', lo: '0 — not likely', hi: '10 — extremely likely', of: ' out of 10', your: 'Your score: ', send: 'Send', skip: 'Skip',
      thanks: 'Thank you!', saved: 'Your answer has been recorded.', fail: 'Your answer was not sent. Check your connection.', retry: 'Try again', bad: 'We could not save your answer. Sorry!' }
  };

  // Colours and type of the survey page (survey.css). Sizes are in px: the
  // page's rem is not ours.
  const A = '#3b4cca', CSS = `:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;right:16px!important;bottom:16px!important;width:420px!important;max-width:calc(100vw - 32px)!important;color-scheme:light!important}
*{box-sizing:border-box}
.c{position:relative;background:#fff;color:#1b1f2a;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;text-align:left;border:1px solid #e2e5ec;border-radius:16px;padding:20px;box-shadow:0 1px 2px #1018281a,0 8px 28px #1018282e;animation:up .2s ease-out}
@keyframes up{from{transform:translateY(16px);opacity:0}}
[hidden]{display:none!important}
h2{margin:0 40px 14px 0;font-size:17px;font-weight:650;line-height:1.3;overflow-wrap:break-word}h2:focus{outline:0}
button,textarea{font:inherit;color:inherit;margin:0}button{cursor:pointer}
:focus-visible{outline:3px solid ${A};outline-offset:2px}
.x{position:absolute;top:8px;right:8px;width:40px;height:40px;padding:0;border:0;border-radius:10px;background:none;color:#5b6272;font-size:26px;line-height:1}
.x:hover{background:#eef0fc;color:#1b1f2a}
.s{display:grid;grid-template-columns:repeat(11,minmax(0,1fr));gap:4px}
.s button{height:40px;min-width:0;padding:0;border:1.5px solid #868d9e;border-radius:8px;background:#fff;font-weight:600}
.s button:hover{border-color:${A};background:#eef0fc}.s [aria-pressed=true]{background:${A};border-color:${A};color:#fff}
.a{display:flex;justify-content:space-between;gap:12px;margin-top:8px;color:#5b6272;font-size:13px}
.m{margin:-8px 0 10px;color:#5b6272;font-size:14px}
textarea{display:block;width:100%;min-height:88px;padding:10px 12px;border:1.5px solid #868d9e;border-radius:12px;background:#fff;font-size:16px;resize:vertical}
textarea:focus{border-color:${A}}
.b{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.b button{min-height:44px;padding:0 18px;border-radius:12px;border:1.5px solid ${A};background:${A};color:#fff;font-weight:600}
.b .p:hover{background:#2d3a99}.b .q{background:#fff;color:${A};border-color:#e2e5ec}.b .q:hover{border-color:${A}}
.l{margin:0 40px 0 0}.t{display:block;font-size:20px;margin-bottom:2px}.e{color:#b42318}
@media (max-width:480px){:host{left:0!important;right:0!important;bottom:0!important;width:auto!important;max-width:none!important}
.c{border-width:1px 0 0;border-radius:16px 16px 0 0;padding:16px 16px max(16px,env(safe-area-inset-bottom))}
.s{grid-template-columns:repeat(30,minmax(0,1fr));gap:6px}.s button{grid-column:span 5;height:44px;font-size:16px}.s button:nth-child(n+7){grid-column:span 6}}
@media (prefers-reduced-motion:reduce){.c{animation:none}}`;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const button = (cls, label, fn) => {
    const b = el('button', cls, label);
    b.type = 'button';
    b.onclick = fn;
    return b;
  };

  function show(o) {
    o = o || {};
    if (!o.study || !o.token || api.state === 'loading' || api.state === 'open') return;
    const url = String(o.base || origin).replace(/\/+$/, '') + '/api/v1/public/studies/' + encodeURIComponent(o.study);
    api.state = 'loading';
    api.reason = '';
    fetch(url + '/eligibility?t=' + encodeURIComponent(o.token) + (o.locale ? '&locale=' + encodeURIComponent(o.locale) : ''), { credentials: 'omit', cache: 'no-store' })
      .then(r => { if (!r.ok) throw r.status; return r.json(); })
      .then(e => {
        if (!e.eligible || !e.survey) { api.reason = e.reason || ''; api.state = 'hidden'; } else open(url, o.token, e.ask, e.survey);
      }, () => { api.state = 'error'; });
  }

  function open(url, token, ask, sv) {
    const L = T[/^ru/.test(sv.locale) ? 'ru' : 'en'];
    const host = el('brandlift-nps'), root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<div class="c" role="dialog" aria-labelledby="h"><h2 id="h" tabindex="-1"></h2>' +
      '<p class="l" id="l" role="status" aria-live="polite"></p><div id="b"></div><button type="button" class="x">×</button></div>';
    try { // a constructed sheet passes a page's strict style-src
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (_) {
      root.prepend(el('style', '', CSS));
    }
    const $ = s => root.querySelector(s), card = $('.c'), x = $('.x'), h = $('h2'), body = $('#b'), live = $('#l');
    let step = 'scale', score = -1, text = null, pending = null, quiet = false, busy = false, timer = 0;
    const t0 = Date.now();
    x.setAttribute('aria-label', L.close);

    const post = (path, data, keep) => fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data), credentials: 'omit', keepalive: !!keep });
    const finish = s => {
      clearTimeout(timer);
      removeEventListener('pagehide', leave);
      removeEventListener('online', online);
      host.remove();
      api.state = s;
    };
    // take moves the focus into the widget, unless the person is busy
    // elsewhere on the page (typing in its search box, say).
    const take = e => {
      const a = document.activeElement;
      if (!a || a === host || a === document.body || a === document.documentElement) e.focus({ preventScroll: true });
    };
    const heading = s => { h.hidden = !s; h.textContent = s || ''; };

    function scale() {
      heading(sv.question.text);
      const g = el('div', 's'), a = el('div', 'a');
      g.setAttribute('role', 'group');
      g.setAttribute('aria-labelledby', 'h');
      for (let i = 0; i <= 10; i++) {
        const b = button('', String(i), pick);
        b.value = i;
        b.setAttribute('aria-pressed', 'false');
        b.setAttribute('aria-label', i === 0 ? L.lo : i === 10 ? L.hi : i + L.of);
        g.append(b);
      }
      g.onkeydown = e => {
        const i = [...g.children].indexOf(root.activeElement), k = e.key;
        const j = k === 'ArrowRight' ? i + 1 : k === 'ArrowLeft' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? 10 : -1;
        if (i >= 0 && j >= 0 && j <= 10) { e.preventDefault(); g.children[j].focus(); }
      };
      a.setAttribute('aria-hidden', 'true');
      a.append(el('span', '', L.lo), el('span', '', L.hi));
      body.append(g, a);
    }

    function pick() {
      if (step !== 'scale') return;
      score = +this.value;
      this.setAttribute('aria-pressed', 'true');
      if (!sv.comment) return answer();
      step = 'comment';
      heading(sv.comment.text);
      text = el('textarea');
      text.maxLength = 2000;
      text.rows = 3;
      text.setAttribute('aria-labelledby', 'h');
      text.onkeydown = e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); answer(); } };
      const bs = el('div', 'b');
      bs.append(button('p', L.send, () => answer()), button('q', L.skip, () => { text.value = ''; answer(); }));
      body.replaceChildren(el('p', 'm', L.your + score), text, bs);
      take(text);
    }

    // answer sends the score, and the comment unless bare; in the background
    // when the person closed the widget, which comes back only on a failure.
    function answer(bare, background) {
      const answers = { [sv.question.key]: score }, c = !bare && text && text.value.trim();
      if (c) answers[sv.comment.key] = c;
      pending = { token, ask, answers, locale: sv.locale, duration_ms: Math.min(Date.now() - t0, 864e5) };
      step = 'sending';
      if (background) card.hidden = quiet = true;
      submit();
    }
    function submit() {
      if (busy) return;
      busy = true;
      post('/responses', pending, quiet).then(r => {
        busy = false;
        if (r.ok) done();
        else if (r.status === 409) finish('hidden'); // answered or asked too recently
        else fail(r.status >= 500 || r.status === 408 || r.status === 429);
      }, () => { busy = false; fail(true); });
    }
    function done() {
      if (quiet) return finish('answered');
      step = 'thanks';
      api.state = 'answered';
      body.replaceChildren();
      heading('');
      live.className = 'l';
      live.replaceChildren(el('strong', 't', L.thanks), L.saved);
      take(x);
      timer = setTimeout(() => finish('answered'), 3500);
    }
    // fail keeps the answer and offers to send it again (the same ask: a
    // repeat is never stored twice). An answer refused (4xx) is not retried.
    function fail(again) {
      step = again ? 'retry' : 'refused';
      api.state = 'error';
      card.hidden = quiet = false;
      heading('');
      live.className = 'l e';
      live.textContent = again ? L.fail : L.bad;
      body.replaceChildren();
      if (!again) return take(x);
      const bs = el('div', 'b'), b = button('p', L.retry, submit);
      bs.append(b);
      body.append(bs);
      take(b);
    }
    function online() { if (step === 'retry') submit(); }
    function leave() { if (step === 'comment') answer(true, true); }

    function close() {
      if (step === 'scale') {
        post('/prompts', { token, ask, event: 'dismissed' }, true).catch(() => {});
        finish('dismissed');
      } else if (step === 'comment') answer(true, true);
      else if (step === 'sending') card.hidden = quiet = true;
      else finish(step === 'thanks' ? 'answered' : 'closed');
    }

    x.onclick = close;
    root.addEventListener('keydown', e => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    addEventListener('pagehide', leave);
    addEventListener('online', online);
    scale();
    (document.body || document.documentElement).append(host);
    api.state = 'open';
    take(h);
    post('/prompts', { token, ask, event: 'shown' }).then(r => { if (r.status === 409 && step === 'scale') finish('hidden'); }, () => {});
  }

  if (me && me.dataset.study) show(me.dataset);
})();
