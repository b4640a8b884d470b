/*
 * The menu-entry app and the company pod: loads server-rendered fragments (with the bearer token from
 * hosted.js) into #screen and wires their declarative attributes:
 *   a[data-screen]                 go to another screen (also #hash links)
 *   form[data-api="PUT /api/.."]   submit as JSON; data-then = reload | screen:<name> | popup | none
 *   button[data-api]               same, body from data-body (JSON)
 *   form[data-filter]              re-render the screen with the form's fields as query parameters
 *   [data-params]                  re-render with these query parameters (pagers, sort links)
 * Screen-specific behaviour (drag and drop, selection) registers itself in window.App.behaviours.
 */
(function () {
  'use strict';
  var screenEl = document.getElementById('screen');
  var isPod = screenEl.hasAttribute('data-pod-company');
  var current = { name: null, params: '' };
  var App = (window.App = { behaviours: {}, load: load, reload: reload, call: call, toast: toast });

  function qs(params) {
    return params ? (params.charAt(0) === '?' ? params : '?' + params) : '';
  }

  function load(name, params) {
    current = { name: name, params: params || '' };
    markNav(name);
    screenEl.setAttribute('aria-busy', 'true');
    var started = Date.now();
    var slow = setTimeout(function () {
      if (screenEl.getAttribute('aria-busy') === 'true') screenEl.insertAdjacentHTML('afterbegin', '<p class="loading"><span class="spinner" aria-hidden="true"></span> Loading…</p>');
    }, 150);
    return Hosted.api('/screens/' + name + qs(current.params), { headers: { Accept: 'text/html' } })
      .then(function (html) {
        clearTimeout(slow);
        var marker = /^<!--screen:([\w-]+)-->/.exec(html);
        if (marker && marker[1] !== name) {
          name = marker[1];
          current.name = name;
          markNav(name);
        }
        screenEl.innerHTML = html;
        screenEl.setAttribute('aria-busy', 'false');
        screenEl.setAttribute('data-screen', name);
        screenEl.setAttribute('data-render-ms', String(Date.now() - started));
        wire(screenEl);
        var behaviour = App.behaviours[name];
        if (behaviour) behaviour(screenEl, { params: new URLSearchParams(current.params) });
      })
      .catch(function (error) {
        clearTimeout(slow);
        screenEl.setAttribute('aria-busy', 'false');
        screenEl.innerHTML = '';
        screenEl.appendChild(errorBox(error));
      });
  }

  function reload() {
    return load(current.name, current.params);
  }

  function markNav(name) {
    document.querySelectorAll('[data-screen]').forEach(function (a) {
      if (a.closest('#app-nav')) {
        if (a.getAttribute('data-screen') === name) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    });
  }

  function errorBox(error) {
    var box = document.createElement('div');
    box.className = 'alert alert-error';
    box.setAttribute('role', 'alert');
    var p = document.createElement('p');
    p.textContent = (error && error.message) || 'Something went wrong.';
    box.appendChild(p);
    return box;
  }

  function toast(text, kind) {
    var el = document.getElementById('toast');
    if (!el) {
      el = document.createElement('div');
      el.id = 'toast';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'polite');
      document.body.appendChild(el);
    }
    el.className = 'toast toast-' + (kind || 'ok');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(function () { el.hidden = true; }, 5000);
  }

  /** "PUT /api/x" + body → JSON, with a spinner on the control and errors shown next to it. */
  function call(spec, body, control) {
    var parts = spec.split(' ');
    var errorEl = control && (control.closest('form') || control.parentElement).querySelector('[data-error]');
    if (errorEl) errorEl.textContent = '';
    if (control) {
      control.disabled = true;
      control.setAttribute('aria-busy', 'true');
    }
    return Hosted.api(parts[1], { method: parts[0], body: body })
      .catch(function (error) {
        if (errorEl) errorEl.textContent = error.message;
        else toast(error.message, 'error');
        throw error;
      })
      .finally(function () {
        if (control) {
          control.disabled = false;
          control.removeAttribute('aria-busy');
        }
      });
  }

  function formBody(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      if (el.type === 'checkbox') body[el.name] = el.checked;
      else if (el.type === 'radio') { if (el.checked) body[el.name] = el.value; }
      else if (el.type === 'number') body[el.name] = el.value === '' ? null : Number(el.value);
      else if (el.value !== '' || el.hasAttribute('data-keep-empty')) body[el.name] = el.value;
    });
    return body;
  }

  function after(then, result) {
    if (!then || then === 'reload') return reload();
    if (then.indexOf('screen:') === 0) return go(then.slice(7));
    if (then === 'popup' && result && result.url) return openPopup(result.url);
  }

  function openPopup(url) {
    var popup = window.open(url, 'appriver-auth', 'width=520,height=680');
    if (!popup) toast('Allow pop-ups for this page, then click again.', 'error');
    reload();
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin) return;
    try {
      var data = JSON.parse(event.data);
      if (data.type === 'appriver-oauth') {
        toast(data.ok ? 'AppRiver connected. Importing accounts and services…' : 'AppRiver sign-in did not complete.', data.ok ? 'ok' : 'error');
        reload();
      }
    } catch (_) { /* not ours */ }
  });

  function wire(root) {
    root.querySelectorAll('form[data-api]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var button = form.querySelector('[type=submit]');
        call(form.getAttribute('data-api'), formBody(form), button).then(function (result) {
          if (form.getAttribute('data-success')) toast(form.getAttribute('data-success'));
          after(form.getAttribute('data-then'), result);
        }, function () {});
      });
    });
    root.querySelectorAll('button[data-api]').forEach(function (button) {
      button.addEventListener('click', function () {
        var confirmText = button.getAttribute('data-confirm');
        if (confirmText && !window.confirm(confirmText)) return;
        var body = button.getAttribute('data-body');
        call(button.getAttribute('data-api'), body ? JSON.parse(body) : undefined, button).then(function (result) {
          if (button.getAttribute('data-success')) toast(button.getAttribute('data-success'));
          after(button.getAttribute('data-then'), result);
        }, function () {});
      });
    });
    root.querySelectorAll('form[data-filter]').forEach(function (form) {
      function apply() {
        var params = new URLSearchParams();
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.name && el.value) params.set(el.name, el.value);
        });
        load(current.name, params.toString());
      }
      form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
      form.querySelectorAll('select').forEach(function (s) { s.addEventListener('change', apply); });
    });
    root.querySelectorAll('[data-params]').forEach(function (el) {
      el.addEventListener('click', function (event) {
        event.preventDefault();
        load(current.name, el.getAttribute('data-params'));
      });
    });
  }

  function go(name) {
    if (isPod) return load(name);
    if (window.location.hash !== '#' + name) window.location.hash = name;
    else load(name);
  }
  App.go = go;

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-screen]');
    if (!link || link.closest('#app-nav')) return;
    event.preventDefault();
    go(link.getAttribute('data-screen'));
  });

  Hosted.ready.then(function (session) {
    var who = document.getElementById('member-name');
    if (who) {
      var name = document.createElement('span');
      name.className = 'member-full';
      name.textContent = session.member.name + (session.member.canEdit ? '' : ' ');
      who.replaceChildren(name);
      if (!session.member.canEdit) who.append('(read-only)');
      who.classList.toggle('can-edit', session.member.canEdit);
    }
    document.body.classList.toggle('read-only', !session.member.canEdit);
    if (isPod) return load('pod', 'company=' + encodeURIComponent(screenEl.getAttribute('data-pod-company') || (session.screen && session.screen.id) || ''));
    window.addEventListener('hashchange', function () { load(window.location.hash.slice(1) || 'connect'); });
    load(window.location.hash.slice(1) || 'home');
  }, function () { /* hosted.js shows why in #hosted-status */ });
})();
