// The customer picker (contacts/_picker.html). Without this script the field is a box for customer
// numbers. With it the numbers live in that same input, now hidden; the chosen customers are shown
// as names one may remove, and a search box suggests customers as one types (htmx fills the
// listbox from contacts:party_picker): the first suggestion is chosen when they arrive, arrow keys
// choose another, Enter or a click takes it, Escape closes the list.
(() => {
  const numbersOf = (text) => text.split(/[\s,،]+/).filter((part) => part !== "");

  const enhance = (picker) => {
    const value = picker.querySelector("[data-picker-value]");
    const search = picker.querySelector("[data-picker-search]");
    const chosenList = picker.querySelector("[data-picker-chosen]");
    if (!value || !search || !chosenList || picker.dataset.pickerReady) return;
    picker.dataset.pickerReady = "true";
    const multiple = picker.hasAttribute("data-multiple");
    const label = picker.querySelector("label");
    value.type = "hidden";
    search.hidden = false;
    // The field's help speaks of numbers, which are no longer typed.
    picker.querySelectorAll("[data-picker-number-help]").forEach((help) => { help.hidden = true; });
    if (label) label.htmlFor = search.id;
    const listbox = () => document.getElementById(search.getAttribute("aria-controls"));
    const options = () => Array.from(picker.querySelectorAll("[role=option]"));
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
      if (active >= 0) search.setAttribute("aria-activedescendant", all[active].id);
      else search.removeAttribute("aria-activedescendant");
    };
    const close = () => {
      const list = listbox();
      if (list) list.innerHTML = "";
      search.setAttribute("aria-expanded", "false");
      choose(-1);
    };
    const sync = () => {
      const numbers = Array.from(chosenList.children).map((item) => item.dataset.partyId);
      value.value = numbers.join(", ");
      // One customer: the search box gives way to the chosen name until it is removed.
      search.hidden = !multiple && numbers.length > 0;
    };
    const add = (number, name) => {
      if (!multiple) chosenList.innerHTML = "";
      if (Array.from(chosenList.children).some((item) => item.dataset.partyId === number)) return;
      const item = document.createElement("li");
      item.className = "picker-choice";
      item.dataset.partyId = number;
      const text = document.createElement("span");
      text.dir = "auto";
      text.textContent = name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker-remove";
      remove.dataset.pickerRemove = "";
      remove.setAttribute("aria-label", `${picker.dataset.removeLabel} ${name}`);
      remove.textContent = "×";
      item.append(text, " ", remove);
      chosenList.append(item);
    };
    const take = (option) => {
      add(option.dataset.partyId, option.dataset.partyName);
      search.value = "";
      close();
      sync();
      if (!search.hidden) search.focus();
      else {
        const remove = chosenList.querySelector("[data-picker-remove]");
        if (remove) remove.focus();
      }
    };

    // A number typed before the script ran, or a customer chosen on an earlier page, keeps its chip.
    const shown = new Set(Array.from(chosenList.children).map((item) => item.dataset.partyId));
    numbersOf(value.value).forEach((number) => { if (!shown.has(number)) add(number, `#${number}`); });
    sync();

    chosenList.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("[data-picker-remove]") : null;
      if (!button) return;
      button.closest("li").remove();
      sync();
      search.focus();
    });
    search.addEventListener("input", () => choose(-1));
    search.addEventListener("keydown", (event) => {
      const count = options().length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        choose((active + 1) % count);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        choose(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault(); // never submits the form around it
        // The first suggestion when none is marked yet (the list may have just arrived).
        if (count) take(options()[active >= 0 ? active : 0]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    picker.addEventListener("click", (event) => {
      const option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
      if (option) take(option);
    });
    picker.addEventListener("htmx:afterSettle", () => {
      const expanded = options().length > 0 || Boolean(listbox() && listbox().textContent.trim());
      search.setAttribute("aria-expanded", String(expanded));
      choose(options().length && document.activeElement === search ? 0 : -1);
    });
    document.addEventListener("click", (event) => {
      if (!(event.target instanceof Node) || !picker.contains(event.target)) close();
    });
  };

  const start = () => document.querySelectorAll("[data-party-picker]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
