// Web Chat against the local Direct Line channel (dev.beckon.testkit.DirectLineChannel), polling.
(function () {
  'use strict';
  var c = window.BECKON_WEBCHAT;
  var directLine = window.WebChat.createDirectLine({
    domain: c.domain,
    token: c.secret,
    webSocket: false,
    pollingInterval: c.pollingInterval
  });
  window.WebChat.renderWebChat(
    { directLine: directLine, userID: 'user-ada', username: 'Ada', locale: 'en-US' },
    document.getElementById('webchat')
  );
})();
