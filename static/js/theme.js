// Display settings: the theme a reader chose (light or dark), kept in localStorage on this device.
// Loaded in <head>, before the stylesheet, so <html data-theme> is set before the page is first drawn
// (no flash of the other theme), with data-js, which shows the header's settings button (the stylesheet hides it
// without JavaScript, so it never appears late and moves the header). "System" stores nothing: the stylesheet follows
// prefers-color-scheme, as it does without JavaScript.
(function () {
  "use strict";
  var KEY = "mib-theme";
  var root = document.documentElement;

  function stored() {
    try {
      var theme = localStorage.getItem(KEY);
      return theme === "light" || theme === "dark" ? theme : "system";
    } catch (e) {
      return "system"; // storage blocked: the system's theme
    }
  }

  function apply(theme) {
    if (theme === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }

  function remember(theme) {
    try {
      if (theme === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch (e) {
      // storage blocked: the choice holds for this page only
    }
  }

  apply(stored());
  root.setAttribute("data-js", "");

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".settings-button");
    var panel = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    var radios = Array.prototype.slice.call(panel.querySelectorAll("input[name=theme]"));

    function show(theme) {
      radios.forEach(function (radio) { radio.checked = radio.value === theme; });
    }

    function toggle(open) {
      button.setAttribute("aria-expanded", String(open));
      panel.hidden = !open;
    }

    show(stored());
    button.addEventListener("click", function () { toggle(panel.hidden); });
    panel.addEventListener("change", function (event) {
      apply(event.target.value);
      remember(event.target.value);
    });
    // Escape, on the button or anywhere in the panel, closes the panel and leaves the focus on the button.
    function close(event) {
      if (event.key === "Escape" && !panel.hidden) {
        toggle(false);
        button.focus();
      }
    }
    button.addEventListener("keydown", close);
    panel.addEventListener("keydown", close);
    // A choice made in another tab applies here too.
    window.addEventListener("storage", function (event) {
      if (event.key === KEY || event.key === null) {
        apply(stored());
        show(stored());
      }
    });
  });
})();
