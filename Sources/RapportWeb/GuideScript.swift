/// The one script of the question and guide pages, served from `/assets/guides.js` (same origin, so the page's
/// Content-Security-Policy allows it). Every page works without it; it adds:
/// - `textarea[data-lint=ID]`: the lint as you type, written into the element `ID`;
/// - `form[data-autosave]`: each answer is saved to the server a moment after you stop typing;
/// - `form[data-draft=KEY]`: what you type is kept in this browser until the form is sent, and offered back if the
///   tab was closed first.
enum GuideScript {
    static let source = """
        (function () {
          function debounce(fn, ms) { var t = null; return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); }; }
          function clock() { var d = new Date(); return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2); }

          document.querySelectorAll('textarea[data-lint]').forEach(function (box) {
            var out = document.getElementById(box.getAttribute('data-lint'));
            if (!out || !window.fetch) return;
            var run = debounce(function () {
              var text = box.value.trim();
              if (!text) { out.innerHTML = ''; return; }
              fetch('/api/v1/questions/lint', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: text }) })
                .then(function (r) { return r.json(); })
                .then(function (res) {
                  out.innerHTML = '';
                  if (!res.flags) return;
                  if (res.flags.length === 0) {
                    var ok = document.createElement('p'); ok.className = 'ok';
                    ok.textContent = 'Looks open: no closed, leading, double, hypothetical or jargon wording.';
                    out.appendChild(ok); return;
                  }
                  var list = document.createElement('ul'); list.className = 'lint';
                  res.flags.forEach(function (f) {
                    var li = document.createElement('li');
                    var rule = document.createElement('span'); rule.className = 'rule'; rule.textContent = f.rule;
                    li.appendChild(rule);
                    li.appendChild(document.createTextNode(' (\\u201c' + f.trigger + '\\u201d): ' + f.why));
                    var consider = document.createElement('span'); consider.className = 'consider'; consider.textContent = 'Consider: ' + f.suggestion;
                    li.appendChild(consider); list.appendChild(li);
                  });
                  out.appendChild(list);
                });
            }, 300);
            box.addEventListener('input', run);
          });

          document.querySelectorAll('form[data-autosave]').forEach(function (form) {
            if (!window.fetch) return;
            var csrf = form.querySelector('input[name=_csrf]'), guide = form.querySelector('input[name=guide]');
            form.querySelectorAll('textarea[name^="answer."]').forEach(function (box) {
              var status = document.getElementById(box.id + '-saved');
              var save = debounce(function () {
                var body = new URLSearchParams();
                body.append('_csrf', csrf ? csrf.value : '');
                if (guide) body.append('guide', guide.value);
                body.append(box.name, box.value);
                if (status) status.textContent = 'Saving…';
                fetch(form.action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Rapport-Autosave': '1' }, body: body.toString() })
                  .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
                  .then(function (res) { if (status) status.textContent = res.ok ? 'Saved ' + clock() : (res.json.detail || 'Not saved'); })
                  .catch(function () { if (status) status.textContent = 'Not saved: is Rapport still running?'; });
              }, 700);
              box.addEventListener('input', save);
            });
          });

          document.querySelectorAll('form[data-draft]').forEach(function (form) {
            if (!window.localStorage) return;
            var key = 'rapport-draft:' + form.getAttribute('data-draft');
            var fields = function () { return form.querySelectorAll('textarea, input[type=text]'); };
            var note = document.getElementById('draft-note');
            var saved = null;
            try { saved = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { saved = null; }
            if (saved && saved.values && form.getAttribute('data-fresh') === '1') {
              var restored = 0;
              fields().forEach(function (f) { if (!f.value && saved.values[f.name]) { f.value = saved.values[f.name]; restored++; } });
              if (restored && note) {
                note.hidden = false;
                note.querySelector('span').textContent = 'Restored what you typed at ' + saved.at + ' but did not send.';
                note.querySelector('button').addEventListener('click', function () {
                  localStorage.removeItem(key); fields().forEach(function (f) { if (saved.values[f.name] === f.value) f.value = ''; }); note.hidden = true;
                });
              }
            }
            var store = debounce(function () {
              var values = {}, any = false;
              fields().forEach(function (f) { if (f.name && f.name !== '_csrf' && f.value) { values[f.name] = f.value; any = true; } });
              if (any) localStorage.setItem(key, JSON.stringify({ at: clock(), values: values })); else localStorage.removeItem(key);
              var status = document.getElementById('draft-status');
              if (status) status.textContent = any ? 'Draft kept in this browser at ' + clock() : '';
            }, 500);
            form.addEventListener('input', store);
            form.addEventListener('submit', function (e) { if (!e.submitter || e.submitter.name !== 'run') localStorage.removeItem(key); });
          });
        })();
        """
}
