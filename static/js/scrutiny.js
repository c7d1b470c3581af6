// Scrutiny's small enhancements. Every page works without them.
(function () {
  "use strict";

  // Move focus to an error summary when a page (or an htmx swap) shows one.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });

  // After an htmx change the server names the control that should keep the keyboard focus
  // (HX-Trigger-After-Settle: {"scrutiny:focus": {"id": …}}). A disabled one (an item moved to
  // the top can't move up) hands the focus to the next button beside it.
  document.body.addEventListener("scrutiny:focus", function (event) {
    var element = document.getElementById(event.detail.id);
    if (!element) { return; }
    if (element.disabled) {
      var buttons = element.parentElement.querySelectorAll("button:not([disabled])");
      element = buttons.length ? buttons[0] : element;
    }
    element.focus();
  });

  // "Go to the minute of": to the minute chosen without reloading the page (which could lose
  // text still to be saved); the minute takes the focus, so Tab goes on inside it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-jump]")) { return; }
    var target = document.getElementById(form.elements.go.value);
    if (!target) { return; }
    event.preventDefault();
    history.replaceState(null, "", "#" + target.id);
    target.focus();
    target.scrollIntoView();
  });

  // "Considered at": choosing a meeting brings its items into the item select, as the
  // "Choose meeting" button does without JavaScript by sending the form back. With
  // JavaScript the button goes, so that Enter in the form's other fields submits the form.
  document.addEventListener("htmx:load", function (event) {
    event.target.querySelectorAll("[data-choose-meeting]").forEach(function (button) {
      button.type = "button";
      button.hidden = true;
    });
  });
  document.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest(".meeting-item__meeting");
    if (!group || !window.htmx) { return; }
    var button = group.querySelector("[data-choose-meeting]");
    var target = "#" + button.getAttribute("data-choose-meeting");
    var values = {};
    values[button.name] = button.value;
    htmx.ajax("POST", button.form.getAttribute("action") || window.location.href, {
      source: button.form, values: values, target: target, select: target, swap: "outerHTML"
    });
  });

  // Drag and drop to reorder a list ([data-sortable] inside a [data-sortable-form]). The
  // move-up and move-down buttons do the same without a mouse (WCAG 2.5.7).
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-sortable] > li");
    if (!item) { return; }
    dragged = item;
    item.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var over = event.target.closest && event.target.closest("[data-sortable] > li");
    if (!over || over === dragged || over.parentElement !== dragged.parentElement) { return; }
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });
  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    dragged.classList.remove("is-dragging");
    var form = dragged.closest("[data-sortable-form]");
    dragged = null;
    if (form && window.htmx) { htmx.trigger(form, "reorder"); }
  });
})();
