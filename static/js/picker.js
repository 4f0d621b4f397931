// Searchable pickers (alliance/pickers.py): typing asks the server for the matching rows,
// arrow keys and Enter (or a click) choose one, and its id goes into the hidden input.
// Listeners are on the document, so pickers that htmx swaps in work too; the guard keeps
// a page with several pickers (each includes this file) from binding twice.
(() => {
  if (window.portalPickers) return;
  window.portalPickers = true;

  const DELAY_MS = 150;
  const timers = new WeakMap();

  const parts = (picker) => ({
    text: picker.querySelector("[data-picker-text]"),
    value: picker.querySelector("[data-picker-value]"),
    list: picker.querySelector("[role=listbox]"),
  });
  const choices = (list) => [...list.querySelectorAll("[role=option][data-value]")];

  function enable(picker) {
    // Only now is the id sent: without this script the typed name is what counts.
    parts(picker).value.disabled = false;
  }
  document.querySelectorAll(".picker").forEach(enable);
  document.addEventListener("htmx:load", (event) =>
    event.target.querySelectorAll?.(".picker").forEach(enable));

  function show(picker, open) {
    const { text, list } = parts(picker);
    list.hidden = !open;
    text.setAttribute("aria-expanded", String(open));
    if (!open) text.removeAttribute("aria-activedescendant");
  }

  async function search(picker) {
    const { text, list } = parts(picker);
    const url = new URL(picker.dataset.pickerSource, window.location.href);
    url.searchParams.set("q", text.value);
    if (picker.dataset.pickerExclude) url.searchParams.set("exclude", picker.dataset.pickerExclude);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok || document.activeElement !== text) return;
    list.innerHTML = await response.text();
    list.querySelectorAll("[role=option]").forEach((option, i) => { option.id = `${list.id}-${i}`; });
    show(picker, true);
  }

  function highlight(picker, option) {
    const { text, list } = parts(picker);
    list.querySelectorAll("[aria-selected=true]").forEach((o) => o.setAttribute("aria-selected", "false"));
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({ block: "nearest" });
    text.setAttribute("aria-activedescendant", option.id);
  }

  function choose(picker, option) {
    const { text, value } = parts(picker);
    value.value = option.dataset.value;
    text.value = option.dataset.label;
    show(picker, false);
    text.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("input", (event) => {
    const picker = event.target.closest?.("[data-picker-text]") && event.target.closest(".picker");
    if (!picker) return;
    parts(picker).value.value = "";  // typed over the choice: nothing chosen until one is
    clearTimeout(timers.get(picker));
    timers.set(picker, setTimeout(() => search(picker), DELAY_MS));
  });

  document.addEventListener("focusin", (event) => {
    const picker = event.target.matches?.("[data-picker-text]") && event.target.closest(".picker");
    if (picker && !parts(picker).value.value) search(picker);
  });

  document.addEventListener("keydown", (event) => {
    const picker = event.target.matches?.("[data-picker-text]") && event.target.closest(".picker");
    if (!picker) return;
    const { text, list } = parts(picker);
    const options = choices(list);
    const current = options.findIndex((o) => o.id === text.getAttribute("aria-activedescendant"));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { search(picker); return; }
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (options.length) highlight(picker, options[(current + step + options.length) % options.length]);
    } else if (event.key === "Enter" && !list.hidden && current >= 0) {
      event.preventDefault();  // chooses, rather than sending the form
      choose(picker, options[current]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      show(picker, false);
    }
  });

  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest?.(".picker [role=option][data-value]");
    if (option) {
      event.preventDefault();  // keeps focus in the text box
      choose(option.closest(".picker"), option);
    }
  });

  document.addEventListener("focusout", (event) => {
    const picker = event.target.matches?.("[data-picker-text]") && event.target.closest(".picker");
    if (picker) show(picker, false);
  });
})();
