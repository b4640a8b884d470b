/*
 * AppRiver Reconcile: the hosted-page bootstrap.
 *
 * Our screens run inside ConnectWise PSA in an iframe (a custom menu entry or a Company-screen pod). This script
 * speaks ConnectWise's hosted postMessage protocol (JSON strings both ways):
 *
 *   page -> CW   {"message":"ready"}                                   (targetOrigin "*": the region is unknown)
 *   CW -> page   {"MessageFrameID":"<id>"}                             (first allowed message pins the origin)
 *   page -> CW   {"hosted_request":"getMemberAuthentication","frameID":"<id>"}
 *   CW -> page   {"response":"getmemberauthentication","data":{site, companyid, memberid, memberHash, ...}}
 *   CW -> page   {"event":"onLoad","_id":"<eid>","data":{"screenObject":{screen, id, hostedAs}}}
 *   page -> CW   {"event":"onLoad","_id":"<eid>","result":"success","frameID":"<id>"}   (every event is acked)
 *
 * It then trades the member payload for our own short-lived token at POST /api/session and exposes
 * window.Hosted: ready, api(), refreshScreen(), openScreen(), setDirty(), on(). Only messages from the origins in
 * <meta name="cw-origins"> are accepted.
 */
(function () {
  'use strict';

  if (window.Hosted) return; // included twice: keep the first instance

  const HANDSHAKE_TIMEOUT_MS = 4000;
  const AUTH_TIMEOUT_MS = 10000;
  const ONLOAD_WAIT_MS = 1000;
  const OUTSIDE_MESSAGE =
    'This page opens inside ConnectWise PSA: use the AppRiver Billing menu entry, or the AppRiver pod on a company.';
  const DEFAULT_ORIGINS = [
    'https://na.myconnectwise.net',
    'https://eu.myconnectwise.net',
    'https://au.myconnectwise.net',
    'https://aus.myconnectwise.net',
    'https://za.myconnectwise.net',
    'https://staging.connectwisedev.com',
  ];

  // ---- where messages may come from -------------------------------------------------------------------------

  function readAllowedOrigins() {
    const meta = document.querySelector('meta[name="cw-origins"]');
    const list = meta ? String(meta.getAttribute('content') || '').split(',') : DEFAULT_ORIGINS;
    return new Set(
      list
        .map(function (o) {
          return o.trim().replace(/\/+$/, '');
        })
        .filter(function (o) {
          return o && o !== '*'; // a wildcard would defeat the check
        }),
    );
  }

  const allowedOrigins = readAllowedOrigins();
  const framed = (function () {
    try {
      return window.parent !== window;
    } catch (_) {
      return true;
    }
  })();

  // ---- protocol state ---------------------------------------------------------------------------------------

  let pinnedOrigin = null; // the ConnectWise origin, once its first allowed message arrived
  let frameId = null;
  let screenObject = null; // from the latest onLoad event
  let lastScreen = null; // what the session was created for
  let session = null; // {token, member, expiresAt}
  let refreshing = null;
  let authWaiters = [];
  let onLoadWaiters = [];
  const eventHandlers = Object.create(null);

  let resolveHandshake;
  const handshake = new Promise(function (resolve) {
    resolveHandshake = resolve;
  });

  function hostedError(status, error, message, details) {
    const err = new Error(message);
    err.status = status;
    err.error = error;
    if (details !== undefined) err.details = details;
    return err;
  }

  function postRaw(message, targetOrigin) {
    window.parent.postMessage(JSON.stringify(message), targetOrigin);
  }

  /** Posts to ConnectWise once its origin is pinned (never with "*"); every post after `ready` carries the frameID. */
  function post(message) {
    const send = function () {
      postRaw(Object.assign({}, message, { frameID: frameId }), pinnedOrigin);
    };
    if (pinnedOrigin !== null) {
      send();
      return Promise.resolve();
    }
    return handshake.then(send);
  }

  function request(name, args) {
    const message = { hosted_request: name };
    if (args !== undefined) message.args = args;
    return post(message);
  }

  function onMessage(event) {
    if (!allowedOrigins.has(event.origin)) return;
    if (event.source !== window.parent) return;
    if (pinnedOrigin !== null && event.origin !== pinnedOrigin) return;
    if (typeof event.data !== 'string') return;
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch (_) {
      return;
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return;
    if (pinnedOrigin === null) pinnedOrigin = event.origin;

    if (msg.MessageFrameID !== undefined && msg.MessageFrameID !== null) {
      frameId = msg.MessageFrameID;
      resolveHandshake();
      return;
    }
    if (typeof msg.response === 'string') {
      if (msg.response.toLowerCase() === 'getmemberauthentication') {
        const waiters = authWaiters;
        authWaiters = [];
        waiters.forEach(function (w) {
          w(msg.data);
        });
      }
      return;
    }
    if (typeof msg.event === 'string') handleEvent(msg);
  }

  /** Every event is acknowledged; a handler registered with Hosted.on() may refuse it (e.g. beforeSave). */
  function handleEvent(msg) {
    const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
    if (msg.event === 'onLoad' && data.screenObject && typeof data.screenObject === 'object') {
      screenObject = data.screenObject;
      const waiters = onLoadWaiters;
      onLoadWaiters = [];
      waiters.forEach(function (w) {
        w(screenObject);
      });
    }
    const handler = eventHandlers[msg.event];
    Promise.resolve()
      .then(function () {
        return handler ? handler(data) : undefined;
      })
      .then(
        function (out) {
          if (out === false) return ['Refused by the AppRiver page.'];
          if (Array.isArray(out) && out.length) return out.map(String);
          return null;
        },
        function (error) {
          return [String((error && error.message) || error)];
        },
      )
      .then(function (errors) {
        const reply = { event: msg.event, _id: msg._id, result: errors ? 'failure' : 'success' };
        if (errors) reply.errors = errors;
        return post(reply);
      });
    document.dispatchEvent(new CustomEvent('hosted:event', { detail: { event: msg.event, data: data } }));
  }

  function withTimeout(promise, ms, onTimeout) {
    return new Promise(function (resolve, reject) {
      const timer = setTimeout(function () {
        reject(onTimeout());
      }, ms);
      promise.then(
        function (value) {
          clearTimeout(timer);
          resolve(value);
        },
        function (error) {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Asks ConnectWise for the signed-in member; concurrent callers share one request. */
  function getMemberAuthentication() {
    const answer = new Promise(function (resolve) {
      authWaiters.push(resolve);
    });
    if (authWaiters.length === 1) request('getMemberAuthentication');
    return withTimeout(answer, AUTH_TIMEOUT_MS, function () {
      authWaiters = [];
      return hostedError(
        0,
        'NO_MEMBER_AUTHENTICATION',
        'ConnectWise did not send the signed-in member. Reload the screen and try again.',
      );
    }).then(function (data) {
      if (!data || typeof data !== 'object')
        throw hostedError(
          0,
          'NO_MEMBER_AUTHENTICATION',
          'ConnectWise sent no member details. Reload the screen.',
        );
      return data;
    });
  }

  /** The onLoad screenObject if it comes soon, else what the URL tokens [cw_id]/[cw_screen] gave us, else null. */
  function currentScreen() {
    if (screenObject) return Promise.resolve(screenObject);
    return new Promise(function (resolve) {
      const timer = setTimeout(function () {
        onLoadWaiters = onLoadWaiters.filter(function (w) {
          return w !== done;
        });
        resolve(screenFromUrl());
      }, ONLOAD_WAIT_MS);
      function done(value) {
        clearTimeout(timer);
        resolve(value);
      }
      onLoadWaiters.push(done);
    });
  }

  function screenFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const screen = params.get('screen');
    const id = params.get('id');
    if (!screen && !id) return null;
    return { screen: screen || null, id: id && /^\d+$/.test(id) ? Number(id) : id || null };
  }

  // ---- our server -------------------------------------------------------------------------------------------

  function readBody(res) {
    if (res.status === 204 || res.status === 205) return Promise.resolve(null);
    const type = res.headers.get('content-type') || '';
    if (/[/+]json\b/i.test(type)) {
      return res.text().then(function (text) {
        if (!text) return null;
        try {
          return JSON.parse(text);
        } catch (_) {
          return text;
        }
      });
    }
    return res.text();
  }

  function errorFrom(res, body) {
    const json = body && typeof body === 'object' ? body : {};
    const message =
      typeof json.message === 'string' && json.message
        ? json.message
        : 'The request failed (HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '') + ').';
    const err = hostedError(
      res.status,
      typeof json.error === 'string' ? json.error : 'HTTP_' + res.status,
      message,
      json.details,
    );
    if (typeof body === 'string' && body) err.body = body; // e.g. the readable error page of an HTML fragment
    return err;
  }

  function networkError() {
    return hostedError(
      0,
      'NETWORK',
      'Could not reach AppRiver Reconcile. Check your connection and reload the screen.',
    );
  }

  function createSession(member, screen) {
    const body = Object.assign({}, member, { screen: screen });
    return fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    })
      .catch(function () {
        throw networkError();
      })
      .then(function (res) {
        return readBody(res).then(function (json) {
          if (!res.ok) throw errorFrom(res, json);
          if (!json || typeof json !== 'object' || typeof json.token !== 'string')
            throw hostedError(
              res.status,
              'BAD_SESSION',
              'The sign-in answer was not understood. Reload the screen.',
            );
          session = { token: json.token, member: json.member || null, expiresAt: json.expiresAt || null };
          return session;
        });
      });
  }

  /** Re-runs getMemberAuthentication and POST /api/session once for everyone waiting on an expired token. */
  function refreshSession() {
    if (!refreshing) {
      refreshing = getMemberAuthentication()
        .then(function (member) {
          return createSession(member, screenObject || lastScreen);
        })
        .finally(function () {
          refreshing = null;
        });
    }
    return refreshing;
  }

  function isRawBody(body) {
    return (
      typeof body === 'string' ||
      body instanceof FormData ||
      body instanceof URLSearchParams ||
      body instanceof Blob ||
      body instanceof ArrayBuffer ||
      ArrayBuffer.isView(body)
    );
  }

  function send(path, options, token) {
    const init = Object.assign({}, options);
    const headers = new Headers(options.headers || {});
    headers.set('Authorization', 'Bearer ' + token);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    if (options.body !== undefined && options.body !== null && !isRawBody(options.body)) {
      init.body = JSON.stringify(options.body);
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    }
    init.headers = headers;
    return fetch(path, init).catch(function () {
      throw networkError();
    });
  }

  /** fetch with our bearer token: JSON in and out; a non-2xx answer throws an Error with {status, error, message}. */
  function api(path, options) {
    const opts = options || {};
    return ready
      .then(function () {
        return send(path, opts, session.token);
      })
      .then(function (res) {
        if (res.status !== 401) return res;
        return readBody(res.clone()).then(function (json) {
          if (!json || json.error !== 'TOKEN_EXPIRED') return res;
          return refreshSession().then(function (fresh) {
            return send(path, opts, fresh.token);
          });
        });
      })
      .then(function (res) {
        return readBody(res).then(function (json) {
          if (!res.ok) throw errorFrom(res, json);
          return json;
        });
      });
  }

  // ---- #hosted-status ---------------------------------------------------------------------------------------

  let statusState = null;

  function renderStatus() {
    const el = document.getElementById('hosted-status');
    if (!el || !statusState) return;
    if (!el.hasAttribute('role')) el.setAttribute('role', 'status');
    el.setAttribute('data-state', statusState.state);
    el.classList.remove('alert', 'alert-info', 'alert-error');
    el.textContent = '';
    if (statusState.state === 'pending') {
      const spinner = document.createElement('span');
      spinner.className = 'spinner';
      spinner.setAttribute('aria-hidden', 'true');
      el.append(spinner, ' Signing you in…');
      el.hidden = false;
    } else if (statusState.state === 'ready') {
      el.hidden = true;
    } else {
      el.classList.add('alert', statusState.state === 'outside' ? 'alert-info' : 'alert-error');
      const p = document.createElement('p');
      p.textContent = statusState.text;
      el.append(p);
      el.hidden = false;
    }
  }

  function setStatus(state, text) {
    statusState = { state: state, text: text || '' };
    if (document.readyState === 'loading') return; // rendered on DOMContentLoaded
    renderStatus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderStatus);

  // ---- sign-in ----------------------------------------------------------------------------------------------

  function outside() {
    return hostedError(0, 'NOT_IN_CONNECTWISE', OUTSIDE_MESSAGE);
  }

  function signIn() {
    setStatus('pending');
    if (!framed) return Promise.reject(outside());
    window.addEventListener('message', onMessage);
    postRaw({ message: 'ready' }, '*');
    return withTimeout(handshake, HANDSHAKE_TIMEOUT_MS, outside)
      .then(getMemberAuthentication)
      .then(function (member) {
        return currentScreen().then(function (screen) {
          lastScreen = screen;
          return createSession(member, screen);
        });
      })
      .then(function (s) {
        return { token: s.token, member: s.member, screen: lastScreen };
      });
  }

  const ready = signIn().then(
    function (result) {
      setStatus('ready');
      document.dispatchEvent(new CustomEvent('hosted:ready', { detail: result }));
      return result;
    },
    function (error) {
      setStatus(error && error.error === 'NOT_IN_CONNECTWISE' ? 'outside' : 'error', error && error.message);
      throw error;
    },
  );
  ready.catch(function () {}); // callers see the rejection; the console does not report it as unhandled

  // ---- public API -------------------------------------------------------------------------------------------

  window.Hosted = Object.freeze({
    /** Resolves to {token, member, screen} once signed in; rejects outside ConnectWise or on a sign-in error. */
    ready: ready,
    api: api,
    /** Asks ConnectWise to reload the screen (pods; the user is prompted if the screen is dirty). */
    refreshScreen: function () {
      return request('refreshScreen');
    },
    /** Opens a ConnectWise screen: screen is 'company' or 'ticket'; newTab opens it in a new browser tab. */
    openScreen: function (screen, id, options) {
      return request('openScreen', {
        newTab: Boolean(options && options.newTab),
        screen: String(screen),
        id: typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id,
      });
    },
    /** Tells ConnectWise whether there are unsaved changes (it then warns before navigating away). */
    setDirty: function (dirty) {
      return request('setDirty', { dirty: Boolean(dirty) });
    },
    /**
     * Handles a ConnectWise event ('onLoad', 'beforeSave', 'beforeBack'). Return false or a non-empty array of
     * messages to refuse it (reported to ConnectWise as result "failure"). Returns a function that unregisters it.
     */
    on: function (event, handler) {
      eventHandlers[event] = handler;
      return function () {
        if (eventHandlers[event] === handler) delete eventHandlers[event];
      };
    },
    get token() {
      return session ? session.token : null;
    },
    get member() {
      return session ? session.member : null;
    },
    get screen() {
      return screenObject || lastScreen;
    },
    get frameId() {
      return frameId;
    },
    get origin() {
      return pinnedOrigin;
    },
    inConnectWise: framed,
  });
})();
