// Autosave for the minute-taker's console: nothing typed is lost.
// Each [data-autosave] form posts (htmx, debounced) as the officer types. This script tracks
// unsaved text, says "Not saved" when the connection drops, retries when it returns, pauses a
// minute that is in conflict until the officer chooses, and warns before leaving with unsaved text.
(function () {
  "use strict";

  var RETRY_MS = 10000;

  function form(element) { return element && element.closest ? element.closest("[data-autosave]") : null; }
  function status(f) { return f.querySelector(".save-status"); }
  function setStatus(f, text, unsaved) {
    var el = status(f);
    if (!el) { return; }
    el.textContent = text;
    el.classList.toggle("save-status--unsaved", !!unsaved);
    el.classList.remove("save-status--saved");
  }

  document.addEventListener("input", function (event) {
    var f = form(event.target);
    if (f) { f.dataset.dirty = "1"; }
  });

  // The texts a minute's form saves: what was said, and what is noted after the resolutions.
  function texts(f) {
    return ["narrative", "notes_after"].map(function (name) {
      var textarea = f.querySelector("textarea[name=" + name + "]");
      return textarea ? textarea.value : "";
    }).join("\u0000");
  }

  // Remember which text each request carries, so a save only clears what it really saved.
  document.addEventListener("htmx:configRequest", function (event) {
    var f = form(event.detail.elt);
    if (f && f === event.detail.elt) {
      var parameters = event.detail.parameters;
      f.dataset.sending = [parameters.narrative || "", parameters.notes_after || ""].join("\u0000");
    }
  });

  // A minute in conflict waits for the officer's choice; it does not keep posting.
  document.addEventListener("htmx:confirm", function (event) {
    var f = form(event.detail.elt);
    if (f && f === event.detail.elt && f.querySelector("[data-conflict]")) { event.preventDefault(); }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var f = form(event.detail.elt);
    if (!f || f !== event.detail.elt) { return; }
    var xhr = event.detail.xhr;
    if (event.detail.successful) {
      if (texts(f) === f.dataset.sending) { delete f.dataset.dirty; }
      return;
    }
    if (xhr && xhr.status === 409) {
      setStatus(f, "Not saved: someone else changed this minute. Choose below what to keep.", true);
    } else if (xhr && xhr.status >= 400) {
      setStatus(f, "Not saved: " + (xhr.responseText || "the server refused the change") + ". Your text is kept here.", true);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var f = form(event.detail.elt);
    if (!f) { return; }
    f.dataset.dirty = "1";
    setStatus(f, "Not saved: no connection. Your text is kept here and will be saved when the connection returns.", true);
  });

  // htmx sets up a swapped-in form a moment after it appears; text typed in that moment has
  // fired no trigger, so it is saved as soon as the form is ready.
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    var forms = elt.matches("[data-autosave]") ? [elt] : elt.querySelectorAll("[data-autosave]");
    forms.forEach(function (f) {
      var typed = Array.prototype.some.call(
        f.querySelectorAll("textarea[name=narrative], textarea[name=notes_after]"),
        function (textarea) { return textarea.value !== textarea.defaultValue; }
      );
      if (typed && window.htmx) {
        f.dataset.dirty = "1";
        htmx.trigger(f, "scrutiny:retry");
      }
    });
  });

  function retryAll() {
    document.querySelectorAll("[data-autosave][data-dirty]").forEach(function (f) {
      if (!f.querySelector("[data-conflict]") && window.htmx) { htmx.trigger(f, "scrutiny:retry"); }
    });
  }
  window.addEventListener("online", retryAll);
  window.setInterval(function () { if (navigator.onLine) { retryAll(); } }, RETRY_MS);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("[data-autosave][data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A conflict resolved: the minute's block comes back from the console on the next load.
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-resolve-conflict]")) {
      var f = form(event.target);
      if (f) { delete f.dataset.dirty; }
    }
  });
})();
