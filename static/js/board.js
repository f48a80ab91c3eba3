// The pipeline board. A card's Move, or dragging the card to another column, opens the board's one move
// dialog (the stage menu is rendered once per page), which asks for the note the stage change carries and
// posts the same form the project's page uses. Without JavaScript, Move leads to the project's page.
"use strict";

(() => {
  const board = document.querySelector("[data-board]");
  const dialog = document.getElementById("move-dialog");
  if (!board || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const form = dialog.querySelector("form");
  let dragged = null;
  let pending = null; // the card being moved while the dialog is open, and where it came from

  const columnOf = (element) => element.closest(".board-column");
  const clearTargets = () => {
    for (const column of board.querySelectorAll(".is-drop-target")) {
      column.classList.remove("is-drop-target");
    }
  };

  // The stage form's address of a project: the board's for project 0, with the card's project id.
  const stageUrl = (id) => board.dataset.stageUrl.replace(/\/0\/stage$/, `/${id}/stage`);

  const openDialog = (card, stage) => {
    const move = card.querySelector(".js-board-move");
    form.action = stageUrl(card.dataset.projectId);
    form.elements.version.value = move.dataset.version;
    form.elements.to_stage.value = stage || columnOf(card).dataset.stage;
    form.elements.note.value = "";
    // The name without its "Confidential" badge.
    dialog.querySelector(".js-move-name").textContent = card.querySelector(".js-project-name").firstChild.textContent.trim();
    pending = { card, home: card.parentElement, next: card.nextElementSibling };
    dialog.showModal();
    (stage ? form.elements.note : form.elements.to_stage).focus();
  };

  // Cancelled (the button, Escape, or a click outside): the card goes back where it was.
  const putBack = () => {
    if (pending && !pending.sent) {
      pending.home.insertBefore(pending.card, pending.next);
      pending.card.classList.remove("is-moving");
    }
    pending = null;
  };
  dialog.addEventListener("close", putBack);
  dialog.querySelector(".js-move-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  form.addEventListener("submit", () => {
    if (pending) pending.sent = true;
  });

  for (const card of board.querySelectorAll(".board-card")) {
    const move = card.querySelector(".js-board-move");
    if (!move) {
      continue; // only cards the user may move are draggable
    }
    move.addEventListener("click", (event) => {
      event.preventDefault();
      openDialog(card, null);
    });
    card.draggable = true;
    card.classList.add("is-draggable");
    card.addEventListener("dragstart", (event) => {
      dragged = card;
      card.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.projectId);
    });
    card.addEventListener("dragend", () => {
      card.classList.remove("is-dragging");
      dragged = null;
      clearTargets();
    });
  }

  for (const column of board.querySelectorAll(".board-column")) {
    column.addEventListener("dragover", (event) => {
      if (!dragged || columnOf(dragged) === column) {
        return;
      }
      event.preventDefault(); // allows the drop
      event.dataTransfer.dropEffect = "move";
      column.classList.add("is-drop-target");
    });
    column.addEventListener("dragleave", (event) => {
      if (!column.contains(event.relatedTarget)) {
        column.classList.remove("is-drop-target");
      }
    });
    column.addEventListener("drop", (event) => {
      event.preventDefault();
      clearTargets();
      if (!dragged || columnOf(dragged) === column) {
        return;
      }
      const card = dragged;
      openDialog(card, column.dataset.stage);
      // Show the card where it is going; Cancel puts it back.
      column.querySelector(".board-cards").append(card);
      card.classList.add("is-moving");
    });
  }
})();
