// The content-machine console: plain ES modules against the gateway's JSON API, signed in with a session cookie.
// Every write sends the session's CSRF token; pages are built with DOM calls (never innerHTML), so no text from the API is
// ever read as markup.

const PLATFORMS = [
  {id: 'youtube', name: 'YouTube'},
  {id: 'tiktok', name: 'TikTok'},
  {id: 'instagram', name: 'Instagram'},
];
const FINAL = new Set(['published', 'failed', 'deleted']);
const LENGTHS = [15, 30, 45, 60, 90, 120, 180];

let session = null;
/** EventSources of the page on screen, closed when it changes. */
let streams = [];

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `Request failed (${status})`);
    this.status = status;
    this.body = body || {};
  }

  /** The error with its details, one readable sentence. */
  describe() {
    const details = Array.isArray(this.body.details) ? this.body.details : [];
    return details.length ? `${this.message}: ${details.join('; ')}` : this.message;
  }
}

async function api(method, path, body, extraHeaders = {}) {
  const headers = {Accept: 'application/json', ...extraHeaders};
  if (method !== 'GET' && session) {
    headers['X-CSRF-Token'] = session.csrfToken;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.status === 401 && path !== '/api/session') {
    session = null;
    showSignIn('Your session has ended. Sign in again.');
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

/** Builds an element: h('a', {href: '#'}, 'text', child...). Strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      el.append(child instanceof Node ? child : String(child));
    }
  }
  return el;
}

const main = () => document.getElementById('main');

let noticeAt = 0;

function notify(message, bad = false) {
  noticeAt = message ? Date.now() : 0;
  const box = document.getElementById('notice');
  box.textContent = message;
  box.classList.toggle('bad', bad);
  box.hidden = !message;
}

function page(title, ...content) {
  const root = main();
  root.replaceChildren(h('h1', {}, title), ...content);
  document.title = `${title} · content-machine`;
  root.focus();
}

function statusBadge(status) {
  return h('span', {class: `status ${status.replace(/ /g, '-')}`}, status);
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

function closeStreams() {
  streams.forEach(s => s.close());
  streams = [];
}

// --- sign in / out -------------------------------------------------------------------------------------------------

function showSignIn(message) {
  closeStreams();
  document.getElementById('nav').hidden = true;
  const error = h('p', {id: 'signin-error', class: 'error', role: 'alert'}, message || '');
  const key = h('input', {id: 'key', name: 'key', type: 'password', autocomplete: 'current-password', required: true,
    'aria-describedby': 'key-hint signin-error'});
  const form = h('form', {class: 'signin', onsubmit: async event => {
    event.preventDefault();
    error.textContent = '';
    try {
      session = await api('POST', '/api/session', {key: key.value.trim()});
      key.value = '';
      signedIn();
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.describe() : 'Could not reach the server';
      key.focus();
    }
  }},
  h('h1', {}, 'Sign in'),
  h('label', {for: 'key'}, 'API key'),
  key,
  h('p', {id: 'key-hint', class: 'hint'}, 'Your key is exchanged for a session; the console does not keep it.'),
  error,
  h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Sign in')));
  main().replaceChildren(form);
  document.title = 'Sign in · content-machine';
  notify('');
  key.focus();
}

function signedIn() {
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = `Signed in as ${session.owner}`;
  route();
}

async function signOut() {
  try {
    await api('DELETE', '/api/session');
  } finally {
    session = null;
    location.hash = '#/videos';
    showSignIn('You are signed out.');
  }
}

// --- videos ----------------------------------------------------------------------------------------------------------

function videoCard(video) {
  const ready = video.status === 'stored' || video.status === 'published';
  const picture = ready
    ? h('img', {class: 'thumb', src: `/api/videos/${video.id}/thumbnail`, alt: '', loading: 'lazy'})
    : h('div', {class: 'thumb placeholder', 'aria-hidden': 'true'}, video.status);
  const status = statusBadge(video.status);
  const progress = h('span', {class: 'meta'});
  const card = h('li', {class: 'card', 'data-id': video.id},
    h('a', {href: `#/videos/${video.id}`}, picture,
      h('span', {class: 'body'},
        h('span', {class: 'title'}, video.title || video.topic),
        status, ' ', progress,
        h('span', {class: 'meta'}, h('br'), when(video.createdAt)))));
  if (!FINAL.has(video.status) && video.status !== 'stored') {
    follow(video.id, update => {
      status.replaceWith(statusBadge(update.status));
      progress.textContent = update.stage && update.status === 'processing' ? `${update.stage} ${update.percent ?? 0}%` : '';
      if (update.status === 'stored' || update.status === 'published') {
        card.querySelector('.thumb').replaceWith(h('img', {class: 'thumb', src: `/api/videos/${video.id}/thumbnail`, alt: ''}));
      }
    });
  }
  return card;
}

/** Follows a project's live updates (Server-Sent Events, sent with the session cookie). */
function follow(id, onUpdate) {
  const source = new EventSource(`/api/videos/${id}/events`);
  let lastStatus = null;
  source.onmessage = message => {
    const update = JSON.parse(message.data);
    const changed = update.status !== lastStatus;
    lastStatus = update.status;
    onUpdate(update, changed);
    if (update.last) {
      source.close();
    }
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      source.close();
    }
  };
  streams.push(source);
  return source;
}

async function videosPage() {
  const grid = h('ul', {class: 'grid', 'aria-label': 'Videos, newest first'});
  const more = h('button', {type: 'button', class: 'quiet', hidden: true}, 'Load more');
  const statusFilter = h('select', {id: 'status-filter'},
    h('option', {value: ''}, 'any'),
    ['processing', 'rendered', 'stored', 'published', 'failed'].map(s => h('option', {value: s}, s)));
  const q = h('input', {id: 'q', type: 'search', name: 'q', maxlength: '500'});
  const summary = h('p', {class: 'meta', role: 'status'});
  let cursor = null;

  async function load(reset) {
    if (reset) {
      closeStreams();
      grid.replaceChildren();
      cursor = null;
    }
    const params = new URLSearchParams({limit: '12'});
    if (cursor) {
      params.set('cursor', cursor);
    }
    if (statusFilter.value) {
      params.set('status', statusFilter.value);
    }
    const pageOf = await api('GET', `/api/videos?${params}`);
    pageOf.items.forEach(v => grid.append(videoCard(v)));
    cursor = pageOf.nextCursor;
    more.hidden = !cursor;
    const shown = grid.children.length;
    summary.textContent = shown ? `${shown} video${shown === 1 ? '' : 's'} shown` : 'No videos yet.';
  }

  async function search(event) {
    event.preventDefault();
    if (!q.value.trim()) {
      return load(true);
    }
    closeStreams();
    try {
      const found = await api('GET', `/api/videos/search?${new URLSearchParams({q: q.value.trim(), limit: '24'})}`);
      grid.replaceChildren(...found.results.map(r => videoCard({id: r.projectId, title: r.title, topic: r.topic, status: r.status})));
      more.hidden = true;
      const n = found.results.length;
      summary.textContent = `${n} video${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} “${q.value.trim()}”`;
    } catch (e) {
      summary.textContent = e.describe();
    }
  }

  more.addEventListener('click', () => load(false));
  statusFilter.addEventListener('change', () => load(true));
  page('Your videos',
    h('div', {class: 'toolbar'},
      h('form', {role: 'search', class: 'toolbar', onsubmit: search},
        h('div', {}, h('label', {for: 'q'}, 'Search your scripts'), q),
        h('button', {type: 'submit'}, 'Search')),
      h('div', {}, h('label', {for: 'status-filter'}, 'Status'), statusFilter),
      h('a', {class: 'button', href: '#/new'}, 'New video')),
    summary, grid, h('div', {class: 'actions'}, more));
  await load(true);
}

// --- create ----------------------------------------------------------------------------------------------------------

async function newVideoPage() {
  const catalog = await api('GET', '/api/catalog');
  const topic = h('textarea', {id: 'topic', name: 'topic', rows: '3', maxlength: '500', required: true});
  const template = h('select', {id: 'template', name: 'template', required: true},
    catalog.templates.map(t => h('option', {value: t.id}, t.name ? `${t.name} (${t.id})` : t.id)));
  const voice = h('select', {id: 'voice', name: 'voice', required: true},
    // a voice whose language no script writer writes is refused at create: not offered
    catalog.voices.filter(v => v.scripted !== false)
      .map(v => h('option', {value: v.id}, `${v.id} — ${v.language}${v.engine ? ` (${v.engine})` : ''}`)));
  const min = catalog.length?.min ?? 15;
  const max = catalog.length?.max ?? 180;
  const length = h('select', {id: 'length', name: 'length'},
    LENGTHS.filter(l => l >= min && l <= max).map(l => h('option', {value: String(l), selected: l === 30}, `${l} seconds`)));
  const music = await musicChoice();
  const anyway = h('input', {id: 'anyway', type: 'checkbox'});
  const anywayLabel = h('label', {class: 'choice', hidden: true}, anyway, 'Create it anyway');
  const error = h('div', {class: 'error', role: 'alert'});
  const submit = h('button', {type: 'submit'}, 'Create video');
  let idempotencyKey = crypto.randomUUID();
  [topic, template, voice, length, music.select, anyway].forEach(el => el.addEventListener('change', () => {
    idempotencyKey = crypto.randomUUID();
  }));

  page('New video', h('form', {onsubmit: async event => {
    event.preventDefault();
    error.replaceChildren();
    submit.disabled = true;
    try {
      const created = await api('POST', '/api/videos', {
        topic: topic.value.trim(),
        config: {template: template.value, voice: voice.value, length: Number(length.value), music: music.value()},
        allowDuplicate: anyway.checked,
      }, {'Idempotency-Key': idempotencyKey});
      notify('Video requested. Its progress shows below as it is made.');
      location.hash = `#/videos/${created.projectId}`;
    } catch (e) {
      if (e.status === 409 && e.body.duplicateOf) {
        error.append(e.message, ' ', h('a', {href: `#/videos/${e.body.duplicateOf}`}, 'See the earlier video'), '.');
        anywayLabel.hidden = false;
      } else {
        error.append(e instanceof ApiError ? e.describe() : 'Could not reach the server');
      }
      submit.disabled = false;
    }
  }},
  h('label', {for: 'topic'}, 'Topic'), topic,
  h('p', {class: 'hint'}, 'What the video is about, in a sentence. The script is written from it.'),
  h('label', {for: 'template'}, 'Template'), template,
  h('label', {for: 'voice'}, 'Voice'), voice,
  h('label', {for: 'length'}, 'Length'), length,
  h('label', {for: 'music'}, 'Music (optional)'), music.select, music.hint,
  anywayLabel, error,
  h('div', {class: 'actions'}, submit)));
  topic.focus();
}

// --- one video -------------------------------------------------------------------------------------------------------

async function videoPage(id) {
  let video = await api('GET', `/api/videos/${id}`);
  const status = h('p', {}, 'Status: ', statusBadge(video.status));
  const progress = h('progress', {max: '100', id: 'progress', 'aria-label': 'Render progress'});
  const progressText = h('p', {class: 'meta', id: 'progress-text', 'aria-live': 'polite'});
  const player = h('section', {'aria-labelledby': 'player-h'}, h('h2', {id: 'player-h'}, 'Video'));
  const details = h('div');
  const publishings = h('section', {'aria-labelledby': 'pub-h'});
  const publishForm = h('section', {'aria-labelledby': 'publish-h'});
  const deleteButton = h('button', {type: 'button', class: 'danger', onclick: () => confirmDelete(id, deleteButton)}, 'Delete video');

  function showProgress(update) {
    const processing = update.status === 'processing';
    progress.hidden = !processing;
    if (processing) {
      progress.value = update.percent ?? update.progress?.percent ?? 0;
      const stage = update.stage ?? update.progress?.stage ?? 'queued';
      progressText.textContent = `${stage}: ${progress.value}%`;
    } else {
      progressText.textContent = update.status === 'failed' && video.failure
        ? `Failed at ${video.failure.stage}: ${video.failure.reason}` : '';
    }
  }

  let polling = null;

  /**
   * After a publish from this page: the project's event stream ended when it was stored, so its publishings are read again
   * every few seconds until each platform asked for has settled (published, scheduled or failed), for at most ten minutes.
   */
  function pollPublishings(platforms) {
    polling?.close();
    const settled = new Set(['published', 'scheduled', 'failed']);
    const until = Date.now() + 10 * 60 * 1000;
    const timer = {closed: false, close() {
      this.closed = true;
      clearTimeout(this.id);
    }};
    const tick = async () => {
      if (timer.closed) {
        return;
      }
      video = await api('GET', `/api/videos/${id}`);
      showDetails();
      const done = platforms.every(p => (video.publishings || []).some(x => x.platform === p && settled.has(x.status)));
      if (!done && Date.now() < until) {
        timer.id = setTimeout(tick, 3000);
      }
    };
    timer.id = setTimeout(tick, 1000);
    streams.push(timer);
    polling = timer;
  }

  /** Live status and progress until a final state (a stored video with nothing to publish is one). */
  function startFollowing() {
    if (FINAL.has(video.status)) {
      return;
    }
    follow(id, async (update, changed) => {
      showProgress(update);
      if (changed || update.last) {
        video = await api('GET', `/api/videos/${id}`);
        showDetails();
        await showPlayer();
      }
    });
  }

  function showDetails() {
    status.replaceChildren('Status: ', statusBadge(video.status));
    details.replaceChildren(...scriptAndProvenance(video));
    publishings.replaceChildren(...publishingsTable(video));
    showProgress(video);
  }

  async function showPlayer() {
    if (player.querySelector('video') || !['stored', 'published'].includes(video.status)) {
      if (!player.querySelector('video') && !player.querySelector('p')) {
        player.append(h('p', {class: 'meta'}, 'The player appears when the video is stored.'));
      }
      return;
    }
    const url = await api('GET', `/api/videos/${id}/download`);
    player.replaceChildren(h('h2', {id: 'player-h'}, 'Video'),
      h('video', {controls: true, preload: 'metadata', src: url.url, 'aria-label': `Video: ${video.title || video.topic}`}),
      video.video ? h('p', {class: 'meta'}, `${video.video.duration ?? '?'} s · ${video.video.resolution ?? ''} · `
        + `${Math.round((video.video.fileSize ?? 0) / 1024)} KiB`) : null);
    publishForm.replaceChildren(...publishSection(id, video.video?.duration ?? 0, async platforms => {
      video = await api('GET', `/api/videos/${id}`);
      showDetails();
      pollPublishings(platforms);
    }));
  }

  page(video.title || video.topic,
    h('p', {class: 'meta'}, `Topic: ${video.topic} · ${video.config.template} · ${video.config.voice} · ${video.config.length} s · `
      + `created ${when(video.createdAt)}`),
    status, progress, progressText,
    h('div', {class: 'video-layout'}, player, h('div', {}, details, publishings, publishForm,
      h('h2', {}, 'Delete'), h('p', {class: 'hint'}, 'Removes the video, its files and its index entry. Posts on the platforms '
        + 'stay unless you also ask to delete them there (YouTube only: TikTok and Instagram have no delete call).'), deleteButton)));
  showDetails();
  await showPlayer();

  startFollowing();
}

function scriptAndProvenance(video) {
  const out = [];
  if (video.scenes && video.scenes.length) {
    out.push(h('h2', {}, 'Script'), h('ol', {class: 'scenes'}, video.scenes.map(s => h('li', {},
      h('span', {}, s.text), h('br'), h('span', {class: 'meta'}, `${s.duration.toFixed(1)} s`
        + (s.visualPrompt ? ` · picture: ${s.visualPrompt}` : ''))))));
  }
  const p = video.provenance;
  if (p) {
    const q = p.quality || {};
    const facts = [
      ['Script writer', p.writer && (p.writer + (p.writerFallbackReason ? ` (fallback: ${p.writerFallbackReason})` : ''))],
      ['Voice', p.voiceEngine && (p.voiceEngine + (p.voiceFallbackReason ? ` (fallback: ${p.voiceFallbackReason})` : ''))],
      ['Caption timing', p.captionTiming],
      ['Loudness', q.integratedLufs !== undefined ? `${q.integratedLufs} LUFS, peak ${q.truePeakDbtp} dBTP` : null],
      ['Scene cuts', q.sceneCuts !== undefined ? `${q.sceneCuts} (longest without a cut ${q.longestSecondsWithoutCut} s)` : null],
      ['Captions', q.captions !== undefined ? `${q.captions}, ${q.captionsOutsideSafeArea ?? 0} outside the safe area` : null],
      ['Repaired', q.fixed],
    ].filter(([, v]) => v !== null && v !== undefined);
    out.push(h('h2', {}, 'How it was made'), h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }
  return out;
}

function publishingsTable(video) {
  const heading = h('h2', {id: 'pub-h'}, 'Publishing');
  const list = video.publishings || [];
  if (!list.length) {
    return [heading, h('p', {class: 'meta'}, 'Not published anywhere yet.')];
  }
  const rows = list.map(p => {
    const notes = [
      p.waiting ? `Waiting: ${p.waiting.message || p.waiting.reason}${p.waiting.until ? ` (until ${when(p.waiting.until)})` : ''}` : null,
      p.error ? `${p.error.code ? `${p.error.code}: ` : ''}${p.error.message ?? ''}` : null,
      p.platformDeletion ? `Deletion on the platform: ${p.platformDeletion.status}${p.platformDeletion.message
        ? ` (${p.platformDeletion.message})` : ''}` : null,
    ].filter(Boolean).join(' · ');
    const metrics = p.metrics
      ? `${p.metrics.views ?? 0} views · ${p.metrics.likes ?? 0} likes · ${p.metrics.comments ?? 0} comments` : '—';
    return h('tr', {'data-platform': p.platform},
      h('td', {}, name(p.platform)),
      h('td', {}, statusBadge(p.status), p.publishAt ? h('span', {class: 'meta'}, h('br'), `for ${when(p.publishAt)}`) : null),
      h('td', {}, p.url ? h('a', {href: p.url, rel: 'noopener noreferrer', target: '_blank'}, `Open on ${p.platform}`) : '—'),
      h('td', {}, metrics),
      h('td', {}, notes || '—'));
  });
  const head = h('thead', {}, h('tr', {}, ['Platform', 'Status', 'Link', 'Metrics', 'Notes'].map(c => h('th', {scope: 'col'}, c))));
  return [heading, h('div', {class: 'table-wrap'}, h('table', {}, head, h('tbody', {}, rows)))];
}

const PRIVACY = {
  PUBLIC_TO_EVERYONE: 'Everyone',
  MUTUAL_FOLLOW_FRIENDS: 'Friends (followers you follow back)',
  FOLLOWER_OF_CREATOR: 'Followers',
  SELF_ONLY: 'Only me',
};

/**
 * TikTok's post screen (its Content Sharing Guidelines): built from creator_info, asked each time it opens; the creator's
 * nickname; only the privacy levels the creator may use, none chosen in advance; comments, duet and stitch off unless the
 * person turns them on, and greyed out where the creator turned them off; the commercial-content disclosure and the
 * music-usage statement.
 */
function tiktokPostScreen(onChange) {
  const box = h('fieldset', {class: 'tiktok', hidden: true, 'aria-describedby': 'tt-statement'}, h('legend', {}, 'TikTok post'));
  let creator = null;
  let inputs = null;

  async function load() {
    creator = null;
    inputs = null;
    box.replaceChildren(h('legend', {}, 'TikTok post'), h('p', {class: 'meta'}, 'Asking TikTok for your account’s options…'));
    try {
      creator = await api('GET', '/api/accounts/tiktok/creator-info');
    } catch (e) {
      box.replaceChildren(h('legend', {}, 'TikTok post'), h('p', {class: 'error'}, e.status === 409
        ? 'Connect a TikTok account first (Accounts).' : `TikTok’s options are not available: ${e.describe()}`));
      return;
    }
    const radios = (creator.privacyLevelOptions || []).map(level => h('input', {type: 'radio', name: 'tt-privacy', value: level,
      id: `tt-privacy-${level}`, required: true}));
    const toggle = (key, label, disabled) => {
      const input = h('input', {type: 'checkbox', id: `tt-${key}`, disabled: Boolean(disabled)});
      return [input, h('label', {class: 'choice', for: input.id}, input, label,
        disabled ? h('span', {class: 'meta'}, ' (turned off in your TikTok settings)') : null)];
    };
    const [comment, commentLabel] = toggle('comment', 'Allow comments', creator.commentDisabled);
    const [duet, duetLabel] = toggle('duet', 'Allow Duet', creator.duetDisabled);
    const [stitch, stitchLabel] = toggle('stitch', 'Allow Stitch', creator.stitchDisabled);
    const disclose = h('input', {type: 'checkbox', id: 'tt-disclose'});
    const organic = h('input', {type: 'checkbox', id: 'tt-organic'});
    const branded = h('input', {type: 'checkbox', id: 'tt-branded'});
    const brandChoices = h('div', {hidden: true},
      h('label', {class: 'choice', for: 'tt-organic'}, organic, 'Your brand: you promote yourself or your own business'),
      h('label', {class: 'choice', for: 'tt-branded'}, branded, 'Branded content: you promote another brand or a third party'));
    const statement = h('p', {id: 'tt-statement', class: 'hint'});
    const showStatement = () => {
      statement.replaceChildren(branded.checked
        ? 'By posting, you agree to TikTok’s Branded Content Policy and Music Usage Confirmation.'
        : 'By posting, you agree to TikTok’s Music Usage Confirmation.');
    };
    disclose.addEventListener('change', () => {
      brandChoices.hidden = !disclose.checked;
      if (!disclose.checked) {
        organic.checked = false;
        branded.checked = false;
      }
      showStatement();
    });
    branded.addEventListener('change', showStatement);
    showStatement();
    inputs = {radios, comment, duet, stitch, disclose, organic, branded};
    box.replaceChildren(...[h('legend', {}, 'TikTok post'),
      h('p', {}, 'Posting as ', h('strong', {}, creator.creatorNickname || creator.creatorUsername || 'your TikTok account')),
      creator.audited === false ? h('p', {class: 'hint'}, 'This app is not yet audited by TikTok: the post will be visible to you only.')
        : null,
      h('fieldset', {}, h('legend', {}, 'Who can see this video'),
        radios.map(r => h('label', {class: 'choice', for: r.id}, r, PRIVACY[r.value] ?? r.value))),
      commentLabel, duetLabel, stitchLabel,
      h('label', {class: 'choice', for: 'tt-disclose'}, disclose, 'Disclose commercial content: this video promotes a brand, '
        + 'product or service'),
      brandChoices, statement].filter(Boolean));
    box.querySelectorAll('input').forEach(el => el.addEventListener('change', onChange));
  }

  return {
    element: box,
    show(visible) {
      box.hidden = !visible;
      if (visible) {
        load();
      }
    },
    /** Why the screen cannot be sent yet, or null. */
    problem(durationSeconds) {
      if (!creator || !inputs) {
        return 'TikTok’s post options are not loaded: connect a TikTok account, then choose TikTok again.';
      }
      if (!inputs.radios.some(r => r.checked)) {
        return 'Choose who can see the TikTok post.';
      }
      if (inputs.disclose.checked && !inputs.organic.checked && !inputs.branded.checked) {
        return 'You disclosed commercial content: say whether it promotes your brand, another brand, or both.';
      }
      if (creator.maxVideoPostDurationSec && durationSeconds > creator.maxVideoPostDurationSec) {
        return `This video is longer than the ${creator.maxVideoPostDurationSec} s your TikTok account may post.`;
      }
      return null;
    },
    options() {
      return {
        privacyLevel: inputs.radios.find(r => r.checked)?.value,
        allowComment: inputs.comment.checked && !inputs.comment.disabled,
        allowDuet: inputs.duet.checked && !inputs.duet.disabled,
        allowStitch: inputs.stitch.checked && !inputs.stitch.disabled,
        brandContentToggle: inputs.branded.checked,
        brandOrganicToggle: inputs.organic.checked,
      };
    },
  };
}

function publishSection(id, durationSeconds, refresh) {
  const boxes = PLATFORMS.map(p => h('input', {type: 'checkbox', id: `pf-${p.id}`, value: p.id}));
  const title = h('input', {id: 'pub-title', maxlength: '500'});
  const description = h('textarea', {id: 'pub-description', rows: '3', maxlength: '5000'});
  const hashtags = h('input', {id: 'pub-hashtags', 'aria-describedby': 'pub-hashtags-hint'});
  const at = h('input', {id: 'pub-at', type: 'datetime-local', 'aria-describedby': 'pub-at-hint'});
  const previews = h('div', {class: 'previews', 'aria-live': 'polite'});
  const error = h('div', {class: 'error', role: 'alert'});
  const previewButton = h('button', {type: 'button', class: 'quiet'}, 'Preview');
  const publishButton = h('button', {type: 'submit', disabled: true}, 'Publish');
  const tiktokBox = boxes.find(b => b.value === 'tiktok');
  const tiktok = tiktokPostScreen(() => {
    publishButton.disabled = true;
  });
  tiktokBox.addEventListener('change', () => tiktok.show(tiktokBox.checked));

  function request() {
    const body = {platforms: boxes.filter(b => b.checked).map(b => b.value)};
    const metadata = {};
    if (title.value.trim()) {
      metadata.title = title.value.trim();
    }
    if (description.value.trim()) {
      metadata.description = description.value.trim();
    }
    const tags = hashtags.value.split(/[\s,]+/).map(t => t.trim()).filter(Boolean);
    if (tags.length) {
      metadata.hashtags = tags;
    }
    if (Object.keys(metadata).length) {
      body.metadata = metadata;
    }
    if (at.value) {
      body.publishAt = new Date(at.value).toISOString();
    }
    if (tiktokBox.checked) {
      body.tiktok = tiktok.options();
    }
    return body;
  }

  // what was previewed is what gets published: any change asks for a new preview
  [...boxes, title, description, hashtags, at].forEach(el => el.addEventListener('input', () => {
    publishButton.disabled = true;
  }));

  previewButton.addEventListener('click', async () => {
    error.replaceChildren();
    previews.replaceChildren();
    if (!boxes.some(b => b.checked)) {
      error.append('Choose at least one platform.');
      boxes[0].focus();
      return;
    }
    const problem = tiktokBox.checked ? tiktok.problem(durationSeconds) : null;
    if (problem) {
      error.append(problem);
      return;
    }
    const body = request();
    try {
      const shown = await api('POST', `/api/videos/${id}/publish/preview`,
        {platforms: body.platforms, metadata: body.metadata, tiktok: body.tiktok});
      previews.replaceChildren(...shown.map(p => h('section', {class: 'preview', 'aria-label': `What ${p.platform} receives`,
        'data-platform': p.platform},
      h('h3', {}, PLATFORMS.find(x => x.id === p.platform)?.name ?? p.platform),
      p.platform === 'youtube'
        ? h('dl', {class: 'facts'}, h('dt', {}, 'Title'), h('dd', {}, p.title), h('dt', {}, 'Description'), h('dd', {}, p.description),
          h('dt', {}, 'Tags'), h('dd', {}, (p.tags || []).join(', ') || '—'))
        : h('dl', {class: 'facts'}, h('dt', {}, p.platform === 'tiktok' ? 'Post title' : 'Caption'), h('dd', {}, p.text)))));
      publishButton.disabled = false;
    } catch (e) {
      error.append(e.describe());
    }
  });

  const form = h('form', {onsubmit: async event => {
    event.preventDefault();
    error.replaceChildren();
    publishButton.disabled = true;
    try {
      const body = request();
      await api('POST', `/api/videos/${id}/publish`, body);
      notify(body.publishAt ? `Scheduled for ${when(body.publishAt)}.` : 'Publishing started.');
      await refresh(body.platforms);
    } catch (e) {
      error.append(e.describe());
      publishButton.disabled = false;
    }
  }},
  h('fieldset', {}, h('legend', {}, 'Platforms'),
    PLATFORMS.map((p, i) => h('label', {class: 'choice', for: boxes[i].id}, boxes[i], p.name))),
  tiktok.element,
  h('label', {for: 'pub-title'}, 'Title (optional)'), title,
  h('label', {for: 'pub-description'}, 'Description (optional)'), description,
  h('label', {for: 'pub-hashtags'}, 'Hashtags (optional)'), hashtags,
  h('p', {id: 'pub-hashtags-hint', class: 'hint'}, 'Separated by spaces or commas; empty keeps the script’s own.'),
  h('label', {for: 'pub-at'}, 'Publish at (optional)'), at,
  h('p', {id: 'pub-at-hint', class: 'hint'}, 'Empty publishes now; a time in your time zone schedules it.'),
  h('h3', {}, 'What each platform receives'),
  h('p', {class: 'hint'}, 'Preview first: titles, descriptions and hashtags are fitted to each platform’s limits.'),
  previews, error,
  h('div', {class: 'actions'}, previewButton, publishButton));
  return [h('h2', {id: 'publish-h'}, 'Publish or schedule'), form];
}

/**
 * A modal confirmation, with an optional extra control (e.g. a checkbox); resolves true when confirmed. Focus returns to the
 * button that opened it.
 */
function confirmDialog(question, confirmLabel, opener, extra) {
  return new Promise(resolve => {
    const dialog = h('dialog', {'aria-labelledby': 'dialog-q'},
      h('p', {id: 'dialog-q'}, question),
      extra,
      h('form', {method: 'dialog', class: 'actions'},
        h('button', {value: 'cancel', class: 'quiet'}, 'Cancel'),
        h('button', {value: 'confirm', class: 'danger'}, confirmLabel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

async function confirmDelete(id, opener) {
  const fromPlatforms = h('input', {id: 'from-platforms', type: 'checkbox'});
  const choice = h('label', {class: 'choice'}, fromPlatforms,
    'Also delete it on the platforms where it was published (YouTube; TikTok and Instagram cannot be deleted through their APIs)');
  if (!await confirmDialog('Delete this video? Its files are removed and it cannot be undone.', 'Delete', opener, choice)) {
    return;
  }
  try {
    await api('DELETE', `/api/videos/${id}${fromPlatforms.checked ? '?fromPlatforms=true' : ''}`);
    notify('Video deleted.');
    location.hash = '#/videos';
  } catch (e) {
    notify(e.describe(), true);
  }
}

// --- accounts --------------------------------------------------------------------------------------------------------

async function accountsPage(params) {
  if (params.get('connected')) {
    notify(`${name(params.get('connected'))} connected.`);
  } else if (params.get('error')) {
    notify(`${name(params.get('platform'))} was not connected: ${params.get('error')}`, true);
  }
  const accounts = await api('GET', '/api/accounts');
  const list = h('ul', {class: 'accounts'}, accounts.map(entry => {
    const account = entry.account || {};
    const state = entry.connected ? (account.status || 'connected') : 'not connected';
    const connect = h('button', {type: 'button'}, entry.connected ? 'Reconnect' : 'Connect');
    connect.addEventListener('click', async () => {
      try {
        const start = await api('POST', `/api/accounts/${entry.platform}/connect`);
        location.assign(start.authorizationUrl);
      } catch (e) {
        notify(e.describe(), true);
      }
    });
    const disconnect = entry.connected ? h('button', {type: 'button', class: 'quiet'}, 'Disconnect') : null;
    disconnect?.addEventListener('click', async () => {
      if (!await confirmDialog(`Disconnect ${name(entry.platform)}? Scheduled posts there will not go out.`, 'Disconnect', disconnect)) {
        return;
      }
      try {
        await api('DELETE', `/api/accounts/${entry.platform}`);
        notify(`${name(entry.platform)} disconnected.`);
        route();
      } catch (e) {
        notify(e.describe(), true);
      }
    });
    return h('li', {'data-platform': entry.platform},
      h('div', {}, h('strong', {}, name(entry.platform)), ' ', statusBadge(state),
        account.accountName ? h('div', {class: 'meta'}, account.accountName) : null,
        account.expiresAt ? h('div', {class: 'meta'}, `token until ${when(account.expiresAt)}`) : null),
      h('div', {class: 'actions'}, connect, disconnect));
  }));
  page('Platform accounts', h('p', {class: 'hint'}, 'Connect an account to publish there; you approve access on the platform’s own page '
    + 'and come back here.'), list);
}

function name(platform) {
  return PLATFORMS.find(p => p.id === platform)?.name ?? platform;
}

// --- media library ---------------------------------------------------------------------------------------------------

/** What the media library takes (storage-service refuses anything else with 415). */
const ASSET_TYPES = ['video/mp4', 'video/quicktime', 'image/jpeg', 'image/png', 'audio/mpeg', 'audio/wav'];

function size(bytes) {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

async function sha256Hex(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
}

/** PUTs the file straight to the presigned URL with the grant's headers; onProgress(0..100). Resolves on a 2xx from S3. */
function putToStorage(grant, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', grant.url);
    Object.entries(grant.headers || {}).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.upload.addEventListener('progress', event => {
      if (event.lengthComputable) {
        onProgress(Math.round(event.loaded * 100 / event.total));
      }
    });
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300
      ? resolve() : reject(new Error(`the storage server refused the upload (HTTP ${xhr.status})`))));
    xhr.addEventListener('error', () => reject(new Error('the storage server could not be reached')));
    xhr.send(file);
  });
}

function assetPreview(asset, url) {
  const label = asset.description || asset.filename;
  if (asset.kind === 'image') {
    return h('img', {class: 'thumb', src: url, alt: label});
  }
  if (asset.kind === 'video') {
    return h('video', {class: 'thumb', src: url, controls: true, muted: true, preload: 'metadata', 'aria-label': `Clip: ${label}`});
  }
  return h('div', {class: 'thumb placeholder audio'}, h('audio', {src: url, controls: true, preload: 'none',
    'aria-label': `Music: ${label}`}));
}

function assetCard(asset, onDelete) {
  const picture = h('div', {class: 'thumb placeholder', 'aria-hidden': 'true'}, asset.kind);
  const remove = h('button', {type: 'button', class: 'quiet', 'aria-label': `Delete ${asset.filename}`}, 'Delete');
  remove.addEventListener('click', () => onDelete(asset, remove));
  const card = h('li', {class: 'card asset', 'data-id': asset.id, 'data-status': asset.status}, picture,
    h('div', {class: 'body'},
      h('span', {class: 'title'}, asset.filename),
      statusBadge(asset.status), ' ', h('span', {class: 'meta'}, `${asset.kind} · ${size(asset.sizeBytes ?? 0)}`),
      asset.description ? h('p', {class: 'description'}, asset.description) : null,
      asset.tags && asset.tags.length ? h('p', {class: 'meta'}, `Tags: ${asset.tags.join(', ')}`) : null,
      asset.reason ? h('p', {class: 'error'}, `Rejected: ${asset.reason}`) : null,
      asset.license || asset.attribution
        ? h('p', {class: 'meta'}, [asset.license, asset.attribution].filter(Boolean).join(' · ')) : null,
      h('div', {class: 'actions'}, remove)));
  if (asset.status === 'ready') {
    // the list has no preview URLs (each is a presigned GET): ask for the asset itself
    api('GET', `/api/assets/${asset.id}`).then(full => {
      if (full.previewUrl) {
        picture.replaceWith(assetPreview(full, full.previewUrl));
      }
    }).catch(() => {});
  }
  return card;
}

async function libraryPage() {
  const grid = h('ul', {class: 'grid', 'aria-label': 'Your media, newest first'});
  const more = h('button', {type: 'button', class: 'quiet', hidden: true}, 'Load more');
  const kindFilter = h('select', {id: 'kind-filter'}, h('option', {value: ''}, 'any'),
    [['video', 'clips'], ['image', 'images'], ['audio', 'music']].map(([v, n]) => h('option', {value: v}, n)));
  const summary = h('p', {class: 'meta', role: 'status'});
  let cursor = null;

  async function onDelete(asset, opener) {
    if (!await confirmDialog(`Delete ${asset.filename}? It is removed from your media library and its files are deleted.`,
      'Delete', opener)) {
      return;
    }
    try {
      await api('DELETE', `/api/assets/${asset.id}`);
      grid.querySelector(`[data-id="${asset.id}"]`)?.remove();
      count();
      notify(`${asset.filename} deleted.`);
      main().focus();
    } catch (e) {
      notify(e.describe(), true);
    }
  }

  async function load(reset) {
    if (reset) {
      grid.replaceChildren();
      cursor = null;
    }
    const params = new URLSearchParams({limit: '24'});
    if (cursor) {
      params.set('cursor', cursor);
    }
    if (kindFilter.value) {
      params.set('kind', kindFilter.value);
    }
    const pageOf = await api('GET', `/api/assets?${params}`);
    pageOf.items.forEach(a => grid.append(assetCard(a, onDelete)));
    cursor = pageOf.nextCursor;
    more.hidden = !cursor;
    count();
  }

  function count() {
    const shown = grid.children.length;
    summary.textContent = shown ? `${shown} file${shown === 1 ? '' : 's'} shown` : 'Nothing here yet: upload a clip, an image or music.';
  }

  const file = h('input', {id: 'asset-file', type: 'file', required: true, accept: ASSET_TYPES.join(','),
    'aria-describedby': 'asset-file-hint'});
  const description = h('textarea', {id: 'asset-description', rows: '2', maxlength: '2000', 'aria-describedby': 'asset-description-hint'});
  const tags = h('input', {id: 'asset-tags', 'aria-describedby': 'asset-tags-hint'});
  const license = h('input', {id: 'asset-license', maxlength: '500'});
  const attribution = h('input', {id: 'asset-attribution', maxlength: '500'});
  const progress = h('progress', {id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress'});
  const progressText = h('p', {id: 'upload-text', class: 'meta', 'aria-live': 'polite'});
  const error = h('div', {class: 'error', role: 'alert'});
  const submit = h('button', {type: 'submit'}, 'Upload');

  async function upload(event) {
    event.preventDefault();
    error.replaceChildren();
    const chosen = file.files[0];
    if (!chosen) {
      error.append('Choose a file to upload.');
      file.focus();
      return;
    }
    if (!ASSET_TYPES.includes(chosen.type)) {
      error.append(`${chosen.name} is not a file the library takes: MP4 or QuickTime video, JPEG or PNG image, MP3 or WAV audio.`);
      file.focus();
      return;
    }
    submit.disabled = true;
    let created = null;
    try {
      progressText.textContent = `Checking ${chosen.name}…`;
      const sha256 = await sha256Hex(chosen);
      created = await api('POST', '/api/assets', {
        filename: chosen.name, contentType: chosen.type, sizeBytes: chosen.size, sha256,
        description: description.value.trim() || undefined,
        tags: tags.value.split(/[\s,]+/).map(t => t.trim()).filter(Boolean),
        license: license.value.trim() || undefined, attribution: attribution.value.trim() || undefined,
      });
      if (created.upload.method !== 'single') {
        // crypto.subtle hashes a whole file in memory, and a multipart upload is for files too big for that
        throw new Error(`${chosen.name} (${size(chosen.size)}) is too large to upload from the console in one piece; `
          + 'upload it through the API (POST /api/assets, one PUT per part).');
      }
      progress.hidden = false;
      progress.value = 0;
      progressText.textContent = `Uploading ${chosen.name}: 0%`;
      await putToStorage(created.upload, chosen, percent => {
        progress.value = percent;
        progressText.textContent = `Uploading ${chosen.name}: ${percent}%`;
      });
      await api('POST', `/api/assets/${created.asset.id}/complete`, {});
      progressText.textContent = '';
      progress.hidden = true;
      event.target.reset();
      notify(`${chosen.name} uploaded. It is ready for your videos once it has been processed.`);
      await load(true);
    } catch (e) {
      progress.hidden = true;
      progressText.textContent = '';
      error.append(e instanceof ApiError ? e.describe() : `Upload failed: ${e.message}`);
      if (created && created.asset.status === 'uploading') {
        // nothing usable arrived: do not leave an empty entry behind
        api('DELETE', `/api/assets/${created.asset.id}`).catch(() => {});
      }
    } finally {
      submit.disabled = false;
    }
  }

  more.addEventListener('click', () => load(false));
  kindFilter.addEventListener('change', () => load(true));
  page('Media library',
    h('p', {class: 'hint'}, 'Clips, images and music for your videos: scenes use the files whose description matches them, and a '
      + 'video can take one of your tracks as its music.'),
    h('section', {'aria-labelledby': 'upload-h'}, h('h2', {id: 'upload-h'}, 'Upload'),
      h('form', {onsubmit: upload},
        h('label', {for: 'asset-file'}, 'File'), file,
        h('p', {id: 'asset-file-hint', class: 'hint'}, 'MP4 or QuickTime video, JPEG or PNG image, MP3 or WAV audio. It goes '
          + 'straight to storage, checked against its SHA-256.'),
        h('label', {for: 'asset-description'}, 'Description'), description,
        h('p', {id: 'asset-description-hint', class: 'hint'}, 'What it shows or sounds like: scenes are matched against it.'),
        h('label', {for: 'asset-tags'}, 'Tags (optional)'), tags,
        h('p', {id: 'asset-tags-hint', class: 'hint'}, 'Separated by spaces or commas, e.g. calm for a music bed.'),
        h('label', {for: 'asset-license'}, 'License (optional)'), license,
        h('label', {for: 'asset-attribution'}, 'Attribution (optional)'), attribution,
        progress, progressText, error,
        h('div', {class: 'actions'}, submit))),
    h('h2', {id: 'library-h'}, 'Your files'),
    h('div', {class: 'toolbar'}, h('div', {}, h('label', {for: 'kind-filter'}, 'Kind'), kindFilter),
      h('button', {type: 'button', class: 'quiet', onclick: () => load(true)}, 'Refresh')),
    summary, grid, h('div', {class: 'actions'}, more));
  await load(true);
}

/** The new-video page's music choice: none, one of the owner's ready tracks, or any ready track with a tag. */
async function musicChoice() {
  const select = h('select', {id: 'music', name: 'music', 'aria-describedby': 'music-hint'}, h('option', {value: ''}, 'No music'));
  const hint = h('p', {id: 'music-hint', class: 'hint'}, 'A track from your media library, under the voice.');
  try {
    const tracks = await api('GET', '/api/assets?kind=audio&status=ready&limit=100');
    tracks.items.forEach(t => select.append(h('option', {value: `asset:${t.id}`}, t.description
      ? `${t.description} (${t.filename})` : t.filename)));
    [...new Set(tracks.items.flatMap(t => t.tags || []))].sort()
      .forEach(tag => select.append(h('option', {value: `tag:${tag}`}, `Any track tagged “${tag}”`)));
    if (!tracks.items.length) {
      hint.textContent = 'No music in your media library yet: upload a track there to use it here.';
    }
  } catch (e) {
    hint.textContent = 'Your media library is not available right now: the video is made without music.';
  }
  return {
    select,
    hint,
    value() {
      const [kind, ...rest] = select.value.split(':');
      const chosen = rest.join(':');
      return kind === 'asset' ? {assetId: chosen} : kind === 'tag' ? {tag: chosen} : undefined;
    },
  };
}

// --- routing ---------------------------------------------------------------------------------------------------------

async function route() {
  if (!session) {
    return;
  }
  closeStreams();
  const [path, query] = (location.hash.replace(/^#/, '') || '/videos').split('?');
  const params = new URLSearchParams(query || '');
  document.querySelectorAll('nav a').forEach(a => {
    if (a.getAttribute('href') === `#${path}`) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
  try {
    const video = path.match(/^\/videos\/([0-9a-f-]{36})$/);
    if (video) {
      await videoPage(video[1]);
    } else if (path === '/new') {
      await newVideoPage();
    } else if (path === '/accounts') {
      await accountsPage(params);
    } else if (path === '/library') {
      await libraryPage();
    } else {
      await videosPage();
    }
  } catch (e) {
    if (session) {
      page('Something went wrong', h('p', {class: 'error'}, e instanceof ApiError ? e.describe() : String(e)),
        h('p', {}, h('a', {href: '#/videos'}, 'Back to your videos')));
    }
  }
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', () => {
    // a notice belongs to its page, except one made just before this navigation (e.g. "Video requested")
    if (Date.now() - noticeAt > 1000) {
      notify('');
    }
    route();
  });
  try {
    session = await api('GET', '/api/session');
    signedIn();
  } catch {
    showSignIn();
  }
}

start();
