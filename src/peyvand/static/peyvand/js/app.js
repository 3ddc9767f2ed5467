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
