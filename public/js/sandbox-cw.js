/*
 * The sandbox's simulated ConnectWise PSA window (/sandbox/cw): navigation, the company screen, and the parent
 * side of ConnectWise's hosted postMessage protocol for every framed page (menu entry, pods):
 *
 *   frame -> CW  {"message":"ready"}                        CW -> frame  {"MessageFrameID":"<id>"}
 *   frame -> CW  {"hosted_request":"getMemberAuthentication","frameID":"<id>"}
 *   CW -> frame  {"response":"getmemberauthentication","_id":"…","data":{site, companyid, memberid, …}}
 *   CW -> frame  {"event":"onLoad","_id":"<eid>","data":{"screenObject":{screen, id, hostedAs}}}
 *   frame -> CW  {"event":"onLoad","_id":"<eid>","result":"success","frameID":"<id>"}
 *   frame -> CW  refreshScreen (reloads the frame), openScreen (opens a company), setDirty
 *
 * Messages are JSON strings, posted to the frame URL's origin only. Each frame shows a status line
 * (data-testid="frame-status-<iframe id>"); window.CwShell exposes the frames and a message log for tests.
 */
(function () {
  'use strict';

  const world = JSON.parse(document.getElementById('cw-world').textContent);
  const main = document.getElementById('cw-main');
  const customNav = document.getElementById('cw-nav-custom');
  const companiesLink = document.getElementById('cw-nav-companies');

  const frames = new Map(); // MessageFrameID -> frame record
  const log = []; // every protocol message in and out: {frame, frameId, direction, message, at}
  let frameCounter = 0;
  let state = null;
  let stateError = null;

  window.CwShell = {
    frames: frames,
    log: log,
    get state() {
      return state;
    },
  };

  // The framed pages trust only the sandbox's own origin (and ConnectWise's): on another loopback name, move there.
  if (location.origin !== world.sandboxOrigin) {
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(location.hostname);
    if (loopback) {
      location.replace(world.sandboxOrigin + location.pathname + location.search);
      return;
    }
  }

  if (!world.member) return; // the member picker is a plain form

  // ---- small DOM helpers ------------------------------------------------------------------------------------

  function h(tag, attrs) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      const value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.append(child);
    }
    return node;
  }

  function randomId(prefix) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return (
      prefix +
      Array.from(bytes, function (b) {
        return b.toString(16).padStart(2, '0');
      }).join('')
    );
  }

  function shellUrl(params) {
    const search = new URLSearchParams({ member: world.member.identifier });
    Object.keys(params || {}).forEach(function (key) {
      if (params[key] !== undefined && params[key] !== null) search.set(key, String(params[key]));
    });
    return '/sandbox/cw?' + search.toString();
  }

  function routeLink(text, params, attrs) {
    return h('a', Object.assign({ href: shellUrl(params), 'data-route': true, text: text }, attrs || {}));
  }

  function currentRoute() {
    const p = new URLSearchParams(location.search);
    return { company: p.get('company'), menu: p.get('menu'), view: p.get('view') };
  }

  function navigate(params) {
    history.pushState(null, '', shellUrl(params));
    render(true);
  }

  // ---- the parent side of the protocol ----------------------------------------------------------------------

  function sendToFrame(rec, message) {
    log.push({ frame: rec.elementId, frameId: rec.id, direction: 'out', message: message, at: Date.now() });
    if (rec.iframe.contentWindow) rec.iframe.contentWindow.postMessage(JSON.stringify(message), rec.origin);
  }

  function resetProtocol(rec) {
    rec.handshake = false;
    rec.auth = false;
    rec.onLoadSent = false;
    rec.onLoadAck = false;
    rec.dirty = false;
    rec.pending.clear();
  }

  function answerMemberAuthentication(rec) {
    const m = world.member;
    sendToFrame(rec, {
      response: 'getmemberauthentication',
      _id: randomId('r'),
      data: {
        site: world.site,
        companyid: world.companyId,
        memberid: m.identifier,
        memberHash: m.memberHash,
        memberContext: 'web',
        memberEmail: m.email,
        codeBase: world.codebase,
      },
    });
    rec.auth = true;
    if (!rec.onLoadSent) {
      rec.onLoadSent = true;
      const eid = randomId('e');
      rec.pending.set(eid, 'onLoad');
      sendToFrame(rec, { event: 'onLoad', _id: eid, data: { screenObject: rec.screenObject } });
    }
  }

  function handleRequest(rec, msg) {
    const name = msg.hosted_request;
    if (msg.frameID !== rec.id) {
      rec.note =
        'Ignored ' +
        name +
        ': its frameID ' +
        JSON.stringify(msg.frameID) +
        ' is not this frame’s (' +
        rec.id +
        ').';
      return;
    }
    const args = msg.args && typeof msg.args === 'object' ? msg.args : {};
    switch (name.toLowerCase()) {
      case 'getmemberauthentication':
        answerMemberAuthentication(rec);
        return;
      case 'refreshscreen':
        resetProtocol(rec);
        rec.note = 'Refreshed the screen.';
        rec.iframe.setAttribute('src', rec.src);
        return;
      case 'openscreen':
        if (String(args.screen).toLowerCase() === 'company' && args.id !== undefined && args.id !== null) {
          if (args.newTab) window.open(shellUrl({ company: args.id }), '_blank', 'noopener');
          else navigate({ company: args.id });
        } else {
          rec.note =
            'openScreen: the sandbox simulates company screens only (asked for ' +
            JSON.stringify(args) +
            ').';
        }
        return;
      case 'setdirty':
        rec.dirty = Boolean(args.dirty);
        return;
      default:
        rec.note = 'Unknown request ' + JSON.stringify(name) + '.';
    }
  }

  function handleAcknowledgement(rec, msg) {
    const expected = rec.pending.get(msg._id);
    if (expected !== msg.event) {
      rec.note =
        'An acknowledgement for an event this frame was not sent: ' + msg.event + ' ' + msg._id + '.';
      return;
    }
    rec.pending.delete(msg._id);
    if (msg.frameID !== rec.id)
      rec.note = 'The ' + msg.event + ' acknowledgement carried no or a wrong frameID.';
    if (msg.result === 'success') {
      if (msg.event === 'onLoad') rec.onLoadAck = true;
    } else {
      rec.note =
        msg.event + ' refused: ' + (Array.isArray(msg.errors) ? msg.errors.join('; ') : String(msg.result));
    }
  }

  window.addEventListener('message', function (event) {
    let rec = null;
    frames.forEach(function (r) {
      if (r.iframe.contentWindow === event.source) rec = r;
    });
    if (!rec) return;
    if (event.origin !== rec.origin) {
      rec.note = 'Ignored a message from ' + event.origin + ' (this frame is ' + rec.origin + ').';
    } else if (typeof event.data !== 'string') {
      rec.note = 'Ignored a message that is not a JSON string (ConnectWise expects JSON.stringify).';
    } else {
      let msg = null;
      try {
        msg = JSON.parse(event.data);
      } catch (_) {
        rec.note = 'Ignored a message that is not JSON.';
      }
      if (msg && typeof msg === 'object') {
        log.push({ frame: rec.elementId, frameId: rec.id, direction: 'in', message: msg, at: Date.now() });
        if (msg.message === 'ready') {
          resetProtocol(rec);
          rec.handshake = true;
          rec.readyCount += 1;
          sendToFrame(rec, { MessageFrameID: rec.id });
        } else if (typeof msg.hosted_request === 'string') {
          handleRequest(rec, msg);
        } else if (typeof msg.event === 'string') {
          handleAcknowledgement(rec, msg);
        }
      }
    }
    renderFrameStatus(rec);
  });

  // ---- frames -----------------------------------------------------------------------------------------------

  function mountFrame(container, options) {
    let origin = null;
    try {
      origin = new URL(options.src, location.href).origin;
    } catch (_) {
      container.append(h('p', { className: 'alert alert-error', text: 'Not a valid URL: ' + options.src }));
      return null;
    }
    const rec = {
      id: 'cwf' + ++frameCounter + '-' + randomId(''),
      elementId: options.elementId,
      src: options.src,
      origin: origin,
      screenObject: options.screenObject,
      pending: new Map(),
      readyCount: 0,
      note: '',
    };
    resetProtocol(rec);
    const declared = String(options.declaredOrigin || '').replace(/\/+$/, '');
    if (declared && declared !== '*' && declared !== origin)
      rec.note = 'The setup’s Origin is ' + declared + ' but the page is served from ' + origin + '.';

    rec.iframe = h('iframe', {
      id: options.elementId,
      title: options.title,
      className: 'cw-frame ' + (options.className || ''),
      style: options.height ? 'height:' + options.height + 'px' : null,
    });
    rec.statusEl = h('p', {
      className: 'cw-frame-status',
      'data-testid': 'frame-status-' + options.elementId,
      'data-frame-id': rec.id,
      'aria-live': 'polite',
    });
    frames.set(rec.id, rec);
    container.append(rec.iframe, rec.statusEl);
    renderFrameStatus(rec);
    rec.iframe.setAttribute('src', options.src); // after the listener and record exist: no message is missed
    return rec;
  }

  function renderFrameStatus(rec) {
    const mark = function (ok) {
      return ok ? '✓' : '…';
    };
    const el = rec.statusEl;
    el.textContent =
      'handshake ' +
      mark(rec.handshake) +
      ' · auth ' +
      mark(rec.auth) +
      ' · onLoad acknowledged ' +
      mark(rec.onLoadAck);
    if (rec.dirty) el.append(' · unsaved changes');
    if (rec.note) el.append(' · ', h('span', { className: 'cw-frame-note', text: rec.note }));
    el.setAttribute('data-handshake', String(rec.handshake));
    el.setAttribute('data-auth', String(rec.auth));
    el.setAttribute('data-onload', String(rec.onLoadAck));
  }

  // ---- views ------------------------------------------------------------------------------------------------

  function heading(text) {
    return h('h1', { tabindex: '-1', text: text });
  }

  function installMessage() {
    return h(
      'div',
      { className: 'alert alert-warn', role: 'status' },
      h(
        'p',
        {},
        'The AppRiver plugin is not installed yet: install it at ',
        h('a', { href: '/install', text: '/install' }),
        ', then reload.',
      ),
    );
  }

  function originWarning() {
    const here = world.sandboxOrigin + location.pathname + location.search;
    return h(
      'div',
      { className: 'alert alert-warn', role: 'status' },
      h(
        'p',
        {},
        'The hosted pages accept messages only from ConnectWise and ' + world.sandboxOrigin + ': open ',
        h('a', { href: here, text: here }),
        '.',
      ),
    );
  }

  function renderHome() {
    main.append(heading('ConnectWise PSA'));
    if (!state.menuEntries.length) {
      main.append(installMessage());
      return;
    }
    main.append(
      h(
        'p',
        {},
        'Open ',
        routeLink(state.menuEntries[0].caption, { menu: state.menuEntries[0].id }),
        ' (under Custom in the navigation), or a company from ',
        routeLink('Companies', { view: 'companies' }),
        ' to see its pods.',
      ),
    );
  }

  function renderCompanies() {
    main.append(
      heading('Companies'),
      h('p', { className: 'muted', text: world.companies.length + ' companies' }),
    );
    const body = h('tbody');
    world.companies.forEach(function (c) {
      body.append(
        h(
          'tr',
          {},
          h('td', {}, routeLink(c.identifier, { company: c.id })),
          h('td', { text: c.name }),
          h('td', { text: c.status }),
          h('td', { className: 'num', text: String(c.id) }),
        ),
      );
    });
    main.append(
      h(
        'table',
        { className: 'grid cw-companies' },
        h('caption', { className: 'visually-hidden', text: 'Companies' }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: 'Company ID' }),
            h('th', { scope: 'col', text: 'Company Name' }),
            h('th', { scope: 'col', text: 'Status' }),
            h('th', { scope: 'col', className: 'num', text: 'Record ID' }),
          ),
        ),
        body,
      ),
    );
  }

  function agreementsOf(companyId) {
    return state.agreements.filter(function (a) {
      const owner = a && a.company && typeof a.company === 'object' ? a.company.id : a && a.companyId;
      return Number(owner) === companyId;
    });
  }

  function renderAgreements(container, companyId) {
    const agreements = agreementsOf(companyId);
    container.append(h('h2', { text: 'Agreements' }));
    if (!agreements.length) {
      container.append(h('p', { className: 'muted', text: 'No agreements.' }));
      return;
    }
    agreements.forEach(function (a) {
      const additions = Array.isArray(a.additions) ? a.additions : [];
      const body = h('tbody');
      additions.forEach(function (ad) {
        const product = ad.product && typeof ad.product === 'object' ? ad.product.identifier : ad.productId;
        body.append(
          h(
            'tr',
            {},
            h('td', { text: String(product === undefined ? '' : product) }),
            h('td', { className: 'num', text: String(ad.quantity === undefined ? '' : ad.quantity) }),
            h('td', { text: ad.effectiveDate ? String(ad.effectiveDate).slice(0, 10) : '' }),
            h('td', { text: ad.cancelledDate ? String(ad.cancelledDate).slice(0, 10) : '' }),
          ),
        );
      });
      const status = a.agreementStatus || (a.cancelledFlag ? 'Cancelled' : '');
      container.append(
        h(
          'section',
          { className: 'cw-agreement' },
          h('h3', { text: String(a.name || 'Agreement ' + a.id) + (status ? ' · ' + status : '') }),
          additions.length
            ? h(
                'table',
                { className: 'grid' },
                h('caption', { className: 'visually-hidden', text: 'Additions of ' + (a.name || a.id) }),
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'col', text: 'Product ID' }),
                    h('th', { scope: 'col', className: 'num', text: 'Quantity' }),
                    h('th', { scope: 'col', text: 'Effective' }),
                    h('th', { scope: 'col', text: 'Cancelled' }),
                  ),
                ),
                body,
              )
            : h('p', { className: 'muted', text: 'No additions.' }),
        ),
      );
    });
  }

  function renderCompany(idParam) {
    const id = Number(idParam);
    const company = world.companies.find(function (c) {
      return c.id === id;
    });
    if (!company) {
      main.append(
        heading('Company not found'),
        h(
          'p',
          {},
          'There is no company ' + idParam + '. ',
          routeLink('Back to Companies', { view: 'companies' }),
        ),
      );
      return;
    }
    const record = h(
      'section',
      { className: 'cw-record', 'aria-labelledby': 'cw-record-heading' },
      h(
        'p',
        { className: 'cw-crumbs' },
        routeLink('Companies', { view: 'companies' }),
        ' › ' + company.identifier,
      ),
      h('h1', { id: 'cw-record-heading', tabindex: '-1', text: company.name }),
      h(
        'table',
        { className: 'kv cw-fields' },
        h(
          'tbody',
          {},
          h('tr', {}, h('th', { scope: 'row', text: 'Company Name' }), h('td', { text: company.name })),
          h('tr', {}, h('th', { scope: 'row', text: 'Company ID' }), h('td', { text: company.identifier })),
          h('tr', {}, h('th', { scope: 'row', text: 'Status' }), h('td', { text: company.status })),
          h('tr', {}, h('th', { scope: 'row', text: 'Record ID' }), h('td', { text: String(company.id) })),
        ),
      ),
    );
    renderAgreements(record, company.id);

    const pods = state.hostedSetups.filter(function (s) {
      return s && s.type === 'Pod' && !s.disabledFlag;
    });
    const podColumn = h(
      'aside',
      { className: 'cw-pods', 'aria-labelledby': 'cw-pods-heading' },
      h('h2', { id: 'cw-pods-heading', text: 'Pods' }),
    );
    if (!pods.length) podColumn.append(installMessage());
    pods.forEach(function (setup) {
      const pod = h(
        'section',
        { className: 'cw-pod' },
        h('h3', { text: setup.description || 'Pod ' + setup.id }),
      );
      podColumn.append(pod);
      mountFrame(pod, {
        elementId: 'cw-pod-frame-' + setup.id,
        src: String(setup.url).split('[cw_id]').join(String(company.id)).split('[cw_screen]').join('company'),
        title: setup.description || 'Pod ' + setup.id,
        height: setup.podHeight || 300,
        declaredOrigin: setup.origin,
        className: 'cw-pod-frame',
        screenObject: { screen: 'company', id: company.id, hostedAs: 'pod' },
      });
    });
    main.append(h('div', { className: 'cw-company-screen' }, record, podColumn));
  }

  function renderMenu(entryId) {
    const entry = state.menuEntries.find(function (e) {
      return String(e.id) === entryId;
    });
    if (!entry) {
      main.append(heading('Menu entry not found'), installMessage());
      return;
    }
    main.classList.add('cw-main--frame');
    main.append(h('h1', { className: 'cw-frame-title', tabindex: '-1', text: entry.caption }));
    mountFrame(main, {
      elementId: 'cw-menu-frame',
      src: entry.link,
      title: entry.caption,
      declaredOrigin: entry.origin,
      className: 'cw-menu-frame',
      screenObject: { screen: 'menu', id: null, hostedAs: 'menu' },
    });
  }

  function renderNav(route) {
    customNav.textContent = '';
    if (state) {
      state.menuEntries.forEach(function (entry) {
        const current = route.menu !== null && String(entry.id) === route.menu;
        customNav.append(
          h(
            'li',
            {},
            routeLink(
              entry.caption,
              { menu: entry.id },
              {
                id: 'cw-nav-menu-' + entry.id,
                'aria-current': current ? 'page' : null,
              },
            ),
          ),
        );
      });
      if (!state.menuEntries.length)
        customNav.append(h('li', { className: 'cw-nav-note', text: 'None yet' }));
    } else {
      customNav.append(h('li', { className: 'cw-nav-note', text: stateError ? 'Unavailable' : 'Loading…' }));
    }
    const companies = route.view === 'companies' || route.company !== null;
    if (companies) companiesLink.setAttribute('aria-current', 'page');
    else companiesLink.removeAttribute('aria-current');
  }

  function render(moveFocus) {
    const route = currentRoute();
    frames.clear(); // the frames in main are replaced below; the log stays
    main.textContent = '';
    main.classList.remove('cw-main--frame');
    renderNav(route);
    if (location.origin !== world.sandboxOrigin) main.append(originWarning());
    if (stateError) {
      main.append(
        heading('ConnectWise PSA'),
        h('div', { className: 'alert alert-error', role: 'alert' }, h('p', { text: stateError })),
      );
    } else if (!state) {
      main.append(
        h('p', { role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), ' Loading…'),
      );
    } else if (route.company !== null) renderCompany(route.company);
    else if (route.menu !== null) renderMenu(route.menu);
    else if (route.view === 'companies') renderCompanies();
    else renderHome();
    const title = main.querySelector('h1');
    document.title =
      (title ? title.textContent + ' · ' : '') + 'ConnectWise PSA · ' + world.member.identifier;
    if (moveFocus && title) title.focus();
  }

  document.addEventListener('click', function (event) {
    const link = event.target instanceof Element ? event.target.closest('a[data-route]') : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.pushState(null, '', link.getAttribute('href'));
    render(true);
  });
  window.addEventListener('popstate', function () {
    render(true);
  });

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  fetch('/sandbox/cw/state', { headers: { Accept: 'application/json' }, cache: 'no-store' })
    .then(function (res) {
      if (!res.ok)
        throw new Error(
          'The simulated ConnectWise state is unavailable (GET /sandbox/cw/state: HTTP ' + res.status + ').',
        );
      return res.json();
    })
    .then(
      function (body) {
        state = {
          hostedSetups: list(body && body.hostedSetups),
          menuEntries: list(body && body.menuEntries),
          agreements: list(body && body.agreements),
        };
      },
      function (error) {
        stateError = error.message || String(error);
      },
    )
    .then(function () {
      render(false);
    });
  render(false);
})();
