// Page side of the playback harness (see ../play.mjs). play.mjs calls window.harness.start(config) once, then polls
// window.harness.snapshot() until playback has advanced, failed, or timed out. Everything here is plain browser
// JavaScript: the players are loaded as their published dist builds from the harness's own loopback server.
(() => {
  'use strict';

  const video = document.getElementById('video');
  const state = {
    errors: [],            // fatal errors, first one is the root cause
    warnings: [],          // non-fatal player errors, for diagnostics only
    startTime: null,       // currentTime when playback first started (the 'playing' event)
    waitingForKeySince: null,
    encryptedEvents: 0,
    ended: false,
  };

  function fail(message) {
    const text = String(message);
    if (state.errors.length < 5 && !state.errors.includes(text)) state.errors.push(text);
  }

  function warn(message) {
    if (state.warnings.length < 20) state.warnings.push(String(message));
  }

  const mediaErrorNames = { 1: 'MEDIA_ERR_ABORTED', 2: 'MEDIA_ERR_NETWORK', 3: 'MEDIA_ERR_DECODE', 4: 'MEDIA_ERR_SRC_NOT_SUPPORTED' };

  video.addEventListener('error', () => {
    const e = video.error;
    if (e) fail(`video element error ${e.code} ${mediaErrorNames[e.code] || ''}: ${e.message || '(no message)'}`);
  });
  video.addEventListener('playing', () => {
    if (state.startTime === null) state.startTime = video.currentTime;
  });
  video.addEventListener('timeupdate', () => {
    // Progress means any key wait is over.
    if (state.startTime !== null && video.currentTime > state.startTime) state.waitingForKeySince = null;
  });
  video.addEventListener('ended', () => { state.ended = true; });
  video.addEventListener('encrypted', () => { state.encryptedEvents++; });
  video.addEventListener('waitingforkey', () => {
    if (state.waitingForKeySince === null) state.waitingForKeySince = Date.now();
  });

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(s);
    });
  }

  function play() {
    video.muted = true;
    const p = video.play();
    if (p && p.catch) {
      p.catch((e) => {
        // AbortError only says a later load() interrupted this play(); the player reports real problems itself.
        if (e && e.name !== 'AbortError') fail(`video.play() rejected: ${e.name}: ${e.message}`);
      });
    }
  }

  // shaka.util.Error carries numeric codes; name them for humans.
  function describeShakaError(err) {
    if (!err) return 'shaka error (no detail)';
    const U = window.shaka && shaka.util && shaka.util.Error;
    const nameOf = (table, value) => {
      if (!table) return String(value);
      for (const k of Object.keys(table)) if (table[k] === value) return k;
      return String(value);
    };
    if (U && typeof err.code === 'number') {
      let data = '';
      try {
        data = JSON.stringify(err.data, (k, v) => (k === 'stack' ? undefined : v instanceof Error ? `${v.name}: ${v.message}` : ArrayBuffer.isView(v) ? `<${v.byteLength} bytes>` : v));
      } catch (_) { data = String(err.data); }
      if (data && data.length > 600) data = data.slice(0, 600) + '...';
      return `shaka error ${err.code} ${nameOf(U.Code, err.code)} (category ${nameOf(U.Category, err.category)}, ` +
        `severity ${nameOf(U.Severity, err.severity)}) data=${data}`;
    }
    return `shaka error: ${err.message || err}`;
  }

  async function startShaka(cfg) {
    await loadScript('/lib/shaka-player.compiled.js');
    shaka.polyfill.installAll();
    if (!shaka.Player.isBrowserSupported()) throw new Error('shaka-player: browser not supported');
    const player = new shaka.Player();
    window.player = player;
    await player.attach(video);
    player.addEventListener('error', (event) => {
      const err = event.detail;
      // RECOVERABLE errors are retried by shaka itself; only CRITICAL ones stop playback.
      if (err && err.severity === shaka.util.Error.Severity.RECOVERABLE) warn(describeShakaError(err));
      else fail(describeShakaError(err));
    });
    const retry = { maxAttempts: 2, baseDelay: 500, backoffFactor: 2, fuzzFactor: 0, timeout: 10000 };
    const drm = {};
    if (cfg.clearKeys) drm.clearKeys = cfg.clearKeys;               // { kidHex: keyHex } - no license server involved
    if (cfg.licenseUrl) drm.servers = { 'org.w3.clearkey': cfg.licenseUrl };
    // A text track chosen after the whole (short) asset is buffered never gets shaka's timestamp offset (it comes
    // with video appends), so a test that reads subtitles asks for its language up front.
    const preferredText = cfg.textLanguage ? [{ language: cfg.textLanguage, role: '', format: '', forced: false }] : [];
    player.configure({
      preferredText,
      drm,
      manifest: { retryParameters: retry },
      streaming: { retryParameters: retry },
    });
    try {
      await player.load(cfg.url);
    } catch (e) {
      fail(describeShakaError(e));
      return;
    }
    play();
  }

  async function startHlsJs(cfg) {
    await loadScript('/lib/hls.min.js');
    if (!Hls.isSupported()) throw new Error('hls.js: MediaSource not supported');
    const config = {
      // Fail fast on unreachable content instead of hls.js's long default retry schedules.
      manifestLoadPolicy: { default: { maxTimeToFirstByteMs: 10000, maxLoadTimeMs: 10000,
        timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 500 } } },
      playlistLoadPolicy: { default: { maxTimeToFirstByteMs: 10000, maxLoadTimeMs: 10000,
        timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 500 } } },
    };
    if (cfg.licenseUrl) {
      // hls.js has no inline-key option: ClearKey always goes through a license request (the CDM's JSON
      // {"kids":[...]} posted to licenseUrl, the JWK set answer passed to MediaKeySession.update()). For --clearkey,
      // play.mjs serves such a license endpoint itself and passes its URL here.
      config.emeEnabled = true;
      config.drmSystems = { 'org.w3.clearkey': { licenseUrl: cfg.licenseUrl } };
    }
    const hls = new Hls(config);
    window.hls = hls;
    hls.on(Hls.Events.ERROR, (event, data) => {
      const detail = data.error && data.error.message ? data.error.message : (data.reason || '');
      const code = data.response && data.response.code ? ` HTTP ${data.response.code}` : '';
      const text = `hls.js ${data.type}/${data.details}${code}${detail ? ': ' + detail : ''}`;
      if (data.fatal) fail(text); else warn(text);
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => play());
    hls.loadSource(cfg.url);
    hls.attachMedia(video);
  }

  function decodedFrames() {
    if (typeof video.getVideoPlaybackQuality === 'function') {
      const q = video.getVideoPlaybackQuality();
      if (q && typeof q.totalVideoFrames === 'number') return q.totalVideoFrames;
    }
    return typeof video.webkitDecodedFrameCount === 'number' ? video.webkitDecodedFrameCount : 0;
  }

  // Audio tracks as the player lists them, and the one playing: {language, name} and the active index.
  function audioTracks() {
    if (window.hls) {
      const list = window.hls.audioTracks || [];
      return { tracks: list.map((t) => ({ language: t.lang || '', name: t.name || '', characteristics: t.characteristics || '' })),
        active: window.hls.audioTrack };
    }
    if (window.player) {
      // shaka 5: the audio tracks that go with the current video track.
      const list = window.player.getAudioTracks();
      return { tracks: list.map((t) => ({ language: t.language, name: t.label || '', channels: t.channelsCount, roles: t.roles || [] })),
        active: list.findIndex((t) => t.active) };
    }
    return { tracks: [], active: -1 };
  }

  // Switches to the first audio track of a language (hls.js: hls.audioTrack; shaka: selectAudioLanguage).
  function switchAudio(language) {
    const before = audioTracks();
    if (window.hls) {
      const index = before.tracks.findIndex((t) => t.language === language && !t.characteristics.includes('describes-video'));
      if (index < 0) return { ok: false, before };
      window.hls.audioTrack = index;
    } else if (window.player) {
      // The main track of that language, not its audio description.
      const candidates = window.player.getAudioTracks().filter((t) => t.language === language);
      const track = candidates.find((t) => !(t.roles || []).includes('description')) || candidates[0];
      if (!track) return { ok: false, before };
      window.player.selectAudioTrack(track);
    }
    return { ok: true, before };
  }

  function audioDecodedBytes() {
    return typeof video.webkitAudioDecodedByteCount === 'number' ? video.webkitAudioDecodedByteCount : -1;
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // The player's own list of text tracks, in one shape for both players.
  function listTextTracks() {
    if (window.player) {
      return window.player.getTextTracks().map((t) => ({ language: t.language, label: t.label, forced: !!t.forced, roles: t.roles || [] }));
    }
    if (window.hls) {
      return window.hls.subtitleTracks.map((t) => ({ language: t.lang, label: t.name, forced: !!t.forced, roles: t.characteristics ? [t.characteristics] : [] }));
    }
    return [];
  }

  function selectTextTrack(lang) {
    if (window.player) {
      const track = window.player.getTextTracks().find((t) => t.language === lang);
      if (!track) throw new Error(`shaka lists no text track in ${lang}`);
      window.player.selectTextTrack(track); // shaka 5: selecting shows it (setTextTrackVisibility is gone)
      if (typeof window.player.setTextTrackVisibility === 'function') window.player.setTextTrackVisibility(true);
      return;
    }
    const index = window.hls.subtitleTracks.findIndex((t) => t.lang === lang);
    if (index < 0) throw new Error(`hls.js lists no subtitle track in ${lang}`);
    window.hls.subtitleDisplay = true;
    window.hls.subtitleTrack = index;
  }

  function activeCueTexts() {
    const texts = [];
    for (const track of Array.from(video.textTracks)) {
      if (track.mode !== 'showing' || !track.activeCues) continue;
      for (const cue of Array.from(track.activeCues)) texts.push(cue.text);
    }
    return texts;
  }

  function showingCues() {
    const cues = [];
    for (const track of Array.from(video.textTracks)) {
      if (track.mode !== 'showing' || !track.cues) continue;
      for (const cue of Array.from(track.cues)) cues.push({ start: cue.startTime, end: cue.endTime, text: cue.text });
    }
    return cues;
  }

  async function subtitles(lang, times) {
    const tracks = listTextTracks();
    selectTextTrack(lang);
    video.pause();
    const active = [];
    for (const t of times) {
      video.currentTime = t;
      // The cue shows once the player fetched its segment and the element reached t: poll up to 8 s.
      let texts = [];
      for (let waited = 0; waited < 8000; waited += 100) {
        await sleep(100);
        texts = activeCueTexts();
        if (texts.length && !video.seeking) break;
      }
      active.push({ time: t, texts });
    }
    const elementTracks = Array.from(video.textTracks).map((t) => ({ language: t.language, mode: t.mode, cues: t.cues ? t.cues.length : null }));
    return { tracks, active, cues: showingCues(), elementTracks };
  }

  window.harness = {
    subtitles,
    audioTracks,
    switchAudio,
    start(cfg) {
      const run = cfg.player === 'shaka' ? startShaka : startHlsJs;
      run(cfg).catch((e) => fail(`${cfg.player} setup failed: ${e && e.message ? e.message : e}`));
      return true;
    },
    snapshot() {
      return {
        currentTime: video.currentTime,
        startTime: state.startTime,
        duration: video.duration,
        decodedFrames: decodedFrames(),
        audioDecodedBytes: audioDecodedBytes(),
        videoWidth: video.videoWidth,
        readyState: video.readyState,
        paused: video.paused,
        ended: state.ended,
        drm: !!video.mediaKeys,
        encryptedEvents: state.encryptedEvents,
        waitingForKeyMs: state.waitingForKeySince === null ? 0 : Date.now() - state.waitingForKeySince,
        errors: state.errors.slice(),
        warnings: state.warnings.slice(),
      };
    },
  };
})();
