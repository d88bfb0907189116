// Canopy's console: progressive enhancements only (every page works without this script).
// Served from this server (script-src 'self'): no inline code, no eval.
"use strict";

// Progress on slow actions: the submit button says it is working and is not pressed twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var confirmText = form.getAttribute("data-confirm");
  if (confirmText && !window.confirm(confirmText)) {
    event.preventDefault();
    return;
  }
  var button = event.submitter || form.querySelector("button[type=submit]");
  if (!button || !button.hasAttribute("data-progress")) return;
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
  button.setAttribute("aria-busy", "true");
  button.setAttribute("data-label", button.textContent);
  // Changed after the submission is dispatched, so that the button's value is still sent.
  window.setTimeout(function () { button.textContent = button.getAttribute("data-progress"); }, 0);
});

// Live branding preview: the chosen theme's colour and the chosen logo, shown at once in the
// preview and on the page itself, before anything is saved.
function preview(name, value) {
  document.documentElement.style.setProperty(name, value);
}

document.addEventListener("change", function (event) {
  var input = event.target;
  if (input.name === "theme" && input.getAttribute("data-colour")) {
    preview("--brand", input.getAttribute("data-colour"));
  }
  var into = input.getAttribute && input.getAttribute("data-logo-into");
  if (into && input.files && input.files[0]) {
    var reader = new FileReader();
    reader.onload = function () {
      document.getElementById(into).value = reader.result;
      document.querySelectorAll(".logo").forEach(function (logo) {
        logo.style.setProperty("background-image", "url(\"" + reader.result + "\")");
      });
    };
    reader.readAsDataURL(input.files[0]);
  }
});

// A refusal shown with the page: brought into view and focused, so that keyboard and screen
// reader users land on it.
document.addEventListener("DOMContentLoaded", function () {
  var alert = document.querySelector("main [role=alert]");
  if (!alert) return;
  alert.setAttribute("tabindex", "-1");
  alert.scrollIntoView({ block: "center" });
  alert.focus({ preventScroll: true });
});
