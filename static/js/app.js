// Freiraum: progressive enhancement only. Every action also works as a plain form.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

  document.addEventListener("htmx:configRequest", function (event) {
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });

  // htmx leaves error responses unswapped. Fall back to a normal submit, so the person
  // sees the full page with its message instead of a button that silently does nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var element = event.detail.elt;
    if (element && element.tagName === "FORM") {
      element.removeAttribute("hx-post");
      HTMLFormElement.prototype.submit.call(element);
    }
  });

  // A form came back with mistakes: put the focus on the summary (or else the first marked
  // field), so a screen reader reads out what is wrong and the keyboard starts there.
  // After "load": jumping to the page's #fragment would take the focus away again.
  window.addEventListener("load", function () {
    var mistake = document.querySelector(".alert-error[tabindex='-1'], [aria-invalid='true']");
    if (mistake) mistake.focus();
  });

  // Close the account menu and the "More" menu when clicking elsewhere, or on Escape (the
  // focus goes back to the menu's button).
  var MENUS = "details.usermenu[open], details.nav-more[open]";
  document.addEventListener("click", function (event) {
    document.querySelectorAll(MENUS).forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(MENUS).forEach(function (menu) {
      var inside = menu.contains(document.activeElement);
      menu.removeAttribute("open");
      if (inside) menu.querySelector("summary").focus();
    });
  });

  // One-time form keys (suggestions/onetime.py). Going Back to a sent form draws it again
  // with a new key, while the browser puts back what was typed. If the form holds exactly
  // what was sent, it is the same form sent again: give it the first key, so the server
  // shows what it created then instead of creating it twice. Changed text is a new form.
  var navigation = window.performance && performance.getEntriesByType &&
    performance.getEntriesByType("navigation")[0];
  var cameBack = navigation && navigation.type === "back_forward";
  function sentText(form, key) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field !== key && field.name.indexOf("csrf_token") === -1 &&
        (field.type !== "checkbox" && field.type !== "radio" || field.checked);
    }).map(function (field) { return field.name + "=" + field.value; }).join("\n");
  }
  document.querySelectorAll("input[data-form-key]").forEach(function (key) {
    var form = key.form;
    if (!form) return;
    var slot = "form-key " + location.pathname + " " + key.name;
    // Compared when the form is sent: the browser may put the typed text back after this runs.
    form.addEventListener("submit", function () {
      try {
        var text = sentText(form, key);
        var kept = JSON.parse(sessionStorage.getItem(slot) || "null");
        if (cameBack && kept && kept.text === text) key.value = kept.key;
        sessionStorage.setItem(slot, JSON.stringify({ key: key.value, text: text }));
      } catch (error) { /* no storage (private mode): the key still stops retries */ }
    });
  });

  // Internal notes: a suggested name replaces the "@..." being typed (governance).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-mention]") : null;
    if (!button) return;
    var form = button.closest("form");
    var field = form && form.querySelector("textarea[data-mentions]");
    if (!field) return;
    var at = field.value.lastIndexOf("@");
    var head = at >= 0 ? field.value.slice(0, at) : field.value + " ";
    field.value = head + "@" + button.getAttribute("data-mention") + " ";
    field.focus();
    button.closest(".mention-suggestions").innerHTML = "";
  });
})();
