// The city table: "select all" ticks every row of the page; the bulk panel waits for a
// ticked city and shows only the fields of the chosen action. Without JavaScript "select
// all" stays hidden and the whole panel shows (each action reads only its own fields).
(() => {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const all = document.getElementById("select-all");
  const panel = form.querySelector(".bulk-panel");
  const hint = form.querySelector(".bulk-hint");
  const action = document.getElementById("bulk_action");
  const boxes = () => [...form.querySelectorAll("input[name=cities]")];

  function showPanel() {
    const ticked = boxes().some((box) => box.checked);
    panel.hidden = !ticked;
    hint.hidden = ticked;
  }

  function showChosenFields() {
    form.querySelectorAll("[data-bulk-action]").forEach((field) => {
      field.hidden = field.dataset.bulkAction !== action.value;
    });
  }

  all.hidden = false;
  all.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = all.checked; });
  });
  form.addEventListener("change", showPanel);
  action.addEventListener("change", showChosenFields);
  showChosenFields();
  showPanel();
})();
