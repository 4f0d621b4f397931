// The Terms of Reference text as a small rich-text editor: headings, paragraphs, lists,
// emphasis and links (what the server keeps: experts.services.terms.sanitize). Without
// JavaScript the HTML textarea itself is the editor; with it, the textarea stays the field the
// form submits and follows every change.
(function () {
  "use strict";

  const prompts = {};
  const BUTTONS = [
    ["h2", "Heading", () => document.execCommand("formatBlock", false, "h2")],
    ["h3", "Subheading", () => document.execCommand("formatBlock", false, "h3")],
    ["p", "Paragraph", () => document.execCommand("formatBlock", false, "p")],
    ["bold", "Bold", () => document.execCommand("bold")],
    ["italic", "Italic", () => document.execCommand("italic")],
    ["ul", "Bulleted list", () => document.execCommand("insertUnorderedList")],
    ["ol", "Numbered list", () => document.execCommand("insertOrderedList")],
    ["link", "Link", () => {
      const address = window.prompt(prompts.link || "Link address (https://…)", "https://");
      if (address && /^(https?:|mailto:)/i.test(address.trim())) {
        document.execCommand("createLink", false, address.trim());
      }
    }],
  ];

  function label(textarea, key, fallback) {
    return textarea.dataset["label" + key.charAt(0).toUpperCase() + key.slice(1)] || fallback;
  }

  function enhance(textarea) {
    const labels = document.querySelector(`label[for="${textarea.id}"]`);
    const toolbar = document.createElement("div");
    toolbar.className = "btn-toolbar gap-1 mb-1 terms-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", textarea.dataset.labelToolbar || "Formatting");

    const editor = document.createElement("div");
    editor.className = "form-control terms-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (labels) {
      labels.id = labels.id || `${textarea.id}-label`;
      editor.setAttribute("aria-labelledby", labels.id);
    }
    const described = textarea.getAttribute("aria-describedby");
    if (described) editor.setAttribute("aria-describedby", described);
    editor.innerHTML = textarea.value;
    prompts.link = textarea.dataset.labelLinkPrompt;

    const sync = () => { textarea.value = editor.innerHTML; };
    for (const [key, fallback, run] of BUTTONS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = label(textarea, key, fallback);
      button.addEventListener("click", () => { editor.focus(); run(); sync(); });
      toolbar.appendChild(button);
    }
    const source = document.createElement("button");
    source.type = "button";
    source.className = "btn btn-sm btn-outline-secondary ms-auto";
    source.textContent = textarea.dataset.labelSource || "Edit as HTML";
    source.setAttribute("aria-pressed", "false");
    source.addEventListener("click", () => {
      const showSource = textarea.hidden;
      if (showSource) { sync(); } else { editor.innerHTML = textarea.value; }
      textarea.hidden = !showSource;
      editor.hidden = showSource;
      source.setAttribute("aria-pressed", String(showSource));
      for (const button of toolbar.querySelectorAll("button")) {
        if (button !== source) button.disabled = showSource;
      }
      (showSource ? textarea : editor).focus();
    });
    toolbar.appendChild(source);

    editor.addEventListener("input", sync);
    editor.addEventListener("focus", () => {
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    textarea.form.addEventListener("submit", () => { if (textarea.hidden) sync(); });
    textarea.hidden = true;
    textarea.before(toolbar);
    textarea.before(editor);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
  });
})();
