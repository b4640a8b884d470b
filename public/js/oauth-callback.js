// Tells the Connect screen (the window that opened this pop-up) how the sign-in ended, then offers to close.
(function () {
  'use strict';
  var result = document.getElementById('oauth-result');
  var ok = result && result.getAttribute('data-ok') === 'true';
  if (window.opener) {
    // Same origin as the Connect screen: only it can read the message.
    window.opener.postMessage(JSON.stringify({ type: 'appriver-oauth', ok: ok }), window.location.origin);
  }
  document.getElementById('close-window').addEventListener('click', function () { window.close(); });
})();
