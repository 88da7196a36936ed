// gitcrq console: live updates of the page by server-sent events (plain EventSource, no library).
// The page names its stream (body[data-stream]) and the last change it shows (data-last-change); the stream starts
// after that change, and the browser's EventSource resumes after the last change it got (Last-Event-ID) when it
// reconnects, so nothing is missed. Each change is listed in #live-log (as text, never as HTML), and the page's
// #content is refreshed from the server (which escapes everything) without a reload.
(function () {
  'use strict';
  var body = document.body;
  var stream = body.getAttribute('data-stream');
  if (!stream || typeof EventSource === 'undefined') {
    // A page without a stream (an exec's, whose player a refresh would restart): say so rather than "connecting".
    var off = document.getElementById('live-status');
    if (off) {
      off.setAttribute('data-live', 'off');
      off.textContent = 'live: off (reload to update)';
    }
    return;
  }
  var last = body.getAttribute('data-last-change') || '0';
  var url = stream + (stream.indexOf('?') < 0 ? '?' : '&') + 'after=' + encodeURIComponent(last);
  var status = document.getElementById('live-status');
  var log = document.getElementById('live-log');
  var refreshTimer = null;
  var refreshing = false;
  var again = false;

  function setStatus(state) {
    if (status) {
      status.setAttribute('data-live', state);
      status.textContent = 'live: ' + state;
    }
  }

  function refresh() {
    var active = document.activeElement;
    var content = document.getElementById('content');
    if (active && content && active !== document.body && content.contains(active) && active.tagName === 'INPUT') {
      // Someone is typing in the page (a filter): refresh once they leave the field.
      active.addEventListener('blur', scheduleRefresh, { once: true });
      return;
    }
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('content');
        var content = document.getElementById('content');
        if (fresh && content) {
          content.replaceWith(fresh);
        }
      })
      .catch(function () { /* the next change refreshes again */ })
      .then(function () {
        refreshing = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function scheduleRefresh() {
    if (refreshTimer === null) {
      refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 150);
    }
  }

  var source = new EventSource(url);
  source.onopen = function () { setStatus('connected'); };
  source.onerror = function () { setStatus('reconnecting'); };
  source.onmessage = function (event) {
    var change;
    try {
      change = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    body.setAttribute('data-last-change', event.lastEventId);
    if (log) {
      var item = document.createElement('li');
      item.setAttribute('data-change', String(change.id));
      item.setAttribute('data-kind', change.kind || '');
      if (change.crqId) {
        item.setAttribute('data-crq', change.crqId);
      }
      item.textContent = '#' + change.id + ' ' + (change.crqId ? change.crqId + ' ' : '') +
        (change.host ? change.host + ' ' : '') + change.kind + ': ' + change.summary;
      log.insertBefore(item, log.firstChild);
      log.setAttribute('data-last-change', String(change.id));
      while (log.children.length > 200) {
        log.removeChild(log.lastChild);
      }
    }
    scheduleRefresh();
  };
  window.gitcrqConsole = { source: source, refresh: refresh };
})();
