// The top bar's search box: suggestions grouped by kind as one types, after a pause.
// Without JavaScript the box still sends the form to the results page.
"use strict";

for (const input of document.querySelectorAll("input.js-top-search")) {
  const panel = document.getElementById(input.getAttribute("aria-controls"));
  let timer = null;
  let asked = "";

  const hide = () => {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
  };

  const line = (href, label, detail, extraClass) => {
    const link = document.createElement("a");
    link.className = `list-group-item list-group-item-action ${extraClass || ""}`;
    link.href = href;
    link.textContent = label;
    if (detail) {
      const small = document.createElement("div");
      small.className = "small text-body-secondary";
      small.textContent = detail;
      link.append(small);
    }
    return link;
  };

  const show = (data) => {
    const lines = [];
    for (const group of data.groups) {
      const heading = document.createElement("div");
      heading.className = "list-group-item small fw-semibold text-body-secondary bg-body-tertiary";
      heading.textContent = group.label;
      lines.push(heading, ...group.items.map((item) => line(item.url, item.label, item.detail)));
    }
    if (!lines.length) {
      const none = document.createElement("div");
      none.className = "list-group-item text-body-secondary";
      none.textContent = input.dataset.empty;
      lines.push(none);
    }
    lines.push(line(data.all, input.dataset.all, "", "fw-semibold"));
    panel.replaceChildren(...lines);
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) {
      hide();
      return;
    }
    timer = setTimeout(async () => {
      asked = text;
      const response = await fetch(`${input.dataset.url}?q=${encodeURIComponent(text)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok && asked === input.value.trim()) {
        show(await response.json());
      }
    }, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hide();
    } else if (event.key === "ArrowDown" && !panel.hidden) {
      event.preventDefault();
      panel.querySelector("a")?.focus();
    }
  });
  panel.addEventListener("keydown", (event) => {
    const links = Array.from(panel.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? links[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      hide();
      input.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!input.form.contains(event.target)) {
      hide();
    }
  });
}
