// Tributary console: the live parts of the server-rendered pages. Hand-written, no dependencies.
// Everything that comes from the server is put into the page with textContent, never innerHTML.
"use strict";

(function () {
  const API = "/_tributary/ui/api/";
  const POLL_MS = 1000;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.message || ("HTTP " + r.status));
    return body;
  }

  async function postJson(url, body) {
    const r = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const answer = await r.json();
    if (!r.ok) throw new Error(answer.message || ("HTTP " + r.status));
    return answer;
  }

  // ---- tail of a shard ----------------------------------------------------------------------
  function tail(table) {
    const stream = table.dataset.stream;
    const shard = table.dataset.shard;
    const body = table.tBodies[0];
    const status = document.getElementById("tail-status");
    const form = document.getElementById("seek");
    const pause = document.getElementById("pause");
    let next = null;         // shard offset to poll from; null = use the seek form
    let seekParams = { seek: "TRIM_HORIZON" };
    let paused = false;
    let generation = 0;      // a seek starts a new generation; answers of older ones are dropped
    let timer = null;

    function row(r) {
      const tr = el("tr");
      tr.dataset.offset = r.offset;
      tr.appendChild(el("td", r.sequenceNumber, "seq"));
      tr.appendChild(el("td", r.arrival));
      tr.appendChild(el("td", r.partitionKey));
      const td = el("td", null, "data " + r.encoding);
      td.appendChild(el("span", r.encoding, "enc"));
      td.appendChild(el("pre", r.data, "payload"));
      tr.appendChild(td);
      return tr;
    }

    async function poll() {
      timer = null;
      const mine = generation;
      const q = new URLSearchParams({ stream: stream, shard: shard, limit: "200" });
      if (next !== null) q.set("from", String(next));
      else for (const [k, v] of Object.entries(seekParams)) q.set(k, v);
      try {
        const page = await getJson(API + "records?" + q);
        if (mine !== generation) return;
        for (const r of page.records) body.appendChild(row(r));
        next = page.next;
        status.textContent = body.rows.length + " records shown; retained offsets " + page.startOffset
          + " to " + (page.endOffset - 1) + (page.closed ? "; the shard is closed" : "")
          + (paused ? "; paused" : "; following");
        status.className = "hint";
        if (page.records.length === 200) { schedule(0); return; }
      } catch (e) {
        if (mine !== generation) return;
        status.textContent = "Error: " + e.message;
        status.className = "error";
        if (next === null) return;  // a bad seek: wait for the next one
      }
      schedule(POLL_MS);
    }

    function schedule(ms) {
      if (!paused && timer === null) timer = setTimeout(poll, ms);
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const data = new FormData(form);
      seekParams = { seek: data.get("seek") };
      if (data.get("value")) seekParams.value = data.get("value");
      generation++;
      next = null;
      body.replaceChildren();
      if (timer !== null) { clearTimeout(timer); timer = null; }
      poll();
    });
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.textContent = paused ? "Follow" : "Pause";
      if (!paused) schedule(0);
      else if (timer !== null) { clearTimeout(timer); timer = null; }
    });
    poll();
  }

  // ---- clock and faults -----------------------------------------------------------------------
  function showClock(c) {
    document.getElementById("clock-now").textContent = c.now;
    document.getElementById("clock-pinned").textContent = String(c.pinned);
    document.getElementById("clock-offset").textContent = c.offsetMillis + " ms";
  }

  async function loadFaults() {
    const body = document.getElementById("faults").tBodies[0];
    try {
      const answer = await getJson("/_tributary/faults");
      body.replaceChildren();
      if (answer.faults.length === 0) {
        const tr = el("tr");
        const td = el("td", "No faults injected.");
        td.colSpan = 2;
        tr.appendChild(td);
        body.appendChild(tr);
      }
      for (const f of answer.faults) {
        const tr = el("tr");
        tr.appendChild(el("td", String(f.id)));
        const parts = [];
        for (const [k, v] of Object.entries(f)) if (k !== "id") parts.push(k + "=" + v);
        tr.appendChild(el("td", parts.join(", ")));
        body.appendChild(tr);
      }
    } catch (e) {
      body.replaceChildren(el("tr", "Error: " + e.message));
    }
  }

  function controls() {
    const fail = (e) => alert(e.message);
    document.getElementById("clock-advance").addEventListener("submit", function (ev) {
      ev.preventDefault();
      const seconds = Number(new FormData(ev.target).get("seconds"));
      postJson("/_tributary/clock/advance", { seconds: seconds }).then(showClock, fail);
    });
    document.getElementById("clock-pin").addEventListener("click", function () {
      postJson("/_tributary/clock/pin").then(showClock, fail);
    });
    document.getElementById("clock-unpin").addEventListener("click", function () {
      postJson("/_tributary/clock/unpin").then(showClock, fail);
    });
    document.getElementById("faults-clear").addEventListener("click", function () {
      postJson("/_tributary/faults/clear").then(loadFaults, fail);
    });
    loadFaults();
    setInterval(function () { getJson("/_tributary/clock").then(showClock, function () {}); }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const table = document.getElementById("tail");
    if (table) tail(table);
    if (document.getElementById("clock")) controls();
  });
})();
