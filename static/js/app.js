// Small progressive enhancements; every page works without them.
"use strict";

// Ask before a destructive form is sent: <form class="js-confirm" data-confirm="…">.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.js-confirm");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Enterprise pickers: suggest matching enterprises (either script) while the user types.
// Each suggestion is "Name · 中文名 #id"; the server reads the id back.
for (const input of document.querySelectorAll("input.js-enterprise-picker")) {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 1 || /#\d+$/.test(text)) {
      return;
    }
    timer = setTimeout(async () => {
      const response = await fetch(`${input.dataset.lookup}?q=${encodeURIComponent(text)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      const matches = await response.json();
      // Forms that offer "add it here" listen for this (static/js/visit-form.js).
      input.dispatchEvent(new CustomEvent("enterprise-lookup", { detail: { text, count: matches.length } }));
      list.replaceChildren(
        ...matches.map((match) => {
          const option = document.createElement("option");
          const names = [match.name, match.local_name].filter(Boolean).join(" · ");
          option.value = `${names} #${match.id}`;
          if (match.city) {
            option.label = match.city;
          }
          return option;
        }),
      );
    }, 200);
  });
}
