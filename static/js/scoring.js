// The scoring grid (cities/views/scoring.py): every cell is saved as it changes. Typing a
// score sets it and moves to the next cell; arrow keys and Enter move; Delete or Backspace
// clears. Each cell shows "saved" or its error, and the row's priority follows in place.
// Without this script the grid is a plain form with a save button.
(() => {
  const grid = document.querySelector("[data-scoring-grid]");
  if (!grid) return;
  const form = grid.closest("form");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = form.querySelector("[data-grid-status]");
  const max = Number(grid.dataset.max);
  // One save at a time, in the order typed: the last answer for a row holds its latest
  // priority, and the server is not asked to write two scores of one city at once.
  let queue = Promise.resolve();

  form.querySelector("[data-grid-save]")?.setAttribute("hidden", "");
  const cells = () => [...grid.querySelectorAll("[data-score-cell]")];

  function rowsAndColumns() {
    return [...grid.tBodies[0].rows].map((row) => [...row.querySelectorAll("[data-score-cell]")])
      .filter((row) => row.length);
  }

  function move(input, rowStep, columnStep) {
    const rows = rowsAndColumns();
    const r = rows.findIndex((row) => row.includes(input));
    const c = rows[r].indexOf(input);
    let target;
    if (columnStep) {
      // Left and right run on through the rows, as reading does.
      const all = cells();
      target = all[all.indexOf(input) + columnStep];
    } else {
      target = rows[r + rowStep]?.[c];
    }
    if (target) target.focus();
  }

  function show(input, state, message = "") {
    const cell = input.closest("td");
    cell.dataset.state = state;
    cell.querySelector(".cell-error").textContent = message;
    if (state === "error") input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function say(text) {
    status.textContent = text;
  }

  // What the cell is called: its city and its criterion (the headers naming it).
  function nameOf(input) {
    return input.getAttribute("aria-labelledby").split(" ")
      .map((id) => document.getElementById(id).firstChild.textContent.trim()).join(", ");
  }

  async function send(input) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append(input.name, input.value);
    let answer;
    try {
      const response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", headers: { "HX-Request": "true" },
      });
      answer = { ok: response.ok, data: await response.json() };
    } catch {
      answer = { ok: false, data: { error: grid.dataset.errorOffline } };
    }
    if (!answer.ok) {
      const message = answer.data.error || grid.dataset.errorOffline;
      show(input, "error", message);
      say(`${nameOf(input)}: ${message}`);
      return;
    }
    input.defaultValue = input.value;
    show(input, "saved");
    const row = input.closest("tr");
    const priority = answer.data.priorities[row.dataset.city];
    if (priority !== undefined) row.querySelector("[data-priority]").textContent = priority;
    say(`${grid.dataset.saved}: ${nameOf(input)}: ${input.value || "—"}`);
  }

  function save(input) {
    if (input.value === input.defaultValue) return;
    show(input, "saving");
    queue = queue.then(() => send(input));
  }

  grid.addEventListener("focusin", (event) => {
    if (event.target.matches("[data-score-cell]")) event.target.select();
  });

  grid.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches("[data-score-cell]") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (/^\d$/.test(key)) {
      event.preventDefault();
      if (Number(key) > max) {
        show(input, "error", grid.dataset.errorRange);
        say(grid.dataset.errorRange);
        return;
      }
      input.value = key;
      save(input);
      move(input, 0, 1);
    } else if (key === "Backspace" || key === "Delete") {
      event.preventDefault();
      input.value = "";
      save(input);
    } else if (key === "ArrowRight" || key === "ArrowLeft") {
      event.preventDefault();
      move(input, 0, key === "ArrowRight" ? 1 : -1);
    } else if (key === "ArrowDown" || key === "ArrowUp" || key === "Enter") {
      event.preventDefault();
      move(input, key === "ArrowUp" ? -1 : 1, 0);
    } else if (key.length === 1) {
      event.preventDefault();  // a letter is no score
      show(input, "error", grid.dataset.errorRange);
    }
  });

  // Typed some other way (a phone's keyboard, pasting): saved when it is a score.
  grid.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("[data-score-cell]")) return;
    const value = input.value.trim();
    if (value === "" || (/^\d$/.test(value) && Number(value) <= max)) save(input);
    else show(input, "error", grid.dataset.errorRange);
  });
})();
