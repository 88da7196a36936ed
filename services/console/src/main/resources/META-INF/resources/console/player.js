// gitcrq console: plays an exec's recording (asciicast v2, read from its host's exec-agent through the console) with
// asciinema-player, which the console's build bundles (deploy/prerequisites.sh installs it from npm; no CDN).
(function () {
  'use strict';
  var element = document.getElementById('player');
  if (!element || typeof AsciinemaPlayer === 'undefined') {
    return;
  }
  AsciinemaPlayer.create(element.getAttribute('data-src'), element, { autoPlay: true, fit: 'width', idleTimeLimit: 1 });
})();
