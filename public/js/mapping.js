/*
 * The mapping screens (Accounts, Services, Finish): behaviours run by app.js after their fragment is inserted.
 *
 *   left pane   [data-picker]   ConnectWise companies / catalog products, searched on the server (debounced),
 *                               paged, a listbox: arrows move, Enter/Space select; items are draggable
 *   right pane  tr[data-row]    AppRiver accounts / services; tr[data-drop] accepts a dropped item;
 *                               [data-action] = match | confirm | unmap | exclude | include
 *   toolbar     [data-action=auto-match], finish: [data-action=finish]
 *
 * The picker's search, page, results and selection live in module variables, so they survive App.reload()
 * after every change. Results are announced in #mapping-live (outside #screen, so reloads do not cut them off).
 */
(function () {
  'use strict';
  var App = window.App;
  if (!App) return;

  var DRAG_TYPE = 'application/x-appriver-psa-item';
  var PICKERS = {
    company: {
      api: '/api/psa/companies',
      noun: 'company',
      plural: 'companies',
      name: function (item) { return item.name; },
      code: function (item) { return item.identifier; },
      short: function (item) { return item.name; },
    },
    product: {
      api: '/api/psa/products',
      noun: 'product',
      plural: 'products',
      name: function (item) { return item.identifier; },
      code: function (item) { return item.description; },
      short: function (item) { return item.identifier; },
    },
  };
  var SCREENS = {
    accounts: { kind: 'company', path: '/api/accounts/' },
    services: { kind: 'product', path: '/api/services/' },
  };

  function freshPicker() {
    return { search: '', page: 1, items: null, total: 0, pageSize: 25, loadedFor: null, selected: null, active: -1, seq: 0, render: null };
  }
  /** Survives reloads of the screen. */
  var pickers = { company: freshPicker(), product: freshPicker() };
  var dragging = null; // {kind, item} while an item of the left pane is dragged
  var pendingFocus = null; // {screen, id, index}: where keyboard focus goes after the reload
  var lastMessage = null; // {screen, text, kind}: shown once after the reload
  var shown = null; // the screen last rendered here; another one (or a navigation) starts at the top
  window.addEventListener('hashchange', function () { shown = null; });

  function startAtTop(screen) {
    if (shown !== screen) window.scrollTo(0, 0);
    shown = screen;
  }

  // ---- announcements ---------------------------------------------------------------------------------------

  function liveRegion() {
    var el = document.getElementById('mapping-live');
    if (!el) {
      el = document.createElement('div');
      el.id = 'mapping-live';
      el.className = 'visually-hidden';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'polite');
      el.setAttribute('aria-atomic', 'true');
      document.body.appendChild(el);
    }
    return el;
  }

  function announce(text) {
    var el = liveRegion();
    el.textContent = '';
    // A change of text is what screen readers pick up; an identical repeat needs the blank first.
    setTimeout(function () { el.textContent = text; }, 30);
  }

  function putMessage(root, message) {
    var el = root && root.querySelector('[data-mapping-last]');
    if (!el) return;
    el.textContent = message.text;
    el.className = 'mapping-last small ' + (message.kind === 'error' ? 'is-error' : 'is-ok');
    el.hidden = false;
  }

  /** The result of the change that caused this reload, shown once. */
  function showLast(root, screen) {
    if (!lastMessage || lastMessage.screen !== screen) return;
    putMessage(root, lastMessage);
    lastMessage = null;
  }

  function report(screen, text) {
    lastMessage = { screen: screen, text: text, kind: 'ok' };
    announce(text);
  }

  // ---- the left pane: search, page, select, drag -----------------------------------------------------------

  function setupPicker(root, kind, canEdit, onSelect) {
    var el = root.querySelector('[data-picker="' + kind + '"]');
    if (!el) return null;
    var cfg = PICKERS[kind];
    var s = pickers[kind];
    var input = el.querySelector('[data-picker-search]');
    var list = el.querySelector('[data-picker-list]');
    var status = el.querySelector('[data-picker-status]');
    var pager = el.querySelector('[data-picker-pager]');
    var prev = el.querySelector('[data-picker-prev]');
    var next = el.querySelector('[data-picker-next]');
    var range = el.querySelector('[data-picker-range]');
    var selectedText = el.querySelector('[data-picker-selected-text]');
    var clear = el.querySelector('[data-picker-clear]');
    var timer = null;
    input.value = s.search;

    function optionId(item) { return 'picker-' + kind + '-opt-' + item.id; }

    function render() {
      if (!el.isConnected) return;
      var items = s.items || [];
      list.textContent = '';
      items.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = optionId(item);
        li.className = 'picker-item';
        li.setAttribute('data-index', String(i));
        if (canEdit) {
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', s.selected && s.selected.id === item.id ? 'true' : 'false');
          li.draggable = true;
        }
        var name = document.createElement('span');
        name.className = 'picker-name';
        name.textContent = cfg.name(item);
        var code = document.createElement('span');
        code.className = 'picker-code';
        code.textContent = cfg.code(item) || '';
        li.appendChild(name);
        li.appendChild(code);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      if (s.active >= items.length) s.active = items.length - 1;
      markActive(false);
      var pages = Math.max(1, Math.ceil(s.total / s.pageSize));
      pager.hidden = pages <= 1;
      prev.disabled = s.page <= 1;
      next.disabled = s.page >= pages;
      var from = s.total ? (s.page - 1) * s.pageSize + 1 : 0;
      range.textContent = from + '–' + Math.min(s.total, from + items.length - 1) + ' of ' + s.total;
      if (s.items) {
        status.textContent = items.length
          ? s.total + ' ' + (s.total === 1 ? cfg.noun : cfg.plural) + (s.search ? (s.total === 1 ? ' matches' : ' match') + ' “' + s.search + '”' : '')
          : 'No ' + cfg.plural + (s.search ? ' match “' + s.search + '”.' : '.');
      }
      renderSelected();
    }

    function renderSelected() {
      if (selectedText) {
        selectedText.textContent = s.selected
          ? 'Selected: ' + cfg.name(s.selected) + (cfg.code(s.selected) ? ' (' + cfg.code(s.selected) + ')' : '')
          : 'No ' + cfg.noun + ' selected.';
      }
      if (clear) clear.hidden = !s.selected;
      Array.prototype.forEach.call(list.children, function (li) {
        var item = (s.items || [])[Number(li.getAttribute('data-index'))];
        if (canEdit) li.setAttribute('aria-selected', s.selected && item && s.selected.id === item.id ? 'true' : 'false');
      });
    }

    function markActive(scroll) {
      var items = s.items || [];
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.classList.toggle('is-active', i === s.active);
      });
      if (canEdit && s.active >= 0 && items[s.active]) {
        list.setAttribute('aria-activedescendant', optionId(items[s.active]));
        if (scroll) list.children[s.active].scrollIntoView({ block: 'nearest' });
      } else list.removeAttribute('aria-activedescendant');
    }

    function fetchPage() {
      s.search = input.value.trim();
      var seq = ++s.seq;
      var search = s.search;
      var page = s.page;
      el.setAttribute('aria-busy', 'true');
      status.innerHTML = '<span class="spinner" aria-hidden="true"></span> Loading…';
      return Hosted.api(cfg.api + '?search=' + encodeURIComponent(search) + '&page=' + page)
        .then(function (res) {
          if (seq !== s.seq) return;
          s.items = res.items || [];
          s.total = Number(res.total) || s.items.length;
          s.pageSize = Number(res.pageSize) || 25;
          s.loadedFor = search + '\u0000' + page;
          s.active = document.activeElement === list && s.items.length ? 0 : -1;
          if (s.render) s.render();
        }, function (error) {
          if (seq !== s.seq) return;
          if (s.render === render) status.textContent = 'Could not load ' + cfg.plural + ': ' + (error.message || 'error');
        })
        .then(function () {
          if (seq === s.seq) el.removeAttribute('aria-busy');
        });
    }

    function select(index) {
      var item = (s.items || [])[index];
      if (!item) return;
      s.selected = { id: item.id, identifier: item.identifier, name: item.name, description: item.description };
      renderSelected();
      onSelect(s.selected);
      announce('Selected ' + cfg.name(item) + '. Press Match on a row to map it.');
    }

    s.render = render;

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { s.page = 1; fetchPage(); }, 250);
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        clearTimeout(timer);
        s.page = 1;
        fetchPage();
      } else if (event.key === 'ArrowDown' && canEdit && s.items && s.items.length) {
        event.preventDefault();
        s.active = 0;
        list.focus();
        markActive(true);
      }
    });
    prev.addEventListener('click', function () { if (s.page > 1) { s.page--; fetchPage(); } });
    next.addEventListener('click', function () { s.page++; fetchPage(); });
    if (clear) {
      clear.addEventListener('click', function () {
        s.selected = null;
        renderSelected();
        onSelect(null);
        announce('Selection cleared.');
        input.focus();
      });
    }

    if (canEdit) {
      list.addEventListener('focus', function () {
        if (s.active < 0 && s.items && s.items.length) {
          var selectedIndex = s.selected ? s.items.findIndex(function (i) { return i.id === s.selected.id; }) : -1;
          s.active = selectedIndex >= 0 ? selectedIndex : 0;
        }
        markActive(true);
      });
      list.addEventListener('keydown', function (event) {
        var count = (s.items || []).length;
        if (!count) return;
        var handled = true;
        switch (event.key) {
          case 'ArrowDown': s.active = Math.min(count - 1, s.active + 1); break;
          case 'ArrowUp':
            if (s.active <= 0) { s.active = -1; markActive(false); input.focus(); return event.preventDefault(); }
            s.active -= 1;
            break;
          case 'Home': s.active = 0; break;
          case 'End': s.active = count - 1; break;
          case 'Enter':
          case ' ':
            select(s.active < 0 ? 0 : s.active);
            break;
          default: handled = false;
        }
        if (handled) {
          event.preventDefault();
          markActive(true);
        }
      });
      // A press on an item makes it the active one before the list takes focus (so a drag does not ring another).
      list.addEventListener('mousedown', function (event) {
        var li = event.target.closest && event.target.closest('li[data-index]');
        if (li) s.active = Number(li.getAttribute('data-index'));
      });
      list.addEventListener('click', function (event) {
        var li = event.target.closest('li[data-index]');
        if (!li) return;
        s.active = Number(li.getAttribute('data-index'));
        markActive(false);
        select(s.active);
      });
      list.addEventListener('dragstart', function (event) {
        var li = event.target.closest && event.target.closest('li[data-index]');
        var item = li && (s.items || [])[Number(li.getAttribute('data-index'))];
        if (!item) return;
        dragging = { kind: kind, item: item };
        event.dataTransfer.effectAllowed = 'copy';
        event.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ kind: kind, item: item }));
        event.dataTransfer.setData('text/plain', cfg.name(item));
        li.classList.add('is-dragged');
        document.body.classList.add('is-dragging');
      });
      list.addEventListener('dragend', function (event) {
        var li = event.target.closest && event.target.closest('li');
        if (li) li.classList.remove('is-dragged');
        endDrag();
      });
    }

    if (s.items && s.loadedFor === s.search + '\u0000' + s.page) render();
    else fetchPage();
    return { state: s, config: cfg };
  }

  function endDrag() {
    dragging = null;
    document.body.classList.remove('is-dragging');
    document.querySelectorAll('.is-drop-target').forEach(function (el) { el.classList.remove('is-drop-target'); });
  }

  // ---- the right pane: rows, actions, drop targets ---------------------------------------------------------

  function rowLabel(row) { return row.getAttribute('data-name') || ''; }

  /** "…Inc." + "." reads badly: end a sentence with exactly one full stop. */
  function sentence(text) { return /[.!?]$/.test(text) ? text : text + '.'; }

  function updateMatchButtons(root, kind, selected) {
    var cfg = PICKERS[kind];
    root.querySelectorAll('button[data-action="match"]').forEach(function (button) {
      if (selected) {
        var text = 'Match with ' + cfg.short(selected);
        button.textContent = text;
        button.title = text + ' → ' + rowLabel(button.closest('tr'));
        button.disabled = false;
      } else {
        button.textContent = 'Match';
        button.title = 'Select a ConnectWise ' + cfg.noun + ' on the left first';
        button.disabled = true;
      }
    });
  }

  function rowIndex(row) {
    return Array.prototype.indexOf.call(row.parentElement.children, row);
  }

  /** After a change: remember what to show and where focus goes, then re-render the screen. */
  function done(screen, row, text, keyboard) {
    report(screen, text);
    pendingFocus = keyboard && row ? { screen: screen, id: row.getAttribute('data-id'), index: rowIndex(row) } : null;
    return App.reload();
  }

  /** App.call has already shown and announced the error (toast); it also stays next to the toolbar. */
  function failed(_screen, error) {
    putMessage(document.getElementById('screen'), { text: (error && error.message) || 'That did not work.', kind: 'error' });
  }

  function mapRow(screen, row, item, method, control, keyboard) {
    var conf = SCREENS[screen];
    var cfg = PICKERS[conf.kind];
    var body = screen === 'accounts' ? { psaCompanyId: Number(item.id), method: method } : { psaProductId: Number(item.id) };
    row.classList.add('is-busy');
    return App.call('PUT ' + conf.path + row.getAttribute('data-id') + '/mapping', body, control)
      .then(function (result) {
        var text = sentence(rowLabel(row) + ' mapped to ' + (item.label || cfg.short(item)));
        var mapping = result && result.mapping;
        if (screen === 'accounts' && mapping) {
          if (mapping.agreementName) text += ' ' + sentence('Agreement: ' + mapping.agreementName);
          else if (mapping.agreementProblem === 'choose') text += ' Choose its agreement.';
          else if (mapping.agreementProblem === 'none_active') text += ' The company has no active agreement.';
        }
        return done(screen, row, text, keyboard);
      }, function (error) {
        row.classList.remove('is-busy');
        failed(screen, error);
      });
  }

  function rowAction(screen, button, keyboard) {
    var row = button.closest('tr[data-row]');
    var conf = SCREENS[screen];
    var action = button.getAttribute('data-action');
    var id = row && row.getAttribute('data-id');
    if (action === 'match') {
      var selected = pickers[conf.kind].selected;
      if (selected) mapRow(screen, row, selected, 'manual', button, keyboard);
      return;
    }
    if (action === 'confirm') {
      var target = { id: button.getAttribute('data-target-id'), label: button.getAttribute('data-target-label') };
      mapRow(screen, row, target, 'suggestion', button, keyboard);
      return;
    }
    var spec;
    var body;
    var text;
    if (action === 'unmap') {
      spec = 'DELETE ' + conf.path + id + '/mapping';
      text = rowLabel(row) + ' unmapped.';
    } else if (action === 'exclude' || action === 'include') {
      spec = 'POST /api/accounts/' + id + '/exclude';
      body = { excluded: action === 'exclude' };
      text = rowLabel(row) + (action === 'exclude' ? ' excluded from reconciliation.' : ' included again.');
    } else return;
    App.call(spec, body, button).then(function () { return done(screen, row, text, keyboard); }, function (error) { failed(screen, error); });
  }

  function setupAgreements(root) {
    var selects = root.querySelectorAll('select[data-agreement]');
    var byCompany = {};
    selects.forEach(function (select) {
      var id = select.getAttribute('data-company-id');
      (byCompany[id] = byCompany[id] || []).push(select);
      select.addEventListener('change', function () {
        if (!select.value) return;
        var row = select.closest('tr[data-row]');
        var agreement = select.options[select.selectedIndex].text;
        App.call('PUT /api/accounts/' + row.getAttribute('data-id') + '/mapping', { psaCompanyId: Number(id), agreementId: Number(select.value) }, select)
          .then(function () {
            return done('accounts', row, sentence(rowLabel(row) + ': agreement set to ' + agreement), true);
          }, function (error) { failed('accounts', error); });
      });
    });
    Object.keys(byCompany).forEach(function (companyId) {
      var list = byCompany[companyId];
      list.forEach(function (s) { s.disabled = true; s.options[0].text = 'Loading…'; });
      Hosted.api('/api/psa/companies/' + encodeURIComponent(companyId) + '/agreements').then(function (res) {
        var items = res.items || [];
        list.forEach(function (select) {
          select.options[0].text = items.length ? 'Choose…' : 'No active agreement';
          items.forEach(function (a) {
            var option = document.createElement('option');
            option.value = String(a.id);
            option.text = a.name + (a.type ? ' (' + a.type + ')' : '');
            select.appendChild(option);
          });
          select.disabled = items.length === 0;
        });
      }, function (error) {
        list.forEach(function (select) { select.options[0].text = 'Could not load: ' + error.message; });
      });
    });
  }

  function setupDrops(root, screen) {
    var kind = SCREENS[screen].kind;
    var table = root.querySelector('.mapping-table tbody');
    if (!table) return;
    function accepts(event) {
      if (dragging) return dragging.kind === kind;
      var types = event.dataTransfer && event.dataTransfer.types;
      return Boolean(types && Array.prototype.indexOf.call(types, DRAG_TYPE) >= 0);
    }
    table.addEventListener('dragover', function (event) {
      var row = event.target.closest && event.target.closest('tr[data-drop]');
      if (!row || !accepts(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      if (!row.classList.contains('is-drop-target')) {
        table.querySelectorAll('.is-drop-target').forEach(function (r) { r.classList.remove('is-drop-target'); });
        row.classList.add('is-drop-target');
      }
    });
    table.addEventListener('dragleave', function (event) {
      var row = event.target.closest && event.target.closest('tr[data-drop]');
      if (row && !row.contains(event.relatedTarget)) row.classList.remove('is-drop-target');
    });
    table.addEventListener('drop', function (event) {
      var row = event.target.closest && event.target.closest('tr[data-drop]');
      if (!row || !accepts(event)) return;
      event.preventDefault();
      var payload = dragging;
      if (!payload) {
        try { payload = JSON.parse(event.dataTransfer.getData(DRAG_TYPE)); } catch (_) { payload = null; }
      }
      endDrag();
      if (!payload || payload.kind !== kind) return;
      mapRow(screen, row, payload.item, 'manual', null, false);
    });
  }

  function restoreFocus(root, screen) {
    var wanted = pendingFocus;
    pendingFocus = null;
    if (!wanted || wanted.screen !== screen) return;
    var rows = root.querySelectorAll('tr[data-row]');
    var row = root.querySelector('tr[data-row][data-id="' + wanted.id + '"]') || rows[Math.min(wanted.index, rows.length - 1)];
    var target = row ? row.querySelector('th[tabindex]') : root.querySelector('h2');
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  function mappingScreen(screen) {
    return function (root) {
      var container = root.querySelector('[data-mapping]');
      if (!container) return;
      var canEdit = container.getAttribute('data-can-edit') === 'true';
      var kind = SCREENS[screen].kind;
      startAtTop(screen);
      showLast(root, screen);
      setupPicker(root, kind, canEdit, function (selected) { updateMatchButtons(root, kind, selected); });
      if (canEdit) {
        updateMatchButtons(root, kind, pickers[kind].selected);
        setupDrops(root, screen);
        if (screen === 'accounts') setupAgreements(root);
        container.addEventListener('click', function (event) {
          var button = event.target.closest && event.target.closest('button[data-action]');
          if (!button || button.disabled || !container.contains(button)) return;
          var keyboard = event.detail === 0;
          if (button.getAttribute('data-action') === 'auto-match') return autoMatch(button);
          rowAction(screen, button, keyboard);
        });
      }
      var skip = root.querySelector('[data-skip-rows]');
      if (skip) {
        // Keyboard shortcut past the filters: the first Match button that can be used, or the first row.
        skip.addEventListener('click', function () {
          var target = root.querySelector('tr[data-row] button[data-action="match"]:not([disabled])') || root.querySelector('tr[data-row] th[tabindex]');
          if (target) target.focus();
        });
      }
      restoreFocus(root, screen);
    };
  }

  function autoMatch(button) {
    App.call('POST /api/accounts/auto-match', undefined, button).then(function (result) {
      var r = result || {};
      var text = 'Auto-match: ' + (r.matched || 0) + ' new exact match' + (r.matched === 1 ? '' : 'es') + ', ' +
        (r.suggested || 0) + ' account' + (r.suggested === 1 ? '' : 's') + ' with suggestions' +
        (r.ambiguous ? ', ' + r.ambiguous + ' ambiguous (pick by hand)' : '') + '.';
      report('accounts', text);
      return App.reload();
    }, function (error) { failed('accounts', error); });
  }

  // ---- finish ----------------------------------------------------------------------------------------------

  function finishScreen(root) {
    startAtTop('finish');
    var button = root.querySelector('button[data-action="finish"]');
    if (!button) return;
    button.addEventListener('click', function () {
      if (button.disabled) return;
      App.call('POST /api/setup/finish', undefined, button).then(function () {
        App.toast('Setup finished. The first sync is running…');
        announce('Setup finished. The first sync is running.');
        App.go('usage');
      }, function () { /* App.call shows the message next to the button */ });
    });
  }

  App.behaviours.accounts = mappingScreen('accounts');
  App.behaviours.services = mappingScreen('services');
  App.behaviours.finish = finishScreen;
})();
