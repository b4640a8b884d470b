// The install form: posts to /api/install and shows what happened in plain words.
(function () {
  'use strict';
  var form = document.getElementById('install-form');
  var result = document.getElementById('install-result');
  var progress = document.getElementById('install-progress');
  var button = document.getElementById('install-button');

  function show(kind, title, lines) {
    result.innerHTML = '';
    var box = document.createElement('div');
    box.className = 'alert alert-' + kind;
    var strong = document.createElement('strong');
    strong.textContent = title;
    box.appendChild(strong);
    (lines || []).forEach(function (line) {
      var p = document.createElement('p');
      p.textContent = line;
      box.appendChild(p);
    });
    result.appendChild(box);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {};
    ['site', 'companyId', 'publicKey', 'privateKey'].forEach(function (name) {
      body[name] = form.elements[name].value.trim();
    });
    var empty = Object.keys(body).filter(function (k) { return !body[k]; });
    if (empty.length) {
      show('error', 'Fill in every field.', []);
      form.elements[empty[0]].focus();
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    result.innerHTML = '';
    fetch('/api/install', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (r) {
        if (!r.ok) {
          var lines = [r.json.message];
          if (r.json.details && r.json.details.missing) lines.push('Missing: ' + r.json.details.missing.join(', '));
          show('error', 'Not installed.', lines);
          return;
        }
        form.elements.privateKey.value = '';
        show('ok', 'Installed for ' + r.json.companyId + ' on ' + r.json.site + '.', r.json.entries.map(function (e) {
          return (e.kind === 'menu' ? 'Menu entry "AppRiver Billing"' : 'Company pod "AppRiver usage"') + ' ' + e.action + '.';
        }).concat(['Open ConnectWise and choose AppRiver Billing in the menu to connect AppRiver.']));
      })
      .catch(function () { show('error', 'Could not reach this service. Check your connection and try again.', []); })
      .then(function () { button.disabled = false; progress.hidden = true; });
  });
})();
