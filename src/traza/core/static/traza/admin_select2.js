/* Traza: the admin's autocomplete widgets (Django's select2) named for assistive technology.
   select2 names its combobox and read-only textbox only by the chosen text (nothing while
   empty), leaves its inline search field without a label, and puts its mouse-only "×" (clear
   all; the keyboard clears with Delete) inside the list of chosen items. Each widget is
   named by its field's <label>, again whenever select2 redraws it (WCAG 1.3.1, 4.1.2). */
"use strict";
(function () {
  function labelFor(select) {
    if (!select.id) return null;
    const label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    if (label && !label.id) label.id = select.id + "-label";
    return label;
  }

  function set(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function name(select) {
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    const label = labelFor(select);
    if (!label) return;
    const text = label.textContent.replace(/:\s*$/, "").trim();
    const rendered = container.querySelector(".select2-selection__rendered");
    const box = container.querySelector(".select2-selection");
    if (box) {
      const chosen = rendered && rendered.id && rendered.getAttribute("role") === "textbox";
      set(box, "aria-labelledby", chosen ? label.id + " " + rendered.id : label.id);
    }
    // its own name is the label; followed from the box, its text (the choice) is read
    if (rendered && rendered.getAttribute("role") === "textbox") {
      set(rendered, "aria-labelledby", label.id);
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      set(field, "aria-label", text);
    });
    container.querySelectorAll(".select2-selection__clear").forEach(function (clear) {
      set(clear, "aria-hidden", "true");
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    // select2 starts after this (jQuery's ready) and redraws on every choice: follow it.
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
