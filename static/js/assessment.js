// The answering page of an assessment (assessments/views/answering.py): every answer is saved
// as it is typed (after a pause; a choice at once), naming the revision it started from. The
// server refuses a save over a newer revision (someone else saved in between): the question
// then shows who changed it, when and what they wrote, with "keep mine" / "use theirs".
// What is typed is kept in localStorage until the server has it, so a closed tab, a link
// followed or a dropped connection loses nothing; failed saves retry with a growing pause.
// Questions and sections with a rule (data-shown-if, data-operator, data-value) show and hide
// as the answers change, as assessments/conditions.py decides on the server.
// Without this script each section is a form with a Save button.
(() => {
  const texts = document.querySelector("[data-assessment-texts]");
  if (!texts) return;
  const t = texts.dataset;
  const prefix = t.answerPrefix;
  const storeKey = (id) => `assessment:${t.assessment}:${id}`;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const DEBOUNCE = 800;
  const RETRY_MAX = 60000;
  const questions = new Map();

  document.querySelectorAll("[data-no-js-save]").forEach((button) => button.setAttribute("hidden", ""));
  document.querySelectorAll("[data-clear-choice]").forEach((button) => button.removeAttribute("hidden"));

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_m, name) => values[name] ?? "");
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // -- one question ----------------------------------------------------------------------------

  function fieldsOf(box) {
    const id = box.dataset.question;
    const named = (name) => box.querySelector(`[name="q${id}-${name}"]`);
    return {
      radios: [...box.querySelectorAll(`input[type=radio][name="q${id}-choice"]`)],
      number: named("number"),
      text: named("text"),
      url: named("evidence_url"),
      file: named("evidence_file"),
    };
  }

  function valueOf(state) {
    const f = state.fields;
    const value = {};
    if (f.radios.length) value.choice = f.radios.find((r) => r.checked)?.value || "";
    if (f.number) value.number = f.number.value;
    if (f.text) value.text = f.text.value;
    if (f.url) value.evidence_url = f.url.value;
    return value;
  }

  function setValue(state, value) {
    const f = state.fields;
    f.radios.forEach((radio) => { radio.checked = radio.value === (value.choice || ""); });
    if (f.number) f.number.value = value.number || "";
    if (f.text) f.text.value = value.text || "";
    if (f.url) f.url.value = value.evidence_url || "";
  }

  // What a rule compares: the choice, else the number, else the text (conditions.answer_value).
  function ruleValue(state) {
    const value = valueOf(state);
    if (value.choice) return value.choice;
    if (value.number !== undefined && value.number.trim() !== "") {
      const n = Number(value.number.trim().replace(/,/g, ""));
      return Number.isFinite(n) ? String(n) : value.number.trim();
    }
    return (value.text || "").trim();
  }

  function status(state, kind, text) {
    state.status.dataset.state = kind;
    state.status.textContent = text;
  }

  function remember(state) {
    try {
      localStorage.setItem(storeKey(state.id), JSON.stringify(
        { value: valueOf(state), revision: state.revision, at: Date.now() }));
    } catch (_error) { /* storage full or blocked: the save itself still runs */ }
  }

  function forget(state) {
    try { localStorage.removeItem(storeKey(state.id)); } catch (_error) { /* as above */ }
  }

  function changed(state, { now = false } = {}) {
    state.dirty = true;
    remember(state);
    status(state, "pending", t.unsaved);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => save(state), now ? 0 : DEBOUNCE);
    applyRules();
  }

  async function save(state, { file = null, removeFile = false } = {}) {
    clearTimeout(state.timer);
    if (state.saving) {
      state.again = true;
      return;
    }
    state.saving = true;
    state.dirty = false;
    status(state, "saving", t.saving);
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("revision", state.revision);
    for (const [name, value] of Object.entries(valueOf(state))) body.append(name, value);
    if (file) body.append("evidence_file", file);
    if (removeFile) body.append("remove_file", "1");
    let response;
    try {
      response = await fetch(`${prefix}${state.id}/`, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
    } catch (_error) {
      return failed(state, t.offline, file);
    }
    let data = {};
    try { data = await response.json(); } catch (_error) { /* an error page: handled below */ }
    state.saving = false;
    if (response.ok) {
      state.revision = data.revision;
      state.retry = 0;
      state.box.dataset.revision = data.revision;
      state.conflict.hidden = true;
      if (file && state.fields.file) state.fields.file.value = "";
      if (data.evidence_name !== undefined) showFile(state, data.evidence_name);
      if (!state.dirty) forget(state);
      status(state, "saved", format(t.saved, { time: time(data.saved_at) }));
      if (data.progress) progress(data.progress);
    } else if (response.status === 409 && data.conflict) {
      state.conflicted = true;
      showConflict(state, data);
    } else if (response.status === 400 || response.status === 403 || response.status === 404) {
      status(state, "error", data.error || t.unsaved);
    } else {
      return failed(state, t.retrying, file);
    }
    if (state.again || state.dirty) {
      state.again = false;
      if (state.dirty) save(state);
    }
  }

  function failed(state, text, file) {
    state.saving = false;
    state.dirty = true;
    status(state, "error", text);
    state.retry = Math.min((state.retry || 1000) * 2, RETRY_MAX);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => save(state, { file }), state.retry);
  }

  function showFile(state, name) {
    const line = state.box.querySelector("[data-evidence-name]");
    if (!line) return;
    line.textContent = name || "";
  }

  function showConflict(state, theirs) {
    const box = state.conflict;
    box.replaceChildren();
    const said = document.createElement("p");
    said.className = "mb-1";
    said.textContent = format(t.conflict, { who: theirs.answered_by, time: time(theirs.saved_at) });
    const label = document.createElement("p");
    label.className = "mb-1 small";
    label.textContent = t.theirsLabel;
    const value = document.createElement("p");
    value.className = "theirs mb-2";
    const shown = Object.entries(theirs.value || {}).filter(([, v]) => v).map(([name, v]) => {
      if (name === "choice") {
        const radio = state.fields.radios.find((r) => r.value === v);
        return radio ? radio.labels[0].textContent : v;
      }
      return v;
    });
    value.textContent = shown.length ? shown.join("\n") : t.empty;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-primary btn-sm me-2";
    keep.textContent = t.keep;
    keep.addEventListener("click", () => {
      state.revision = theirs.revision;
      state.conflicted = false;
      box.hidden = true;
      save(state);
    });
    const use = document.createElement("button");
    use.type = "button";
    use.className = "btn btn-outline-secondary btn-sm";
    use.textContent = t.use;
    use.addEventListener("click", () => {
      state.revision = theirs.revision;
      state.conflicted = false;
      state.dirty = false;
      setValue(state, theirs.value || {});
      forget(state);
      box.hidden = true;
      status(state, "saved", format(t.saved, { time: time(theirs.saved_at) }));
      applyRules();
    });
    box.append(said, label, value, keep, use);
    box.hidden = false;
    status(state, "error", said.textContent);
    keep.focus();
  }

  function progress(data) {
    const answered = document.querySelector("[data-progress-answered]");
    const required = document.querySelector("[data-progress-required]");
    const bar = document.getElementById("assessment-progress");
    if (answered) answered.textContent = data.answered;
    if (required) required.textContent = data.required;
    if (bar) {
      bar.max = Math.max(data.required, 1);
      bar.value = data.answered;
      bar.textContent = `${data.percent}%`;
    }
  }

  // -- rules -----------------------------------------------------------------------------------

  function matches(element, value) {
    const operator = element.dataset.operator;
    const wanted = element.dataset.value;
    if (operator === "equals") return value === wanted;
    if (operator === "not_equals") return value !== "" && value !== wanted;
    const given = value === "" ? NaN : Number(value);
    const limit = Number(wanted);
    if (!Number.isFinite(given) || !Number.isFinite(limit)) return false;
    return operator === "at_least" ? given >= limit : given <= limit;
  }

  function isShown(element, seen) {
    const source = element.dataset.shownIf;
    if (!source) return true;
    // A rule on a question this person does not see (another colleague's section): the
    // server's decision when the page was drawn stands.
    if (!(source in seen)) return element.dataset.initiallyShown === "1";
    return matches(element, seen[source]);
  }

  function applyRules() {
    const seen = {};
    document.querySelectorAll("[data-section]").forEach((section) => {
      const sectionShown = isShown(section, seen);
      let any = false;
      section.querySelectorAll(".question[data-question]").forEach((box) => {
        const state = questions.get(box.dataset.question);
        const show = sectionShown && isShown(box, seen);
        box.hidden = !show;
        any = any || show;
        seen[box.dataset.question] = show && state ? ruleValue(state) : "";
      });
      section.hidden = !any;
      const link = document.querySelector(`[data-section-link="${section.dataset.section}"]`);
      if (link) link.hidden = !any;
    });
  }

  // -- wiring ----------------------------------------------------------------------------------

  document.querySelectorAll("[data-shown-if]").forEach((element) => {
    element.dataset.initiallyShown = element.hidden ? "" : "1";
  });

  document.querySelectorAll(".question[data-question]").forEach((box) => {
    const state = {
      id: box.dataset.question, box, revision: Number(box.dataset.revision || 0),
      fields: fieldsOf(box), status: box.querySelector("[data-status]"),
      conflict: box.querySelector("[data-conflict]"), dirty: false, saving: false, retry: 0,
    };
    if (!state.status || box.querySelector("fieldset[disabled]")) return;
    questions.set(state.id, state);
    const f = state.fields;
    f.radios.forEach((radio) => radio.addEventListener("change", () => changed(state, { now: true })));
    [f.number, f.text, f.url].filter(Boolean).forEach((input) => {
      input.addEventListener("input", () => changed(state));
      input.addEventListener("blur", () => { if (state.dirty) save(state); });
    });
    if (f.file) {
      f.file.addEventListener("change", () => {
        const file = f.file.files[0];
        if (file) save(state, { file });
      });
    }
    box.querySelector("[data-clear-choice]")?.addEventListener("click", () => {
      f.radios.forEach((radio) => { radio.checked = false; });
      changed(state, { now: true });
    });
    // What was typed here before and never reached the server comes back, and is sent.
    let kept = null;
    try { kept = JSON.parse(localStorage.getItem(storeKey(state.id)) || "null"); } catch (_error) { kept = null; }
    if (kept && JSON.stringify(kept.value) !== JSON.stringify(valueOf(state))) {
      setValue(state, kept.value);
      state.revision = Math.min(state.revision, kept.revision);
      state.dirty = true;
      status(state, "pending", t.restored);
      state.timer = setTimeout(() => save(state), DEBOUNCE);
    } else if (kept) {
      forget(state);
    }
  });

  applyRules();

  window.addEventListener("online", () => {
    questions.forEach((state) => { if (state.dirty && !state.saving) save(state); });
  });

  // Submitting waits for the answers still being saved; a conflict stops it for the person
  // to choose.
  document.querySelector("[data-submit-form]")?.addEventListener("submit", (event) => {
    const busy = () => [...questions.values()].filter((state) => state.dirty || state.saving);
    if (!busy().length) return;
    event.preventDefault();
    busy().forEach((state) => { if (!state.saving) save(state); });
    const form = event.target;
    const wait = () => {
      if ([...questions.values()].some((state) => state.conflicted)) return;
      if (busy().length) setTimeout(wait, 200);
      else form.submit();
    };
    wait();
  });

  window.addEventListener("beforeunload", (event) => {
    const unsaved = [...questions.values()].some(
      (state) => state.dirty || state.saving || state.conflicted);
    if (unsaved) {
      event.preventDefault();
      event.returnValue = t.leave;
    }
  });
})();
