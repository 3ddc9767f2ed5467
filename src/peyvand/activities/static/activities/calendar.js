// Drag an activity onto another day (or hour) of the calendar to move it: the same POST as the
// "move to" form, which stays the way to do it by keyboard or without JavaScript.
(function () {
  "use strict";
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function move(url, date, time) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    var fields = { csrfmiddlewaretoken: csrfToken(), date: date, time: time || "", next: window.location.pathname + window.location.search };
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }
  document.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest("[data-move-url]");
    if (!entry) return;
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-move-url"));
    event.dataTransfer.effectAllowed = "move";
  });
  function target(event) {
    return event.target.closest && event.target.closest("[data-date]");
  }
  document.addEventListener("dragover", function (event) {
    var cell = target(event);
    if (!cell) return;
    event.preventDefault();
    cell.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    var cell = target(event);
    if (cell) cell.classList.remove("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var cell = target(event);
    var url = event.dataTransfer.getData("text/plain");
    if (!cell || !url || url.charAt(0) !== "/") return;
    event.preventDefault();
    move(url, cell.getAttribute("data-date"), cell.getAttribute("data-time"));
  });
})();
