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

// A part of a form that matters only when a box is ticked: <div class="js-shown-when" data-shown-when="#box">.
// Hidden (not removed) otherwise, so a value typed stays; the server decides what is required.
for (const part of document.querySelectorAll(".js-shown-when")) {
  const box = document.querySelector(part.dataset.shownWhen);
  if (!box) continue;
  const update = () => { part.hidden = !box.checked && !part.querySelector(".is-invalid"); };
  box.addEventListener("change", () => { part.hidden = !box.checked; });
  update();
}

// Delegation member forms: picking an account fills the name, title and unit from it (the server does the
// same for fields left blank). A field the user typed into is left alone.
for (const form of document.querySelectorAll("form.js-member-form")) {
  const data = document.getElementById("member-accounts");
  const select = form.querySelector("select[name=user_id]");
  if (!data || !select) continue;
  const accounts = JSON.parse(data.textContent);
  const fields = ["name", "local_name", "title", "unit"].map((name) => form.querySelector(`[name=${name}]`));
  const fill = () => {
    const account = accounts[select.value] || {};
    for (const input of fields) {
      if (input && (!input.value || input.dataset.filled === input.value)) {
        input.value = account[input.name] || "";
        input.dataset.filled = input.value;
      }
    }
  };
  select.addEventListener("change", fill);
  if (select.value) fill();
  // Back after an add (#user_id): the panel is open again; put the cursor in it for the next member. After
  // load, since the browser's own scroll to the fragment would otherwise take the focus away again.
  if (window.location.hash === `#${select.id}`) {
    window.addEventListener("load", () => setTimeout(() => select.focus(), 0));
  }
}

// Checkbox lists (crm.core.forms.CheckboxListWidget): a long list gets a filter box that hides the
// choices not matching what is typed, in either script; ticked boxes stay ticked while hidden.
const FILTER_FROM = 8;
for (const list of document.querySelectorAll(".js-checkbox-list")) {
  const filter = list.querySelector(".js-checkbox-filter");
  const apply = () => {
    const rows = list.querySelectorAll(".form-check");
    filter.hidden = rows.length < FILTER_FROM;
    const wanted = filter.value.trim().toLowerCase();
    for (const row of rows) {
      row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
    }
  };
  filter.addEventListener("input", apply);
  // Enter in the filter must not send the form.
  filter.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  list.addEventListener("checkbox-list:changed", apply);
  apply();
}

// Tables on phones: every cell is labelled with its column heading, and static/css/app.css stacks the rows
// as cards below 576 px, so no column shrinks to one character per line. A table that still scrolls
// sideways gets a focusable, named region, so it can be scrolled from the keyboard.
for (const wrapper of document.querySelectorAll(".table-responsive")) {
  const table = wrapper.querySelector("table");
  if (!table || !table.tHead) continue;
  // The heading's words, without the sort arrow (▲▼) of the sorted column.
  const headings = Array.from(table.tHead.rows[0].cells, (cell) =>
    cell.textContent.replace(/[▲▼]/g, "").replace(/\s+/g, " ").trim(),
  );
  // Every body: a table may group its rows in several (the industry chains, one per sector).
  for (const row of Array.from(table.tBodies, (body) => Array.from(body.rows)).flat()) {
    let column = 0;
    for (const cell of row.cells) {
      if (cell.colSpan === 1 && headings[column]) cell.dataset.label = headings[column];
      column += cell.colSpan;
    }
  }
  table.classList.add("table-stack");
  const label = wrapper.closest("section")?.querySelector("h2, h1")?.textContent.trim() || document.title;
  const markScrollable = () => {
    if (wrapper.scrollWidth > wrapper.clientWidth) {
      Object.assign(wrapper, { tabIndex: 0 });
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", label);
    }
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
}
