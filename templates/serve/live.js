// Live reload for `broadsheet serve`. The server puts this script into every HTML response (never
// into the built files), after a JSON element #__broadsheet_state holding:
//   version  the change this page was served at ("<server>-<number>")
//   file     the output file this page shows ("world/story/index.html"), or null
//   base     the site's base path ("/" or "/news/"); events: the event stream's URL
//   error    the last build's problems ({summary, problems}) or null
// What reloads is decided by the server (generator/serve/plan.py); this script only applies it:
// reload if this page's file is in `files` (or `files` is null: every page), else swap the
// stylesheets in `css`. It re-derives no path.
(function () {
  "use strict";
  var holder = document.getElementById("__broadsheet_state");
  if (!holder) return;
  var state = JSON.parse(holder.textContent);
  var BOX = "__broadsheet_overlay";

  function overlay(err) {
    var old = document.getElementById(BOX);
    if (old) old.remove();
    if (!err) return;
    var box = document.createElement("div");
    box.id = BOX;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2em;" +
      "background:rgba(24,24,24,.92);color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var head = document.createElement("div");
    head.style.cssText = "font-size:18px;font-weight:bold;color:#ff7b72;margin-bottom:1em";
    head.textContent = err.summary;
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0 0 1.5em";
    pre.textContent = err.problems.join("\n");
    var note = document.createElement("div");
    note.style.cssText = "color:#aaa";
    note.textContent = "This page is the last good build. Save a fix and it recovers by itself. " +
      "Click to hide.";
    box.append(head, pre, note);
    box.addEventListener("click", function () { box.remove(); });
    (document.body || document.documentElement).appendChild(box);
  }

  // Swap the stylesheets among `files` (output files) for fresh copies, without a reload; when
  // none of this page's own stylesheets is among them, swap all of them.
  function restyle(files) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel~="stylesheet"]'));
    var ours = links.filter(function (l) {
      return new URL(l.href, location.href).origin === location.origin;
    });
    var hit = ours.filter(function (l) {
      var p = new URL(l.href, location.href).pathname;
      return files.some(function (f) { return p === state.base + f; });
    });
    (hit.length ? hit : ours).forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("__broadsheet", String(Date.now()));
      var fresh = link.cloneNode();
      var done = function () { link.remove(); };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      fresh.href = url.href;
      link.after(fresh);
    });
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  ready(function () { overlay(state.error); });
  if (!window.EventSource) return;
  var es = new EventSource(state.events + "?since=" + encodeURIComponent(state.version));
  window.__broadsheetLive = {state: state, events: es};  // for debugging and the browser test

  // Apply a reload plan {files, css, version}; true when this page reloads.
  function apply(d) {
    if (!d.files || d.files.indexOf(state.file) >= 0) { es.close(); location.reload(); return true; }
    state.version = d.version;
    if (d.css && d.css.length) restyle(d.css);
    return false;
  }
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (d.version !== state.version && apply(d)) return;  // changed since it was served
    overlay(d.error);
  });
  es.addEventListener("reload", function (e) { apply(e.data ? JSON.parse(e.data) : {}); });
  es.addEventListener("css", function (e) {
    var d = JSON.parse(e.data);
    state.version = d.version;
    overlay(null);
    restyle(d.files);
  });
  es.addEventListener("builderror", function (e) { overlay(JSON.parse(e.data)); });
})();
