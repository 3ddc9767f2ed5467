// Small behaviours of the shell; everything else is htmx.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", () => {
      const open = sidebar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // "/" focuses the global search, as in most web applications.
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (event.key === "/" && !typing) {
      const search = document.getElementById("global-search-input");
      if (search) { event.preventDefault(); search.focus(); }
    }
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach((details) => details.removeAttribute("open"));
      const results = document.getElementById("global-search-results");
      if (results) results.innerHTML = "";
    }
  });
});

// Global search (area: search). The header's search box is a combobox: the results arrive as you
// type (htmx), the first one is chosen, arrow keys choose another and Enter opens it. Until new
// results arrive nothing is chosen, so Enter opens the full search page.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("global-search-input");
  if (!input) return;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  const popup = () => document.getElementById("global-search-results");
  const options = () => Array.from(document.querySelectorAll("#global-search-results [role=option]"));
  let active = -1;
  const choose = (index) => {
    const all = options();
    active = all.length ? index : -1;
    all.forEach((option, position) => {
      const chosen = position === active;
      option.classList.toggle("active", chosen);
      option.setAttribute("aria-selected", String(chosen));
      if (chosen) option.scrollIntoView({ block: "nearest" });
    });
    if (active >= 0) input.setAttribute("aria-activedescendant", all[active].id);
    else input.removeAttribute("aria-activedescendant");
  };
  const close = () => {
    const results = popup();
    if (results) results.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    choose(-1);
  };
  input.addEventListener("input", () => choose(-1));
  input.addEventListener("keydown", (event) => {
    const count = options().length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      choose((active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      choose(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !event.isComposing) {
      event.preventDefault();
      window.location.assign(options()[active].href);
    }
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const expanded = options().length > 0;
    input.setAttribute("aria-expanded", String(expanded));
    choose(expanded && document.activeElement === input ? 0 : -1);
  });
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Node) || !input.form || !input.form.contains(event.target)) close();
  });
});

// contacts lists: "select all" and the count of selected rows in the bulk-action bar.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-bulk-form]").forEach((form) => {
    const all = form.querySelector("[data-select-all]");
    const rows = Array.from(form.querySelectorAll("[data-row-select]"));
    const count = form.querySelector("[data-bulk-count]");
    const bar = count ? count.closest(".bulk-bar") : null;
    const idle = count ? count.textContent : "";
    const shape = (number) => {
      const digits = (count && count.dataset.digitSet) || "0123456789";
      return String(number).replace(/[0-9]/g, (digit) => digits[Number(digit)]);
    };
    const update = () => {
      const chosen = rows.filter((row) => row.checked).length;
      if (all) {
        all.checked = chosen > 0 && chosen === rows.length;
        all.indeterminate = chosen > 0 && chosen < rows.length;
      }
      if (count) count.textContent = chosen ? count.dataset.selectedText.replace("{count}", shape(chosen)) : idle;
      if (bar) bar.classList.toggle("has-selection", chosen > 0);
    };
    if (bar) bar.classList.add("is-enhanced");
    if (all) all.addEventListener("change", () => { rows.forEach((row) => { row.checked = all.checked; }); update(); });
    rows.forEach((row) => row.addEventListener("change", update));
    update();
  });
});

// timeline: the quick log form on the customer page. "L" (the key, whatever the keyboard's language)
// jumps to it, Ctrl+Enter logs, and the Call / Visit / Note / Message buttons fill channel, kind and direction.
(() => {
  const subjectOf = (form) => form && form.querySelector("[data-timeline-subject]");
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (event.code === "KeyL" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const subject = subjectOf(document.getElementById("timeline-log-form"));
      if (subject) { event.preventDefault(); subject.focus(); }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target instanceof HTMLElement) {
      const form = target.closest("#timeline-log-form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-timeline-preset]") : null;
    if (!button || !button.form) return;
    const preset = JSON.parse(button.dataset.timelinePreset);
    Object.entries(preset).forEach(([name, value]) => {
      const select = button.form.querySelector(`select[name$="${name}"]`);
      if (select && Array.from(select.options).some((option) => option.value === value)) select.value = value;
    });
    button.form.querySelectorAll("[data-timeline-preset]").forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
    const subject = subjectOf(button.form);
    if (subject) subject.focus();
  });
})();

// records: "Add a contact point / an address" on the customer form adds a row in place (without
// JavaScript the same button asks the server for the form again, one row longer, nothing lost).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-formset-add]") : null;
  if (!button || !button.form) return;
  const prefix = button.dataset.formsetAdd;
  const total = button.form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const template = document.getElementById(`${prefix}-empty`);
  const rows = button.form.querySelector(`[data-formset="${prefix}"]`);
  if (!total || !template || !rows) return;
  event.preventDefault();
  const index = Number(total.value);
  rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
  total.value = String(index + 1);
  const first = rows.lastElementChild && rows.lastElementChild.querySelector("input:not([type=hidden]), select");
  if (first) first.focus();
});
