/*
 * The month's review: behaviours run by app.js after their fragment is inserted, and the sync indicator.
 *
 *   #sync-indicator    (menu app header) "Sync Status": spinner + progress while a run is queued/running
 *                      (polled every 2 s), "Last sync: <time>" (every 30 s), "Sync failed" with the error as
 *                      tooltip, and "Sync now" for members who may edit.
 *   usage              [data-usage]: Refresh (pink when a newer completed run exists), Export CSV, selection,
 *                      approve (one / selected / all shown, with typed quantities), dismiss, notes; after a
 *                      change the rows are re-read in place ([data-live-part][data-version]) until the writes
 *                      to ConnectWise have landed.
 *   pod                [data-usage-pod]: approve from the Company screen.
 *   audit, unmapped    local times.
 *   settings           nothing beyond app.js (agreementType is sent empty through data-keep-empty).
 *
 * Results are announced in #usage-live (outside #screen) and shown in the fragment's role=status box.
 */
(function () {
  'use strict';
  var App = window.App;
  var Hosted = window.Hosted;
  if (!App || !Hosted) return;

  var screenEl = document.getElementById('screen');
  var RUNNING = { queued: true, running: true };
  var FAST_MS = 2000;
  var SLOW_MS = 30000;
  var WRITE_POLL_MS = [700, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000];

  var sync = { status: null, timer: null, canEdit: false, starting: false, shownRunId: null, onUsage: false };
  var restoreResults = null; // {html, kind}: put back into the results box after a reload we caused
  var restoreFocus = null; // id of the element to focus after that reload

  // ---- small helpers ---------------------------------------------------------------------------------------

  function h(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.append(child);
    }
    return node;
  }

  function liveRegion() {
    var el = document.getElementById('usage-live');
    if (!el) {
      el = h('div', { id: 'usage-live', className: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
      document.body.appendChild(el);
    }
    return el;
  }

  function announce(text) {
    var el = liveRegion();
    el.textContent = '';
    setTimeout(function () { el.textContent = text; }, 30);
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many || one + 's');
  }

  var timeFormat = (function () {
    try {
      return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    } catch (_) {
      return null;
    }
  })();

  function localTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return timeFormat ? timeFormat.format(d) : d.toLocaleString();
  }

  /** <time datetime data-local> carries UTC text from the server; show the member's local time instead. */
  function localizeTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (t) {
      var text = localTime(t.getAttribute('datetime'));
      if (text) {
        t.title = t.textContent;
        t.textContent = text;
      }
    });
  }

  function markUsageNav() {
    document.querySelectorAll('#app-nav a[data-screen]').forEach(function (a) {
      if (a.getAttribute('data-screen') === 'usage') a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  // ---- sync indicator --------------------------------------------------------------------------------------

  function indicator() {
    return document.getElementById('sync-indicator');
  }

  function scheduleSync(ms) {
    clearTimeout(sync.timer);
    sync.timer = setTimeout(pollSync, ms);
  }

  function pollSync() {
    clearTimeout(sync.timer);
    return Hosted.api('/api/sync/status').then(
      function (s) {
        var before = sync.status;
        sync.status = s;
        renderIndicator();
        updateUsageForSync(before);
        if (before && RUNNING[before.state] && !RUNNING[s.state]) {
          var onUsage = screenEl && screenEl.querySelector('[data-usage]');
          if (s.state === 'succeeded') App.toast(onUsage ? 'Sync complete: click Refresh to see the new data.' : 'Sync complete: the Usage screen shows the new data.');
          else if (s.state === 'failed') App.toast('Sync failed: ' + (s.error || 'see the Usage screen.'), 'error');
        }
        scheduleSync(RUNNING[s.state] ? FAST_MS : SLOW_MS);
      },
      function () {
        scheduleSync(SLOW_MS);
      },
    );
  }

  /** Built once, then updated in place: the header is a live region, so only real changes get announced. */
  function ensureIndicator(root) {
    if (root.querySelector('.sync-state')) return;
    root.textContent = '';
    var state = h('span', { className: 'sync-state', 'data-state': 'idle' },
      h('span', { className: 'spinner spinner-small', 'aria-hidden': 'true', hidden: true }),
      h('span', { className: 'sync-text', text: 'Checking…' }),
      h('span', { className: 'sync-progress', 'aria-hidden': 'true' }));
    root.append(h('span', { className: 'sync-label', text: 'Sync Status' }), state);
    if (sync.canEdit) {
      var button = h('button', { type: 'button', className: 'btn btn-small', id: 'sync-now', text: 'Sync now' });
      button.addEventListener('click', function () { startSync(button); });
      root.append(button);
    }
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function renderIndicator() {
    var root = indicator();
    var s = sync.status;
    if (!root || !s) return;
    ensureIndicator(root);
    var state = root.querySelector('.sync-state');
    var running = RUNNING[s.state] || sync.starting;
    var key = sync.starting && !RUNNING[s.state] ? 'queued' : s.state;
    state.setAttribute('data-state', key);
    state.querySelector('.spinner').hidden = !running;
    var text;
    if (running) text = s.state === 'running' ? 'Syncing…' : 'Sync queued…';
    else if (s.state === 'failed') text = 'Sync failed';
    else if (s.state === 'succeeded' && s.finishedAt) text = 'Last sync: ' + localTime(s.finishedAt);
    else text = 'Not synced yet';
    setText(state.querySelector('.sync-text'), text);
    var progress = running && s.progress && s.progress.total ? ' ' + s.progress.done + '/' + s.progress.total : '';
    setText(state.querySelector('.sync-progress'), progress);
    if (s.state === 'failed' && !running) state.title = s.error || 'The last sync failed.';
    else if (s.state === 'succeeded' && s.finishedAt && !running) state.title = new Date(s.finishedAt).toLocaleString();
    else state.removeAttribute('title');
    var button = root.querySelector('#sync-now');
    if (button) {
      button.disabled = Boolean(running);
      setText(button, 'Sync now');
    }
  }

  function startSync(control) {
    if (sync.starting) return;
    sync.starting = true;
    renderIndicator();
    if (control) control.disabled = true;
    Hosted.api('/api/sync', { method: 'POST' })
      .then(function (run) {
        announce('Sync started.');
        if (sync.status) sync.status = Object.assign({}, sync.status, { state: run.state || 'queued', runId: run.runId, progress: { done: 0, total: 0 } });
      }, function (error) {
        App.toast(error.message || 'The sync could not start.', 'error');
      })
      .then(function () {
        sync.starting = false;
        if (control && control.isConnected && control.id !== 'sync-now') control.disabled = false;
        renderIndicator();
        return pollSync();
      });
  }

  /** Lights the Refresh button when a completed run is newer than the one shown; keeps the sync notice current. */
  function updateUsageForSync(before) {
    var s = sync.status;
    var box = screenEl && screenEl.querySelector('[data-usage]');
    if (!s || !box) return;
    var refresh = box.querySelector('#usage-refresh');
    var newer = s.latestCompletedRunId !== null && s.latestCompletedRunId !== undefined && (sync.shownRunId === null || s.latestCompletedRunId > sync.shownRunId);
    if (refresh) {
      refresh.classList.toggle('btn-pink', newer);
      setText(refresh, newer ? 'Refresh — new data' : 'Refresh');
      if (newer && !refresh.hasAttribute('data-lit')) {
        refresh.setAttribute('data-lit', '');
        if (before) announce('New AppRiver data is ready: use the Refresh button.');
      }
    }
    var problem = box.querySelector('[data-sync-problem]');
    if (!problem) return;
    var shownState = problem.getAttribute('data-state');
    var stateKey = RUNNING[s.state] ? 'running' : s.state;
    var shownKey = RUNNING[shownState] ? 'running' : shownState;
    if (stateKey === shownKey) return;
    problem.setAttribute('data-state', s.state);
    problem.textContent = '';
    if (s.state === 'failed') {
      var alert = h('div', { className: 'alert alert-error usage-sync-failed', role: 'alert', id: 'usage-sync-failed' },
        h('p', {}, h('strong', { text: 'The last sync failed.' }), ' ' + (s.error || '')));
      if (sync.shownRunId !== null) alert.append(h('p', { className: 'small', text: 'The lines below are from the last sync that completed.' }));
      if (sync.canEdit) alert.append(h('div', { className: 'actions' }, h('button', { type: 'button', className: 'btn btn-small', 'data-action': 'sync-now', text: 'Sync now' })));
      problem.append(alert);
    } else if (RUNNING[s.state]) {
      problem.append(h('p', { className: 'alert alert-info usage-syncing', id: 'usage-syncing' },
        h('span', { className: 'spinner', 'aria-hidden': 'true' }),
        ' A sync is running.' + (sync.shownRunId !== null ? ' The lines below stay as they are until you click Refresh when it lights up.' : '')));
    }
  }

  // ---- re-reading a fragment in place ----------------------------------------------------------------------

  function fragmentPath(box) {
    var name = screenEl.getAttribute('data-screen') || 'usage';
    var query = box.getAttribute('data-query') || '';
    return '/screens/' + name + (query ? '?' + query : '');
  }

  function lineIds(root) {
    return Array.prototype.map.call(root.querySelectorAll('tr[data-line-id][data-live-part]'), function (tr) {
      return tr.getAttribute('data-line-id');
    }).join(',');
  }

  /** Reloads the whole screen, keeping the results box and the focus. */
  function reloadKeeping(box) {
    var results = box.querySelector('[role=status].usage-results, #pod-results');
    restoreResults = results && results.innerHTML ? { html: results.innerHTML, className: results.className } : null;
    var active = document.activeElement;
    restoreFocus = active && active.id && box.contains(active) ? active.id : null;
    return App.reload();
  }

  /**
   * Fetches the fragment again and swaps the parts whose data-version changed (rows, tiles, bulk bar): typed
   * quantities, selections and focus elsewhere stay. Resolves to true while some line is still being written.
   */
  function refreshInPlace(box) {
    return Hosted.api(fragmentPath(box), { headers: { Accept: 'text/html' } }).then(function (html) {
      if (!box.isConnected) return false;
      var tpl = document.createElement('template');
      tpl.innerHTML = html;
      var fresh = tpl.content;
      var freshBox = fresh.querySelector('[data-usage], [data-usage-pod]');
      if (!freshBox || freshBox.getAttribute('data-run-id') !== box.getAttribute('data-run-id') || lineIds(fresh) !== lineIds(box)) {
        // Another sync, or lines entered/left the filter: the whole screen.
        reloadKeeping(box);
        return false;
      }
      fresh.querySelectorAll('[data-live-part][id]').forEach(function (node) {
        var current = document.getElementById(node.id);
        if (!current || !box.contains(current)) return;
        if (current.getAttribute('data-version') === node.getAttribute('data-version')) return;
        var active = document.activeElement;
        var hadFocus = active && current.contains(active);
        var focusAction = hadFocus ? active.getAttribute('data-action') : null;
        var checkbox = current.querySelector('[data-select]');
        var wasChecked = checkbox && checkbox.checked;
        var qty = current.querySelector('.qty-input');
        var typed = qty && qty.value !== qty.getAttribute('data-default') ? qty.value : null;
        var adopted = document.importNode(node, true);
        current.replaceWith(adopted);
        localizeTimes(adopted);
        var newBox = adopted.querySelector('[data-select]');
        if (newBox && wasChecked) newBox.checked = true;
        var newQty = adopted.querySelector('.qty-input');
        if (newQty && typed !== null) newQty.value = typed;
        if (hadFocus) {
          var target = (focusAction && adopted.querySelector('[data-action="' + focusAction + '"]:not([disabled])')) || adopted.querySelector('button:not([disabled]), input:not([disabled])');
          if (target) target.focus();
          else {
            var results = box.querySelector('.usage-results, #pod-results');
            if (results) {
              if (!results.hasAttribute('tabindex')) results.setAttribute('tabindex', '-1');
              results.focus();
            }
          }
        }
      });
      if (box.hasAttribute('data-usage')) updateSelection(box);
      return Boolean(box.querySelector('tr[data-status="approved"]'));
    });
  }

  /** After approving: re-read a few times so "Writing…" turns into Written (or Stale/Failed with the reason). */
  function followWrites(box) {
    var step = 0;
    function next() {
      return refreshInPlace(box).then(function (writing) {
        if (!writing || step >= WRITE_POLL_MS.length || !box.isConnected) return;
        return new Promise(function (resolve) { setTimeout(resolve, WRITE_POLL_MS[step++]); }).then(next);
      }, function () { /* the next user action re-reads anyway */ });
    }
    return next();
  }

  // ---- results -----------------------------------------------------------------------------------------------

  function labelOf(box, lineId) {
    var row = box.querySelector('tr[data-line-id="' + lineId + '"]');
    return row ? row.getAttribute('data-label') : 'Line ' + lineId;
  }

  /** "Approved 3 lines. 1 refused: …" in the role=status box and the live region. */
  function showResults(box, verb, results) {
    var done = results.filter(function (r) { return r.result === verb; });
    var already = results.filter(function (r) { return r.result === 'already'; });
    var refused = results.filter(function (r) { return r.result === 'refused'; });
    var headline = [];
    if (done.length) headline.push((verb === 'approved' ? 'Approved ' : 'Dismissed ') + plural(done.length, 'line') + (verb === 'approved' ? ': writing to ConnectWise.' : ' for this period.'));
    if (already.length) headline.push(plural(already.length, 'line was', 'lines were') + ' already approved.');
    if (refused.length) headline.push(plural(refused.length, 'line') + ' refused:');
    if (!headline.length) headline.push('Nothing changed.');
    var tone = refused.length ? (done.length ? 'alert-warn' : 'alert-error') : 'alert-ok';
    var target = box.querySelector('.usage-results, #pod-results');
    var text = headline.join(' ') + (refused.length ? ' ' + refused.map(function (r) { return labelOf(box, r.lineId) + ': ' + (r.message || 'refused'); }).join('; ') : '');
    if (!target) {
      App.toast(text, refused.length ? 'error' : 'ok');
      return;
    }
    target.textContent = '';
    if (target.id === 'pod-results') {
      target.className = 'pod-results small' + (refused.length && !done.length ? ' is-error' : '');
      target.textContent = text;
      return;
    }
    var alert = h('div', { className: 'alert ' + tone }, h('p', {}, h('strong', { text: headline.join(' ') })));
    if (refused.length) {
      var list = h('ul', { className: 'small' });
      refused.forEach(function (r) {
        list.append(h('li', {}, h('strong', { text: labelOf(box, r.lineId) }), ': ' + (r.message || 'refused')));
      });
      alert.append(list);
    }
    target.append(alert);
  }

  // ---- the Usage screen ---------------------------------------------------------------------------------------

  function rowsOf(box, selector) {
    return Array.prototype.slice.call(box.querySelectorAll('tr[data-line-id]' + (selector || '')));
  }

  function selectedRows(box) {
    return rowsOf(box).filter(function (row) {
      var cb = row.querySelector('[data-select]');
      return cb && cb.checked;
    });
  }

  function updateSelection(box) {
    var selected = selectedRows(box);
    var approvable = selected.filter(function (r) { return r.hasAttribute('data-approvable'); });
    var dismissable = selected.filter(function (r) { return r.hasAttribute('data-dismissable'); });
    rowsOf(box).forEach(function (row) {
      var cb = row.querySelector('[data-select]');
      row.classList.toggle('is-selected', Boolean(cb && cb.checked));
    });
    var approveBtn = box.querySelector('[data-action="approve-selected"]');
    var dismissBtn = box.querySelector('[data-action="dismiss-selected"]');
    if (approveBtn) {
      approveBtn.disabled = approvable.length === 0;
      setText(approveBtn.querySelector('[data-count-approve]'), String(approvable.length));
    }
    if (dismissBtn) {
      dismissBtn.disabled = dismissable.length === 0;
      setText(dismissBtn.querySelector('[data-count-dismiss]'), String(dismissable.length));
    }
    var all = box.querySelector('[data-select-all]');
    if (all) {
      var boxes = box.querySelectorAll('[data-select]');
      all.checked = boxes.length > 0 && selected.length === boxes.length;
      all.indeterminate = selected.length > 0 && selected.length < boxes.length;
      all.disabled = boxes.length === 0;
    }
  }

  /** Line ids and the quantities people typed (always sent for a line that needs attention). */
  function approvalBody(rows) {
    var ids = [];
    var quantities = {};
    var invalid = [];
    rows.forEach(function (row) {
      var id = Number(row.getAttribute('data-line-id'));
      var input = row.querySelector('.qty-input');
      if (input) {
        var raw = input.value.trim();
        var changed = raw !== input.getAttribute('data-default');
        if (row.hasAttribute('data-needs-qty') || changed) {
          var n = Number(raw);
          if (raw === '' || !isFinite(n) || n < 0) {
            input.setAttribute('aria-invalid', 'true');
            invalid.push(row);
            return;
          }
          quantities[String(id)] = n;
        }
        input.removeAttribute('aria-invalid');
      }
      ids.push(id);
    });
    var body = { lineIds: ids };
    if (Object.keys(quantities).length) body.quantities = quantities;
    return { body: body, invalid: invalid };
  }

  function approve(box, rows, control) {
    if (!rows.length) return;
    var prepared = approvalBody(rows);
    if (prepared.invalid.length) {
      var names = prepared.invalid.map(function (r) { return r.getAttribute('data-label'); });
      showResults(box, 'approved', prepared.invalid.map(function (r) {
        return { lineId: r.getAttribute('data-line-id'), result: 'refused', message: 'enter the quantity to bill (0 or more) first.' };
      }));
      announce('Enter the quantity to bill for ' + names.join(', ') + '.');
      var first = prepared.invalid[0].querySelector('.qty-input');
      if (first) first.focus();
      return;
    }
    rows.forEach(function (r) { r.classList.add('is-busy'); });
    return App.call('POST /api/usage/approve', prepared.body, control).then(function (res) {
      showResults(box, 'approved', res.results || []);
      rows.forEach(function (r) { r.classList.remove('is-busy'); });
      return followWrites(box);
    }, function () {
      rows.forEach(function (r) { r.classList.remove('is-busy'); });
    });
  }

  function dismiss(box, rows, control) {
    if (!rows.length) return;
    var ids = rows.map(function (r) { return Number(r.getAttribute('data-line-id')); });
    return App.call('POST /api/usage/dismiss', { lineIds: ids }, control).then(function (res) {
      showResults(box, 'dismissed', res.results || []);
      return refreshInPlace(box);
    }, function () {});
  }

  function toggleNote(box, row, button, open) {
    var noteRow = document.getElementById('note-row-' + row.getAttribute('data-line-id'));
    if (!noteRow) return;
    var show = open === undefined ? noteRow.hidden : open;
    noteRow.hidden = !show;
    var trigger = button || row.querySelector('[data-action="note"]');
    if (trigger) trigger.setAttribute('aria-expanded', String(show));
    if (show) {
      var input = noteRow.querySelector('input[name=note]');
      if (input) input.focus();
    } else if (trigger) trigger.focus();
  }

  function saveNote(box, form) {
    var id = form.getAttribute('data-line-id');
    var input = form.querySelector('input[name=note]');
    var button = form.querySelector('[type=submit]');
    App.call('PUT /api/usage/' + id + '/note', { note: input.value.trim() }, button).then(function () {
      var row = box.querySelector('tr[data-line-id="' + id + '"]');
      announce('Note saved for ' + labelOf(box, id) + '.');
      if (row) toggleNote(box, row, null, false);
      return refreshInPlace(box);
    }, function () {});
  }

  function exportCsv(box, button) {
    var query = box.getAttribute('data-csv-query') || '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    Hosted.api('/api/usage.csv' + (query ? '?' + query : ''), { headers: { Accept: 'text/csv' } })
      .then(function (text) {
        var blob = new Blob([typeof text === 'string' ? text : ''], { type: 'text/csv;charset=utf-8' });
        var url = URL.createObjectURL(blob);
        var a = h('a', { href: url, download: 'appriver-usage-' + new Date().toISOString().slice(0, 10) + '.csv', hidden: true });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        announce('CSV exported.');
      }, function (error) {
        App.toast(error.message || 'The CSV could not be exported.', 'error');
      })
      .then(function () {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      });
  }

  function setupUsage(box, ctx) {
    box.setAttribute('data-query', ctx.params.toString());
    var run = box.getAttribute('data-run-id');
    sync.shownRunId = run ? Number(run) : null;
    localizeTimes(box);
    if (restoreResults) {
      var results = box.querySelector('.usage-results');
      if (results) results.innerHTML = restoreResults.html;
      restoreResults = null;
    }
    if (restoreFocus) {
      var target = document.getElementById(restoreFocus);
      restoreFocus = null;
      if (target && !target.disabled) target.focus();
    }

    box.addEventListener('click', function (event) {
      var control = event.target.closest('[data-action]');
      if (!control || !box.contains(control)) return;
      var action = control.getAttribute('data-action');
      var row = control.closest('tr[data-line-id]');
      if (action === 'refresh') {
        var toastEl = document.getElementById('toast');
        if (toastEl && /Refresh/.test(toastEl.textContent)) toastEl.hidden = true;
        App.reload();
      } else if (action === 'export') {
        exportCsv(box, control);
      } else if (action === 'sync-now') {
        startSync(control);
      } else if (action === 'approve-selected') {
        approve(box, selectedRows(box).filter(function (r) { return r.hasAttribute('data-approvable'); }), control);
      } else if (action === 'approve-shown') {
        var shown = rowsOf(box, '[data-approvable]:not([data-needs-qty])');
        if (!shown.length) return;
        if (!window.confirm('Approve all ' + plural(shown.length, 'line') + ' shown and write them to ConnectWise?')) return;
        approve(box, shown, control);
      } else if (action === 'dismiss-selected') {
        dismiss(box, selectedRows(box).filter(function (r) { return r.hasAttribute('data-dismissable'); }), control);
      } else if (action === 'dismiss' && row) {
        dismiss(box, [row], control);
      } else if (action === 'note' && row) {
        toggleNote(box, row, control);
      } else if (action === 'note-cancel') {
        var noteRow = control.closest('tr.note-row');
        var owner = noteRow && box.querySelector('tr[data-line-id="' + noteRow.id.replace('note-row-', '') + '"]');
        if (owner) toggleNote(box, owner, null, false);
      }
    });

    box.addEventListener('submit', function (event) {
      var form = event.target;
      if (form.hasAttribute('data-approve-form')) {
        event.preventDefault();
        var row = form.closest('tr[data-line-id]');
        if (row) approve(box, [row], form.querySelector('[type=submit]'));
      } else if (form.hasAttribute('data-note-form')) {
        event.preventDefault();
        saveNote(box, form);
      }
    });

    box.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      var noteRow = event.target.closest && event.target.closest('tr.note-row');
      var owner = noteRow && box.querySelector('tr[data-line-id="' + noteRow.id.replace('note-row-', '') + '"]');
      if (owner) toggleNote(box, owner, null, false);
    });

    box.addEventListener('change', function (event) {
      var t = event.target;
      if (t.hasAttribute('data-select-all')) {
        box.querySelectorAll('[data-select]').forEach(function (cb) { cb.checked = t.checked; });
        updateSelection(box);
      } else if (t.hasAttribute('data-select')) {
        updateSelection(box);
      }
    });
    box.addEventListener('input', function (event) {
      if (event.target.classList && event.target.classList.contains('qty-input')) event.target.removeAttribute('aria-invalid');
    });

    updateSelection(box);
    if (sync.status) updateUsageForSync(null);
    else if (indicator()) pollSync();
    // Writes still in flight from before (another session, or a reload): follow them too.
    if (box.querySelector('tr[data-status="approved"]')) followWrites(box);
  }

  App.behaviours.usage = function (root, ctx) {
    var box = root.querySelector('[data-usage]');
    if (box) setupUsage(box, ctx);
    // Arriving here (e.g. right after Finish) asks at once, so a running sync is followed closely, not in 30 s.
    pollSync();
  };
  /** The default screen is Usage once setup is finished. */
  App.behaviours.home = function (root, ctx) {
    var box = root.querySelector('[data-usage]');
    if (!box) return;
    markUsageNav();
    setupUsage(box, ctx);
  };

  // ---- other screens ------------------------------------------------------------------------------------------

  App.behaviours.unmapped = function (root) { localizeTimes(root); };
  App.behaviours.audit = function (root) { localizeTimes(root); };

  // ---- the Company pod ---------------------------------------------------------------------------------------

  App.behaviours.pod = function (root, ctx) {
    var box = root.querySelector('[data-usage-pod]');
    if (!box) return;
    box.setAttribute('data-query', ctx.params.toString());
    localizeTimes(box);
    if (restoreResults) {
      var results = box.querySelector('#pod-results');
      if (results) {
        results.className = restoreResults.className;
        results.innerHTML = restoreResults.html;
      }
      restoreResults = null;
    }
    box.addEventListener('click', function (event) {
      var control = event.target.closest('[data-action="approve"]');
      if (!control || !box.contains(control)) return;
      var row = control.closest('tr[data-line-id]');
      if (!row) return;
      control.disabled = true;
      App.call('POST /api/usage/approve', { lineIds: [Number(row.getAttribute('data-line-id'))] }, control).then(function (res) {
        showResults(box, 'approved', res.results || []);
        return followWrites(box);
      }, function () {});
    });
    if (box.querySelector('tr[data-status="approved"]')) followWrites(box);
  };

  // ---- start ---------------------------------------------------------------------------------------------------

  Hosted.ready.then(function (session) {
    sync.canEdit = Boolean(session.member && session.member.canEdit);
    if (indicator()) pollSync();
  }, function () { /* hosted.js shows why */ });
})();
