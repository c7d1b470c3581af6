// Scrutiny's small enhancements. The pages work without it.
(function () {
  "use strict";

  // Move focus to an error summary when a page (or an htmx swap) shows one.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });
})();
