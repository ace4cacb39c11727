// aadsts web UI: small progressive enhancements. Every page works without it.
"use strict";
(function () {
  // Copy buttons next to commands.
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-copy]");
    if (!b) return;
    var pre = document.getElementById(b.getAttribute("data-copy"));
    if (!pre || !navigator.clipboard) return;
    navigator.clipboard.writeText(pre.textContent).then(function () {
      var old = b.textContent; b.textContent = "Copied"; setTimeout(function () { b.textContent = old; }, 1200);
    });
  });
  // Sortable tables: <table data-sortable> with <th><button class="sort">.
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th button.sort").forEach(function (btn, idx) {
      btn.addEventListener("click", function () {
        var th = btn.closest("th"), col = Array.prototype.indexOf.call(th.parentNode.children, th);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-v") || a.cells[col].textContent.trim();
          var y = b.cells[col].getAttribute("data-v") || b.cells[col].textContent.trim();
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  // Filter box for tables: <input data-filter="tableId">.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  // Upload with progress: <form data-progress="progressId">.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    var bar = document.getElementById(form.getAttribute("data-progress"));
    form.addEventListener("submit", function (ev) {
      if (!window.XMLHttpRequest || !bar) return;
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
      });
      bar.hidden = false;
      xhr.onload = function () {
        if (xhr.status >= 400) { form.submit(); return; } // show the server's error page
        window.location.assign(xhr.responseURL || form.action);
      };
      xhr.send(new FormData(form));
    });
  });
  // Live regions: <tbody data-live="/path"> is refreshed from the server's
  // escaped HTML every few seconds while the page is visible.
  document.querySelectorAll("[data-live]").forEach(function (el) {
    var url = el.getAttribute("data-live");
    setInterval(function () {
      if (document.hidden) return;
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html !== null && html !== el.innerHTML) el.innerHTML = html;
      }).catch(function () {});
    }, 3000);
  });
})();
