// The visit form: when the enterprise or the trip changes, offer its contacts or its delegation.
// Without JavaScript the choices come from the server when the form is shown again.
"use strict";

for (const box of document.querySelectorAll(".js-dependent-choices")) {
  const source = document.querySelector(box.dataset.source);
  const list = box.querySelector(".js-checkbox-list");
  if (!source || !list) {
    continue;
  }
  const idOf = () => {
    const value = source.value.trim();
    const picked = value.match(/#(\d+)$/);
    if (picked) {
      return picked[1];
    }
    return /^\d+$/.test(value) ? value : null;
  };
  let latest = 0;
  const refresh = async () => {
    const id = idOf();
    if (!id) {
      return;
    }
    const asked = ++latest;
    const url = box.dataset.url.replace(/\/0\//, `/${id}/`);
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const items = await response.json();
    if (asked !== latest) {
      return; // a later change asked again: its answer is the one to show
    }
    // What is ticked now, not when the question was asked: a box ticked meanwhile stays ticked.
    const chosen = new Set(Array.from(list.querySelectorAll("input:checked"), (input) => input.value));
    // The same markup as crm.core.forms.CheckboxListWidget.
    list.querySelector(".checkbox-list-options").replaceChildren(
      ...items.map((item, number) => {
        const row = document.createElement("div");
        row.className = "form-check";
        const input = document.createElement("input");
        Object.assign(input, { type: "checkbox", className: "form-check-input", name: list.id, id: `${list.id}-${number}` });
        input.value = String(item.id);
        input.checked = chosen.has(String(item.id));
        const label = document.createElement("label");
        Object.assign(label, { className: "form-check-label", htmlFor: input.id, textContent: item.name });
        row.append(input, label);
        return row;
      }),
    );
    list.dispatchEvent(new Event("checkbox-list:changed"));
  };
  source.addEventListener("change", refresh);
}

// A name that matches no enterprise on file: open "add the enterprise here" with the name already in it,
// in the Chinese or the English field by its script. The server does the same when the form comes back.
const picker = document.querySelector("#enterprise.js-enterprise-picker");
const addHere = document.querySelector(".js-new-enterprise");
if (picker && addHere) {
  let unmatched = "";
  picker.addEventListener("enterprise-lookup", (event) => {
    unmatched = event.detail.count === 0 ? event.detail.text : "";
  });
  picker.addEventListener("change", () => {
    const localName = document.getElementById("new_enterprise_local_name");
    const englishName = document.getElementById("new_enterprise_name");
    if (!unmatched || picker.value.trim() !== unmatched || localName.value || englishName.value) {
      return;
    }
    const target = /[\u3400-\u9fff]/.test(unmatched) ? localName : englishName;
    target.value = unmatched;
    addHere.open = true;
  });
}
