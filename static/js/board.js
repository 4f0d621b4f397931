// The board by stage (cities/views/board.py). A card moves by drag and drop, by the arrow
// keys on its name (Left/Right: the nearest column its stage may move to that way; Up/Down:
// the next card) or from its menu, one shared dialog listing the stages its column allows.
// Moves that need a reason ask for it in the same dialog. The server decides: its answer
// replaces the two columns that changed and says what happened, in the live region and
// next to the card; a refused move changes no column. Without JavaScript the card's menu is
// hidden and the city's own page moves it.
(() => {
  const board = document.getElementById("board");
  const dialog = document.getElementById("move-dialog");
  const news = document.getElementById("board-message");
  if (!board || !dialog) return;
  board.classList.add("is-live");  // shows the card menus (cities.css)

  const note = document.getElementById("move-note");
  const question = document.getElementById("move-question");
  const targets = document.getElementById("move-targets");

  const columns = () => [...board.querySelectorAll(".board-column")];
  const columnOf = (element) => element.closest(".board-column");
  const columnFor = (stage) => board.querySelector(`.board-column[data-stage="${stage}"]`);
  const cardOf = (element) => element.closest?.(".board-card");
  const nameOf = (card) => card.querySelector(".card-title").textContent;
  const movesOf = (column) => column.dataset.moves.split(" ").filter(Boolean);
  const needsReason = (column) => "needsReason" in column.dataset;

  // -- Telling what happened ------------------------------------------------------------

  function tell(card, text, refused) {
    news.textContent = text;
    card.querySelector(".card-note")?.remove();
    const line = document.createElement("p");
    line.className = `card-note ${refused ? "is-refused" : "is-done"}`;
    line.textContent = text;
    card.append(line);
  }

  function move(card, stage, reason) {
    const id = card.id;
    htmx.ajax("POST", `${board.dataset.moveUrl}${id.replace("card-", "")}/`, {
      source: card, target: "#board", swap: "none", values: { to: stage, note: reason },
    }).then(() => {
      // The card is in its new column now, or where it was when the move was refused.
      const moved = document.getElementById(id);
      const answer = news.querySelector("p");
      if (!moved || !answer) return;
      tell(moved, answer.textContent, "refused" in answer.dataset);
      moved.querySelector(".card-title").focus();
    });
  }

  // A refused move answers 422 with the reason (and no columns): let htmx take it in.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 422 && board.contains(event.detail.elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function requestMove(card, column) {
    if (needsReason(column)) ask(card, column.dataset.stage);
    else move(card, column.dataset.stage, "");
  }

  // -- The move dialog ------------------------------------------------------------------

  let asking = null;  // the card the dialog is about

  function choices(column, chosen) {
    targets.replaceChildren(...movesOf(column).map((stage) => {
      const option = document.createElement("div");
      option.className = "form-check";
      const input = document.createElement("input");
      Object.assign(input, { type: "radio", name: "move-to", value: stage, required: true,
                             id: `move-to-${stage}`, className: "form-check-input",
                             checked: stage === chosen });
      const label = document.createElement("label");
      Object.assign(label, { htmlFor: input.id, className: "form-check-label",
                             textContent: columnFor(stage).dataset.stageLabel });
      option.append(input, label);
      return option;
    }));
  }

  function chosenColumn() {
    const stage = targets.querySelector("input:checked")?.value;
    return stage ? columnFor(stage) : null;
  }

  function askReasonIfNeeded() {
    const column = chosenColumn();
    note.required = Boolean(column && needsReason(column));
    question.textContent = note.required
      ? dialog.dataset.question.replace("{city}", nameOf(asking))
        .replace("{stage}", column.dataset.stageLabel)
      : dialog.dataset.hint;
  }

  function ask(card, chosen = "") {
    asking = card;
    document.getElementById("move-title").textContent =
      dialog.dataset.title.replace("{city}", nameOf(card));
    choices(columnOf(card), chosen);
    note.value = "";
    askReasonIfNeeded();
    dialog.returnValue = "";
    dialog.showModal();
    (chosen ? note : targets.querySelector("input"))?.focus();
  }

  targets.addEventListener("change", askReasonIfNeeded);

  dialog.addEventListener("close", () => {
    const column = chosenColumn();
    if (dialog.returnValue === "move" && column) move(asking, column.dataset.stage, note.value);
    else asking.querySelector(".card-title").focus();
  });

  board.addEventListener("click", (event) => {
    const menu = event.target.closest(".card-menu");
    if (menu) ask(cardOf(menu));
  });

  // -- The keyboard ---------------------------------------------------------------------

  function nextCard(card, step) {
    const cards = [...columnOf(card).querySelectorAll(".board-card")];
    return cards[cards.indexOf(card) + step];
  }

  function nextColumn(card, step) {
    const all = columns();
    const here = all.indexOf(columnOf(card));
    const allowed = movesOf(columnOf(card));
    const way = step > 0 ? all.slice(here + 1) : all.slice(0, here).reverse();
    return way.find((column) => allowed.includes(column.dataset.stage));
  }

  board.addEventListener("keydown", (event) => {
    const card = event.target.matches(".card-title") && cardOf(event.target);
    if (!card || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      nextCard(card, event.key === "ArrowDown" ? 1 : -1)?.querySelector(".card-title").focus();
    } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && card.draggable) {
      event.preventDefault();
      const step = event.key === "ArrowRight" ? 1 : -1;
      const column = nextColumn(card, step);
      if (column) requestMove(card, column);
      else tell(card, board.dataset[step > 0 ? "noneRight" : "noneLeft"]
        .replace("{city}", nameOf(card)), true);
    }
  });

  // -- Drag and drop --------------------------------------------------------------------

  let dragged = null;
  const placeholder = document.createElement("li");
  placeholder.className = "board-drop-placeholder";
  placeholder.setAttribute("aria-hidden", "true");

  function clearDrop() {
    placeholder.remove();
    columns().forEach((column) => column.classList.remove("is-drop-target", "is-drop-refused"));
  }

  function showDrop(column) {
    // An allowed column shows where the card will go; any other one is marked as refusing
    // (a drop there is still sent, and the server says which moves the stage allows).
    const allowed = movesOf(columnOf(dragged)).includes(column.dataset.stage);
    columns().forEach((each) => {
      each.classList.toggle("is-drop-target", each === column && allowed);
      each.classList.toggle("is-drop-refused", each === column && !allowed);
    });
    const list = column.querySelector(".board-cards");
    if (!allowed) placeholder.remove();
    else if (placeholder.parentElement !== list) list.prepend(placeholder);
  }

  board.addEventListener("dragstart", (event) => {
    dragged = cardOf(event.target);
    if (!dragged?.draggable) {
      dragged = null;
      return;
    }
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", nameOf(dragged));
    dragged.classList.add("is-dragging");
  });

  // Held near the board's left or right edge, a dragged card scrolls the columns along.
  const EDGE_PX = 48;
  const STEP_PX = 24;
  function scrollAlong(event) {
    const { left, right } = board.getBoundingClientRect();
    if (event.clientX > right - EDGE_PX) board.scrollLeft += STEP_PX;
    else if (event.clientX < left + EDGE_PX) board.scrollLeft -= STEP_PX;
  }

  board.addEventListener("dragover", (event) => {
    if (dragged) scrollAlong(event);
    const column = dragged && columnOf(event.target);
    if (!column || column === columnOf(dragged)) {
      clearDrop();
      return;
    }
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = "move";
    showDrop(column);
  });

  board.addEventListener("dragend", () => {
    dragged?.classList.remove("is-dragging");
    dragged = null;
    clearDrop();
  });

  board.addEventListener("drop", (event) => {
    const column = dragged && columnOf(event.target);
    if (!column) return;
    event.preventDefault();
    const card = dragged;
    clearDrop();
    if (column !== columnOf(card)) requestMove(card, column);
  });

  // -- Show more ------------------------------------------------------------------------

  // "Show more" swaps itself for the next cards: focus the first of them, and drop a card
  // shown twice (a card just moved shows in its column even when it ranks further down).
  let showing = null;  // the column asking for more, and the cards it showed before
  board.addEventListener("htmx:beforeRequest", (event) => {
    const list = event.detail.elt.closest?.(".board-more")?.parentElement;
    if (list) {
      showing = { list, before: new Set([...list.querySelectorAll(".board-card")].map((c) => c.id)) };
    }
  });

  document.addEventListener("htmx:afterSettle", () => {
    if (!showing) return;
    const { list, before } = showing;
    showing = null;
    const seen = new Set();
    [...list.querySelectorAll(".board-card")].reverse().forEach((card) => {
      if (seen.has(card.id)) card.remove();
      else seen.add(card.id);
    });
    [...list.querySelectorAll(".board-card")].find((card) => !before.has(card.id))
      ?.querySelector(".card-title").focus();
  });
})();
