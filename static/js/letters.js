// The letter page. Everything here only saves round trips or keeps the place: the page works
// without it (forms post and redirect back) and the server checks everything again.
(function () {
  "use strict";

  // The live character counter. It counts code points with line breaks as one character, as
  // the server does (Python's len() after CRLF -> LF).
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function limitOf(input) {
    var limit = input ? parseInt(input.value, 10) : NaN;
    return limit > 0 ? limit : null;
  }

  function attachCounter(output) {
    var field = document.getElementById(output.dataset.countFor);
    var limitInput = document.getElementById(output.dataset.limitFor);
    var status = document.getElementById(output.dataset.statusId);
    var announce = null;
    if (!field || output.dataset.counting) return;
    output.dataset.counting = "1";

    function update() {
      var count = Array.from(field.value.replace(/\r\n/g, "\n")).length;
      var limit = limitOf(limitInput);
      var over = limit !== null && count > limit;
      var template = limit === null ? output.dataset.formatNoLimit
        : over ? output.dataset.formatOver : output.dataset.formatWithin;
      var text = format(template, { count: count, limit: limit, over: over ? count - limit : 0 });
      output.textContent = text;
      output.classList.toggle("over-limit", over);
      field.setAttribute("aria-invalid", over ? "true" : "false");
      // Screen readers hear the count once typing pauses, not on every key.
      if (status) {
        clearTimeout(announce);
        announce = setTimeout(function () { status.textContent = text; }, 1000);
      }
    }

    field.addEventListener("input", update);
    if (limitInput) limitInput.addEventListener("input", update);
    update();
  }

  function init(root) {
    root.querySelectorAll("[data-count-for]").forEach(attachCounter);
  }

  init(document);
  // htmx swaps the page's content in after each action: the new counter needs its listeners.
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });

  // A refused action or an invalid form answers 422 with the page and the reason: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422 && event.detail.target.id === "letter-page") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The outcome of an action (outreach.views.letters._back) as a toast that is read out.
  document.addEventListener("letterNotice", function (event) {
    window.portal.announce(event.detail.text, event.detail.tone);
  });

  // The button that was pressed is gone after the swap: keep the keyboard in the page, on the
  // first field with an error, else on the heading of the step that comes next.
  document.addEventListener("htmx:afterSettle", function (event) {
    var page = document.getElementById("letter-page");
    // An outerHTML swap reports the element it replaced: match it by its id.
    if (!page || !event.detail.target || event.detail.target.id !== "letter-page") return;
    var target = page.querySelector("[aria-invalid=true], .is-invalid")
      || page.querySelector("[aria-current=step] a") || page.querySelector("h1");
    if (target.tagName === "H1") target.setAttribute("tabindex", "-1");
    target.focus();
  });

  // The PDF is drawn when its preview is opened, not with every page load.
  document.addEventListener("toggle", function (event) {
    var preview = event.target;
    if (!preview.matches || !preview.matches("details[data-pdf-preview]") || !preview.open) return;
    var frame = preview.querySelector("iframe[data-src]");
    if (frame && !frame.getAttribute("src")) frame.setAttribute("src", frame.dataset.src);
  }, true);
})();
