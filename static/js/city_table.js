// The city table: "select all" ticks every row of the page. Without JavaScript it stays
// hidden and rows are ticked one by one.
(() => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.closest(".select-all").hidden = false;
  all.addEventListener("change", () => {
    document.querySelectorAll("input[name=cities]").forEach((box) => {
      box.checked = all.checked;
    });
  });
})();
