// @mentions in notes: typing "@" and a few letters in a textarea[data-mentions] offers matching
// colleagues (the script tag's data-endpoint answers {"users": [{username, name}]}); arrow keys
// choose, Enter or Tab inserts "@username ", Escape closes. Without this script "@username" typed
// by hand works the same.
(() => {
  "use strict";
  const endpoint = document.currentScript && document.currentScript.dataset.endpoint;
  // Included again by a form htmx swaps in: the first copy already watches every swap.
  if (!endpoint || window.peyvandMentions) return;
  window.peyvandMentions = true;
  const PARTIAL = /(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.+-]{1,30})$/u;
  let counter = 0;

  function setup(area) {
    if (area.dataset.mentionsReady) return;
    area.dataset.mentionsReady = "1";
    const list = document.createElement("ul");
    list.id = `mention-options-${++counter}`;
    list.className = "mention-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-expanded", "false");
    let active = -1;
    let asked = 0;

    const options = () => Array.from(list.querySelectorAll("[role=option]"));
    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      area.setAttribute("aria-expanded", "false");
      area.removeAttribute("aria-activedescendant");
    };
    const mark = (index) => {
      const all = options();
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      area.setAttribute("aria-activedescendant", all[active].id);
    };
    const choose = (username) => {
      const caret = area.selectionStart;
      const before = area.value.slice(0, caret);
      const match = before.match(PARTIAL);
      if (!match) return close();
      const start = caret - match[1].length - 1;
      const inserted = `@${username} `;
      area.value = area.value.slice(0, start) + inserted + area.value.slice(caret);
      area.selectionStart = area.selectionEnd = start + inserted.length;
      close();
      area.focus();
    };

    area.addEventListener("input", async () => {
      const match = area.value.slice(0, area.selectionStart).match(PARTIAL);
      if (!match) return close();
      const ask = ++asked;
      const response = await fetch(`${endpoint}?q=${encodeURIComponent(match[1])}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || ask !== asked) return;
      const { users } = await response.json();
      if (!users.length) return close();
      list.replaceChildren(
        ...users.map((user, index) => {
          const option = document.createElement("li");
          option.id = `${list.id}-${index}`;
          option.setAttribute("role", "option");
          option.dataset.username = user.username;
          const name = document.createElement("bdi");
          name.textContent = user.name;
          const handle = document.createElement("span");
          handle.className = "muted";
          handle.dir = "ltr";
          handle.textContent = ` @${user.username}`;
          option.append(name, handle);
          option.addEventListener("mousedown", (event) => {
            event.preventDefault();
            choose(user.username);
          });
          return option;
        }),
      );
      list.hidden = false;
      area.setAttribute("aria-expanded", "true");
      mark(0);
    });
    area.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        mark(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options()[active].dataset.username);
      } else if (event.key === "Escape") {
        close();
      }
    });
    area.addEventListener("blur", () => setTimeout(close, 150));
  }

  const scan = (root) => root.querySelectorAll && root.querySelectorAll("textarea[data-mentions]").forEach(setup);
  scan(document);
  document.body.addEventListener("htmx:afterSwap", (event) => scan(event.target));
})();
