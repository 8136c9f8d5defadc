// mockserver dashboard: token prompt, live rows over /__mock/events,
// filters, the request drawer, and the scenario buttons. Plain ES2020,
// no dependencies; every call goes to the admin API or re-fetches a
// server-rendered fragment of the page.
(function () {
  "use strict";
  const base = "/__mock/ui/";
  const tokenKey = "mockserver.adminToken";
  const themeKey = "mockserver.theme";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const content = () => $("#content");

  // ---- theme: auto → light → dark, kept across tabs -------------------
  function applyTheme(t) {
    if (t === "light" || t === "dark") document.documentElement.dataset.theme = t;
    else delete document.documentElement.dataset.theme;
    const b = $("#theme");
    if (b) b.title = "Theme: " + (t || "auto");
  }
  applyTheme(localStorage.getItem(themeKey));

  // ---- admin token ---------------------------------------------------
  const token = () => sessionStorage.getItem(tokenKey) || "";
  function authHeaders(extra) {
    const h = Object.assign({}, extra);
    if (token()) h.Authorization = "Bearer " + token();
    return h;
  }
  async function fetchAuth(url, opts) {
    opts = opts || {};
    const res = await fetch(url, Object.assign({}, opts, { headers: authHeaders(opts.headers), cache: "no-store" }));
    if (res.status === 401) {
      sessionStorage.removeItem(tokenKey);
      showLocked("That token was refused. Enter the admin token again.");
      throw new Error("unauthorized");
    }
    return res;
  }
  // showLocked goes back to the frame the server sends without a token,
  // which holds the prompt, and says why there.
  function showLocked(message) {
    stopStream();
    sessionStorage.setItem(tokenKey + ".error", message);
    location.reload();
  }
  async function showScenario() {
    const res = await fetchAuth("/__mock/health");
    const h = await res.json();
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.title = "Active scenario";
    chip.append("scenario ");
    const b = document.createElement("b");
    b.id = "active-scenario";
    b.textContent = h.scenario;
    chip.append(b);
    $("#theme").before(chip);
  }

  // ---- toast and confirmation ------------------------------------------
  let toastTimer;
  function toast(text, bad) {
    const t = $("#toast");
    t.textContent = text;
    t.className = "show" + (bad ? " bad" : "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = ""; }, bad ? 5000 : 2200);
  }
  // confirmBox asks a yes/no question in the modal dialog. The answer is
  // taken when it is given: the form's submit (a button) or the dialog's
  // cancel (Esc). The close event is only a fallback for a dialog closed
  // otherwise: it is queued, so the close of one question can arrive after
  // the next one opened, and returnValue outlives a question (Esc leaves it
  // as the last button set it). Read from there, a Switch clicked right
  // after a Cancel was answered "no" before its OK, and an Esc after an
  // earlier OK confirmed.
  let answerBox = null; // resolves the question on screen, once
  function answerConfirm(ok) {
    const answer = answerBox;
    answerBox = null;
    if (answer) answer(ok);
  }
  function confirmBox(text) {
    const d = $("#confirm");
    answerConfirm(false);
    $("#confirm-text").textContent = text;
    return new Promise((resolve) => {
      answerBox = resolve;
      d.showModal();
      $("#confirm-ok").focus();
    });
  }
  function wireConfirm() {
    const d = $("#confirm");
    if (!d) return;
    $("form", d).addEventListener("submit", (e) => answerConfirm(!!e.submitter && e.submitter.value === "ok"));
    d.addEventListener("cancel", () => answerConfirm(false));
    d.addEventListener("close", () => { if (!d.open) answerConfirm(false); });
  }

  // ---- fragments ------------------------------------------------------
  async function fragment(url, mode) {
    const res = await fetchAuth(url, { headers: { "X-Mock-UI": mode || "fragment" } });
    if (!res.ok) throw new Error((await res.text()) || res.statusText);
    return res.text();
  }
  async function loadContent(url) {
    content().innerHTML = await fragment(url || location.pathname + location.search);
    delete document.body.dataset.locked;
    enhance();
  }
  function enhance() {
    document.querySelectorAll(".bar span[data-pct]").forEach((s) => { s.style.width = s.dataset.pct + "%"; });
    if (document.body.dataset.page === "requests") startStream();
    const sc = $("#active-scenario");
    const row = $("#scenario-list tr.active");
    if (sc && row) sc.textContent = row.dataset.scenario;
  }

  // ---- live rows ------------------------------------------------------
  // The stream is read with fetch, not EventSource, so it can carry the
  // Bearer header. Each event only says "something new"; the rows
  // themselves come from the server, filtered and rendered as on load.
  let stream = null, refreshTimer = null, refreshing = false, again = false;
  const live = () => $("#live");
  function setLive(state) { const l = live(); if (l) { l.hidden = false; l.dataset.state = state; l.querySelector("span").textContent = state === "on" ? "live" : state; } }
  function lastSeq() { const s = $(".requests"); return s ? Number(s.dataset.last || 0) : 0; }
  function paused() { const p = $("#pause"); return p && p.getAttribute("aria-pressed") === "true"; }

  function startStream() {
    if (stream) return;
    const ctl = new AbortController();
    stream = { ctl, retry: 500 };
    const run = async () => {
      while (!ctl.signal.aborted) {
        try {
          const res = await fetchAuth("/__mock/events", { signal: ctl.signal, headers: { "Last-Event-ID": String(lastSeq()) } });
          if (!res.ok || !res.body) throw new Error("events: " + res.status);
          setLive(paused() ? "paused" : "on");
          stream.retry = 500;
          await readEvents(res.body.getReader(), ctl.signal);
        } catch (e) {
          if (ctl.signal.aborted || e.message === "unauthorized") return;
        }
        setLive("reconnecting");
        await new Promise((r) => setTimeout(r, stream.retry));
        stream.retry = Math.min(stream.retry * 2, 8000);
      }
    };
    run();
  }
  function stopStream() { if (stream) { stream.ctl.abort(); stream = null; } }

  async function readEvents(reader, signal) {
    const dec = new TextDecoder();
    let buf = "";
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block);
        if (ev && (ev[1] === "request" || ev[1] === "dropped")) scheduleRefresh();
      }
    }
  }
  function scheduleRefresh() {
    if (paused()) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshRows, 120);
  }
  async function refreshRows() {
    if (refreshing) { again = true; return; }
    const sec = $(".requests");
    if (!sec) return;
    refreshing = true;
    try {
      const q = new URLSearchParams(location.search);
      q.set("after", String(lastSeq()));
      const html = await fragment(location.pathname + "?" + q, "rows");
      const tmp = document.createElement("tbody");
      tmp.innerHTML = html;
      const rows = Array.from(tmp.children);
      const tbody = $("#rows");
      let newest = lastSeq();
      rows.forEach((r) => { newest = Math.max(newest, Number(r.dataset.seq)); r.classList.add("fresh"); });
      rows.reverse().forEach((r) => { if (!tbody.querySelector('tr[data-seq="' + r.dataset.seq + '"]')) tbody.prepend(r); });
      const limit = Number(q.get("limit")) || 300;
      while (tbody.children.length > limit) tbody.lastElementChild.remove();
      sec.dataset.last = String(newest);
      if (rows.length) {
        const m = $("#matched");
        if (m) m.textContent = String(Number(m.textContent.replace(/\D/g, "")) + rows.length);
        const empty = $("#empty");
        if (empty) empty.remove();
      }
    } catch (e) { /* the next event retries */ }
    refreshing = false;
    if (again) { again = false; refreshRows(); }
  }

  // ---- filters --------------------------------------------------------
  let filterTimer;
  function applyFilters(form) {
    const q = new URLSearchParams(new FormData(form));
    for (const [k, v] of Array.from(q.entries())) if (!v) q.delete(k);
    const url = base + "requests" + (q.toString() ? "?" + q : "");
    history.replaceState(null, "", url);
    stopStream();
    loadContent(url).catch((e) => toast(e.message, true));
  }

  // ---- the request drawer ---------------------------------------------
  async function openDetail(seq) {
    const drawer = $("#drawer");
    if (!drawer) { location.href = base + "requests/" + seq; return; }
    try {
      drawer.innerHTML = await fragment(base + "requests/" + seq);
      drawer.hidden = false;
      document.querySelectorAll(".row.selected").forEach((r) => r.classList.remove("selected"));
      const row = $('#rows tr[data-seq="' + seq + '"]');
      if (row) row.classList.add("selected");
    } catch (e) { toast(e.message, true); }
  }
  function closeDetail() {
    const drawer = $("#drawer");
    if (drawer) { drawer.hidden = true; drawer.innerHTML = ""; }
    document.querySelectorAll(".row.selected").forEach((r) => r.classList.remove("selected"));
  }
  async function copyCurl() {
    const text = $("#curl").textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const ta = document.createElement("textarea");
      ta.value = text; document.body.appendChild(ta); ta.select();
      document.execCommand("copy"); ta.remove();
    }
    toast("curl command copied");
  }

  // ---- scenario buttons: the admin JSON API ----------------------------
  const actions = {
    switch: (b) => ["PUT", "/__mock/scenario", JSON.stringify({ name: b.dataset.name }), "Switched to " + b.dataset.name],
    reset: () => ["POST", "/__mock/reset", null, "State reset"],
    snapshot: () => ["POST", "/__mock/snapshot", null, "Snapshot saved"],
  };
  async function runAction(b) {
    if (!(await confirmBox(b.dataset.confirm))) return;
    const [method, url, body, done] = actions[b.dataset.action](b);
    try {
      // X-Mock-Admin: admin writes without a JSON body need it (adminguard.go).
      const res = await fetchAuth(url, { method, body, headers: body ? { "Content-Type": "application/json" } : { "X-Mock-Admin": "1" } });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) { toast(data.message || res.statusText, true); return; }
      toast(done);
      await loadContent();
    } catch (e) { if (e.message !== "unauthorized") toast(e.message, true); }
  }

  // ---- wiring -----------------------------------------------------------
  document.addEventListener("click", (e) => {
    const t = e.target;
    if (t.closest("#theme")) {
      const order = [null, "light", "dark"];
      const next = order[(order.indexOf(localStorage.getItem(themeKey)) + 1) % 3];
      if (next) localStorage.setItem(themeKey, next); else localStorage.removeItem(themeKey);
      applyTheme(next);
      return;
    }
    if (t.closest("#pause")) {
      const p = $("#pause"), on = p.getAttribute("aria-pressed") !== "true";
      p.setAttribute("aria-pressed", String(on));
      p.textContent = on ? "Resume" : "Pause";
      setLive(on ? "paused" : "on");
      if (!on) refreshRows();
      return;
    }
    const action = t.closest("[data-action]");
    if (action) { runAction(action); return; }
    if (t.closest("[data-copy-curl]")) { copyCurl(); return; }
    if (t.closest("#drawer [data-close]")) { e.preventDefault(); closeDetail(); return; }
    const row = t.closest("#rows tr.row");
    if (row && !e.metaKey && !e.ctrlKey && !e.shiftKey) { e.preventDefault(); openDetail(row.dataset.seq); }
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeDetail(); });
  document.addEventListener("change", (e) => { const f = e.target.closest("#filters"); if (f) applyFilters(f); });
  document.addEventListener("input", (e) => {
    const f = e.target.closest("#filters");
    if (f && e.target.type === "search") { clearTimeout(filterTimer); filterTimer = setTimeout(() => applyFilters(f), 250); }
  });
  document.addEventListener("submit", (e) => {
    const f = e.target;
    if (f.id === "filters") { e.preventDefault(); applyFilters(f); }
    if (f.id === "token-form") {
      e.preventDefault();
      sessionStorage.setItem(tokenKey, f.token.value);
      unlock();
    }
  });

  // unlock fills the frame served without a token: the content, then the
  // scenario chip from the admin API.
  function unlock() {
    loadContent().then(showScenario).catch((e) => { if (e.message !== "unauthorized") toast(e.message, true); });
  }

  function start() {
    wireConfirm();
    if ("locked" in document.body.dataset) {
      const why = sessionStorage.getItem(tokenKey + ".error");
      sessionStorage.removeItem(tokenKey + ".error");
      if (why) { const err = $("#token-error"); err.textContent = why; err.hidden = false; }
      if (token()) unlock();
      else { const input = $("#token-form input"); if (input) input.focus(); }
      return;
    }
    enhance();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
