// The letter editor's live character counter. The server renders the same count and refuses
// to send an over-long letter; this only saves a round trip. It counts code points with
// line breaks as one character, as the server does (Python's len() after CRLF -> LF).
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function limitOf(input) {
    var limit = input ? parseInt(input.value, 10) : NaN;
    return limit > 0 ? limit : null;
  }

  function attach(output) {
    var field = document.getElementById(output.dataset.countFor);
    var limitInput = document.getElementById(output.dataset.limitFor);
    var status = document.getElementById(output.dataset.statusId);
    var announce = null;
    if (!field) return;

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

  document.querySelectorAll("[data-count-for]").forEach(attach);
})();
