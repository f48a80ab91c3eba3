// Reassigning follow-ups from a list: each item's Reassign button opens the page's one dialog, which holds
// the list of accounts once (not once per item) and posts the same form as the follow-up's own page.
// Without JavaScript, the button leads to that page.
"use strict";

(() => {
  const dialog = document.getElementById("reassign-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const form = dialog.querySelector("form");
  // The reassign address of a follow-up: the dialog's for follow-up 0, with the item's id.
  const reassignUrl = (id) => dialog.dataset.url.replace(/\/0\/reassign$/, `/${id}/reassign`);

  for (const button of document.querySelectorAll(".js-reassign")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      form.action = reassignUrl(button.dataset.followUpId);
      form.elements.owner_id.value = button.dataset.owner;
      dialog.querySelector(".js-reassign-title").textContent = button.dataset.title;
      dialog.showModal();
      form.elements.owner_id.focus();
    });
  }
  dialog.querySelector(".js-reassign-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
})();
