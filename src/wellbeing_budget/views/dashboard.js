// Live re-weighting of the wellbeing report. No library, no network: the numbers are the
// JSON in #wb-data (effect-years by proposal x domain x generation before domain weights, one
// table per precomputed wellbeing discount schedule). Scores are linear in the weights, so a
// re-weighting is a weighted sum; the library ranks the same way (tests check it in Chromium).
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("wb-data").textContent);
  var panel = document.getElementById("reweight");
  var body = document.querySelector("table.ranking tbody");
  if (!panel || !body) return;
  var nP = D.proposals.length, nD = D.domains.length, nK = D.pillars.length;
  var rows = {};
  Array.prototype.forEach.call(body.querySelectorAll("tr[data-id]"), function (tr) {
    rows[tr.getAttribute("data-id")] = tr;
  });

  function defaults() {
    return {
      p: D.pillars.map(function () { return 1; }),
      d: D.domains.map(function (d) { return d.weight; }),
      f: 0,
      s: 0
    };
  }
  var state = defaults();

  function fmt(v) {
    var da = D.language === "da";
    var text;
    if (!isFinite(v)) return "–";
    if (v === 0) return "0";
    if (Math.abs(v) < 0.001) {
      text = v > 0 ? "< 0.001" : "> −0.001";
      return da ? text.replace(".", ",") : text;
    }
    var r = Number(v.toPrecision(3));
    var mag = Math.floor(Math.log10(Math.abs(r)));
    var dec = Math.max(0, 2 - mag);
    text = Math.abs(r).toLocaleString("en-US", {
      minimumFractionDigits: 0, maximumFractionDigits: dec, useGrouping: true
    });
    if (r < 0) text = "−" + text;
    if (da) text = text.replace(/,/g, "\u0000").replace(/\./g, ",").replace(/\u0000/g, ".");
    return text;
  }

  function compute() {
    var sched = D.schedules[state.s];
    var out = [];
    for (var i = 0; i < nP; i++) {
      var cur = 0, fut = 0, byPillar = [];
      for (var k = 0; k < nK; k++) byPillar.push([0, 0]);
      var ec = sched.current[i], ef = sched.future[i];
      for (var j = 0; j < nD; j++) {
        var k2 = D.domains[j].pillar;
        var w = state.d[j] * state.p[k2];
        var c = w * ec[j], f = w * ef[j];
        cur += c; fut += f;
        byPillar[k2][0] += c; byPillar[k2][1] += f;
      }
      out.push({ i: i, id: D.proposals[i].id, cur: cur, fut: fut, score: cur + state.f * fut,
                 byPillar: byPillar, net: D.proposals[i].net });
    }
    return out;
  }

  function render() {
    var scored = compute();
    var ranked = scored.slice().sort(function (a, b) {
      return b.score - a.score || a.i - b.i;
    });
    var limit = 0;
    scored.forEach(function (s) { limit = Math.max(limit, Math.abs(s.cur), Math.abs(s.fut)); });
    var totalCur = 0, totalFut = 0;
    ranked.forEach(function (s, n) {
      var tr = rows[s.id];
      totalCur += s.cur; totalFut += s.fut;
      tr.querySelector(".c-rank").textContent = String(n + 1);
      setFigure(tr.querySelector(".c-current"), s.cur, limit);
      setFigure(tr.querySelector(".c-future"), s.fut, limit);
      var vfm = tr.querySelector(".c-vfm");
      if (s.net > 0) vfm.textContent = fmt(s.score / (s.net / 1e6));
      for (var k = 0; k < nK; k++) {
        var cells = tr.querySelectorAll('[data-pillar="' + k + '"]');
        if (cells.length === 2) {
          cells[0].textContent = fmt(s.byPillar[k][0]);
          cells[1].textContent = fmt(s.byPillar[k][1]);
        }
      }
      body.appendChild(tr);
    });
    var kc = document.getElementById("key-current"), kf = document.getElementById("key-future");
    if (kc) kc.textContent = fmt(totalCur);
    if (kf) kf.textContent = fmt(totalFut);
    var by = document.getElementById("ranked-by");
    if (by) by.textContent = state.f > 0 ? D.words.combined.replace("{f}", fmt(state.f)) : D.words.current;
    writeHash();
  }

  function setFigure(cell, value, limit) {
    cell.querySelector(".v").textContent = fmt(value);
    var bar = cell.querySelector(".bar");
    if (bar) {
      var share = limit > 0 ? Math.abs(value) / limit : 0;
      bar.style.width = (100 * share).toFixed(1) + "%";
      bar.className = value < 0 ? "bar neg" : "bar";
    }
  }

  function writeHash() {
    var base = defaults(), parts = [];
    if (state.f !== base.f) parts.push("f=" + state.f);
    if (state.s !== base.s) parts.push("s=" + encodeURIComponent(D.schedules[state.s].id));
    D.pillars.forEach(function (p, k) {
      if (state.p[k] !== base.p[k]) parts.push("p." + p.id + "=" + state.p[k]);
    });
    D.domains.forEach(function (d, j) {
      if (state.d[j] !== base.d[j]) parts.push("d." + d.id + "=" + state.d[j]);
    });
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== location.hash && !(hash === "" && location.hash === "#")) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
  }

  function readHash() {
    var text = location.hash.replace(/^#/, "");
    if (!text) return;
    text.split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at < 0) return;
      var key = decodeURIComponent(pair.slice(0, at)), raw = decodeURIComponent(pair.slice(at + 1));
      var value = Number(raw);
      if (key === "s") {
        D.schedules.forEach(function (s, n) { if (s.id === raw) state.s = n; });
        return;
      }
      if (!isFinite(value) || value < 0) return;
      if (key === "f") state.f = value;
      D.pillars.forEach(function (p, k) { if (key === "p." + p.id) state.p[k] = value; });
      D.domains.forEach(function (d, j) { if (key === "d." + d.id) state.d[j] = value; });
    });
  }

  function syncControls() {
    panel.querySelectorAll("input[data-kind]").forEach(function (input) {
      var kind = input.getAttribute("data-kind"), n = Number(input.getAttribute("data-index"));
      var value = kind === "f" ? state.f : state[kind][n];
      input.value = String(value);
      var out = input.parentNode.querySelector("output");
      if (out) out.textContent = fmt(value);
    });
    var select = panel.querySelector("select[data-kind='s']");
    if (select) select.value = String(state.s);
  }

  panel.addEventListener("input", function (event) {
    var input = event.target, kind = input.getAttribute("data-kind");
    if (!kind) return;
    var value = Number(input.value);
    if (kind === "f") state.f = value;
    else if (kind === "s") state.s = value;
    else state[kind][Number(input.getAttribute("data-index"))] = value;
    var out = input.parentNode.querySelector("output");
    if (out) out.textContent = fmt(value);
    render();
  });
  panel.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") {
      state.s = Number(event.target.value);
      render();
    }
  });
  document.getElementById("reweight-reset").addEventListener("click", function () {
    state = defaults();
    syncControls();
    render();
  });
  window.addEventListener("hashchange", function () {
    state = defaults();
    readHash();
    syncControls();
    render();
  });

  readHash();
  panel.hidden = false;
  syncControls();
  render();
})();
