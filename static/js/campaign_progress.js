// The campaign's progress page. The page works without it: the reminder buttons post and
// the page comes back with a message; the launch's progress has a refresh link.
(function () {
  "use strict";

  // The outcome of a one-click reminder (assessments.views.campaigns.assessment_remind) as a
  // toast that screen readers read.
  document.addEventListener("campaignNotice", function (event) {
    window.portal.announce(event.detail.text, event.detail.tone);
  });

  // The row swapped in keeps the keyboard where it was: on its button, else its city's link.
  document.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.id || row.id.indexOf("assessment-") !== 0) return;
    var fresh = document.getElementById(row.id);
    var target = fresh && (fresh.querySelector("button") || fresh.querySelector("a"));
    if (target) target.focus();
  });
})();
