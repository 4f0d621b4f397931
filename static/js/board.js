// The board by stage: drag a card onto a column to move the city. Every card also has a
// small form that does the same from the keyboard and without JavaScript; the server
// decides either way, and a refused move leaves the board as it was, with the reason
// shown in the live region above the board.
(() => {
  let dragged = null;

  const columnAt = (event) => event.target.closest?.(".board-column");

  const clearTargets = () => document.querySelectorAll(".board-column.is-drop-target")
    .forEach((column) => column.classList.remove("is-drop-target"));

  const cityName = (card) => card.querySelector(".card-title").textContent;

  function move(card, stage, note) {
    // Posts where the card's own form posts (htmx adds the CSRF header: static/js/portal.js).
    htmx.ajax("POST", card.querySelector("form.move-form").action, {
      source: card, target: "#board", swap: "outerHTML", values: { to: stage, note },
    });
  }

  function askReason(card, column) {
    const dialog = document.getElementById("reason-dialog");
    const note = document.getElementById("reason-note");
    document.getElementById("reason-question").textContent = dialog.dataset.question
      .replace("{city}", cityName(card)).replace("{stage}", column.dataset.stageLabel);
    note.value = "";
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "move") move(card, column.dataset.stage, note.value);
      else card.focus();
    }, { once: true });
    dialog.showModal();
  }

  document.addEventListener("dragstart", (event) => {
    dragged = event.target.closest?.(".board-card[draggable=true]");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", cityName(dragged));
    dragged.classList.add("is-dragging");
  });

  document.addEventListener("dragend", () => {
    dragged?.classList.remove("is-dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", (event) => {
    const column = columnAt(event);
    if (!dragged || !column) return;
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = "move";
    clearTargets();
    column.classList.add("is-drop-target");
  });

  document.addEventListener("drop", (event) => {
    const column = columnAt(event);
    if (!dragged || !column) return;
    event.preventDefault();
    const card = dragged;
    clearTargets();
    if (card.closest(".board-column") === column) return;
    if ("needsReason" in column.dataset) askReason(card, column);
    else move(card, column.dataset.stage, "");
  });

  // A refused move answers 422 with the unchanged board and the reason: show both.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The board was replaced: give focus back to the card that moved (or stayed).
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target.id !== "board" || !event.target.dataset.moved) return;
    document.getElementById(`card-${event.target.dataset.moved}`)?.focus();
  });
})();
