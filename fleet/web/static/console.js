// Live console: server-sent events update the board tiles in place and refresh
// the alarm, terminal and supervision pages' content without a reload.
(function () {
  const body = document.body;
  const page = body.dataset.page;
  const offlineAfter = parseFloat(body.dataset.offlineAfter || "900");
  let skew = 0; // server clock minus ours
  const terminals = new Map();
  const dot = document.getElementById("live-dot");

  // What terminals report is data, never markup: every text below goes in through
  // textContent, and a value that picks a class must be one of the known ones.
  const LIGHTS = ["green", "yellow", "red"];
  function light(t) {
    const now = Date.now() / 1000 + skew;
    if (!t.online || now - t.last_seen > offlineAfter) return "grey";
    return LIGHTS.includes(t.reported) ? t.reported : "grey";
  }
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // -- board ------------------------------------------------------------------
  const board = document.getElementById("board");
  const fSite = document.getElementById("f-site");
  const fState = document.getElementById("f-state");

  function visible(t) {
    if (fSite && fSite.value && t.site !== fSite.value) return false;
    if (fState && fState.value) {
      if (fState.value === "oos") return t.oos;
      if (light(t) !== fState.value) return false;
    }
    return true;
  }

  function tileContent(t) {
    const id = el("div", "id");
    id.append(el("span", "dot " + light(t)), " " + t.id);
    const meta = el("div", "meta");
    if (t.oos) meta.append(el("span", "tag bad", board.dataset.oos));
    if (t.paper === "low") meta.append(el("span", "tag warn", board.dataset.paperLow));
    if (t.paper === "out") meta.append(el("span", "tag bad", board.dataset.paperOut));
    if (t.alarms) meta.append(el("span", "tag warn", "⚠ " + Number(t.alarms)));
    if (light(t) === "grey") {
      const reason = t.reason === "shutdown" ? "reasonshutdown" : "reasonlost";
      meta.append(el("span", "tag", board.dataset[reason] || ""));
    }
    return [id, meta];
  }
  function tile(t) {
    const a = el("a", "tile " + light(t));
    a.id = "tile-" + t.id;
    a.dataset.light = light(t);
    a.href = "/t/" + encodeURIComponent(t.id);
    a.append(...tileContent(t));
    return a;
  }

  function renderBoard() {
    if (!board) return;
    const sites = new Map();
    for (const t of terminals.values()) {
      if (!sites.has(t.site)) sites.set(t.site, []);
      sites.get(t.site).push(t);
    }
    const counts = { green: 0, yellow: 0, red: 0, grey: 0 };
    const parts = [];
    for (const site of [...sites.keys()].sort()) {
      const list = sites.get(site).sort((a, b) => String(a.id).localeCompare(String(b.id)));
      const shown = list.filter(visible);
      list.forEach((t) => counts[light(t)]++);
      if (!shown.length) continue;
      parts.push(el("div", "site-head", site + " · " + list.length));
      for (const t of shown) parts.push(tile(t));
    }
    board.replaceChildren(...parts);
    for (const k in counts) document.getElementById("n-" + k).textContent = counts[k];
    document.getElementById("n-all").textContent = terminals.size;
    if (fSite && fSite.options.length - 1 !== sites.size) {
      const keep = fSite.value;
      fSite.length = 1;
      for (const s of [...sites.keys()].sort()) fSite.add(new Option(s, s));
      fSite.value = keep;
    }
  }

  function updateTiles(rows) {
    let structural = false;
    for (const r of rows) {
      if (!terminals.has(r.id)) structural = true;
      terminals.set(r.id, r);
    }
    if (structural || terminals.size <= 3000) { renderBoard(); return; }
    for (const r of rows) { // large fleets: patch only what changed
      const node = document.getElementById("tile-" + r.id);
      if (node) node.replaceWith(tile(r));
    }
  }

  if (board) {
    fetch("/api/board").then((r) => r.json()).then((data) => {
      skew = data.now - Date.now() / 1000;
      data.terminals.forEach((t) => terminals.set(t.id, t));
      renderBoard();
    });
    fSite.onchange = fState.onchange = renderBoard;
    document.querySelectorAll(".chip").forEach((chip) => chip.onclick = () => {
      fState.value = fState.value === chip.dataset.light ? "" : chip.dataset.light;
      renderBoard();
    });
    setInterval(() => { // a silent terminal turns grey without any message
      for (const t of terminals.values()) {
        const node = document.getElementById("tile-" + t.id);
        if (node && node.dataset.light !== light(t)) { renderBoard(); return; }
      }
    }, 1000);
  }

  // -- other pages: refresh the content when something relevant changed -------
  // The content holds the confirmation dialog: it is never swapped while a question
  // is open (a refresh already on its way when the operator clicked would close it);
  // the page refreshes once the dialog closes. A refresh asked for while one is on
  // its way runs after it, so the last change is always shown; meanwhile the caller
  // gets the one on its way.
  let inFlight = null, again = false;
  function refresh() {
    const open = document.querySelector("dialog[open]");
    if (open) { open.addEventListener("close", refresh, { once: true }); return Promise.resolve(); }
    if (inFlight) { again = true; return inFlight; }
    inFlight = fetch(location.href, { headers: { "X-Partial": "1" } })
      .then((r) => r.text()).then((html) => {
        const asking = document.querySelector("dialog[open]");
        if (asking) { asking.addEventListener("close", refresh, { once: true }); return; }
        // The server rendered this with autoescaping: what terminals sent is text in it.
        document.getElementById("live").innerHTML = html; bindCommands(); watchDeadlines();
      })
      .finally(() => { inFlight = null; if (again) { again = false; refresh(); } });
    return inFlight;
  }
  window.consoleRefresh = refresh; // for the browser tests: a refresh racing a click

  // -- commands with confirmation ------------------------------------------------
  function bindCommands() {
    const term = document.getElementById("term");
    const dialog = document.getElementById("confirm");
    document.querySelectorAll("button.cmd").forEach((btn) => btn.onclick = () => {
      const text = document.getElementById("confirm-text");
      text.textContent = text.dataset.template.replace("__T__", term.dataset.id).replace("__C__", btn.dataset.label);
      dialog.returnValue = "";
      dialog.onclose = () => {
        if (dialog.returnValue !== "ok") return;
        const form = new FormData();
        const cmd = btn.dataset.cmd;
        form.append("cmd", cmd === "reboot_force" ? "reboot" : cmd);
        if (cmd === "reboot_force") form.append("force", "1");
        fetch(`/t/${encodeURIComponent(term.dataset.id)}/cmd`, { method: "POST", body: form })
          .then((r) => r.json().catch(() => ({})).then((body) => {
            if (!r.ok) throw new Error(body.detail || r.status);
            return body;
          }))
          .then(() => { toast("✔ " + btn.dataset.label); refresh(); })
          .catch((e) => toast("✖ " + btn.dataset.label + ": " + e.message, 8000));
      };
      dialog.showModal();
    });
  }
  function toast(text, ms) {
    let box = document.getElementById("toasts");
    if (!box) { box = document.createElement("div"); box.id = "toasts"; document.body.appendChild(box); }
    const el = document.createElement("div");
    el.className = "toast"; el.textContent = text; box.appendChild(el);
    setTimeout(() => el.remove(), ms || 3000);
  }
  // A command waiting for its answer turns "no answer" at its deadline, even when the
  // terminal (offline, or dead) never sends anything that would refresh the page.
  let deadlineTimer = null;
  function watchDeadlines() {
    clearTimeout(deadlineTimer);
    const waits = [...document.querySelectorAll("tr[data-state=sent]")]
      .map((tr) => parseFloat(tr.dataset.deadline) - (Date.now() / 1000 + skew));
    if (waits.length) deadlineTimer = setTimeout(refresh, Math.max(0, Math.min(...waits)) * 1000 + 300);
  }
  bindCommands();
  watchDeadlines();

  // -- the live stream ------------------------------------------------------------
  if (page && page !== "login") {
    const es = new EventSource("/api/stream");
    es.addEventListener("hello", (e) => { skew = JSON.parse(e.data).now - Date.now() / 1000; if (dot) dot.classList.add("on"); });
    es.addEventListener("tick", () => dot && dot.classList.add("on"));
    es.onerror = () => {
      if (dot) dot.classList.remove("on");
      // Refused for good (the session ended): the reload lands on the login page.
      if (es.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), 2000);
    };
    es.addEventListener("terminals", (e) => {
      const rows = JSON.parse(e.data);
      if (board) updateTiles(rows);
      const term = document.getElementById("term");
      if (term && rows.some((r) => r.id === term.dataset.id)) refresh();
    });
    es.addEventListener("alarms", () => { if (page === "alarms" || page === "terminal") refresh(); });
    es.addEventListener("txns", () => { if (page === "supervision" || page === "terminal") refresh(); });
  }
})();
