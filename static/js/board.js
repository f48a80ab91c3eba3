// The pipeline board: drag a card to another column to move its project to that stage.
// Dropping submits the card's own form (stage select + Move), the same one used without JavaScript
// and from the keyboard, so the server sees one kind of request either way.
"use strict";

(() => {
  const board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  let dragged = null;

  const columnOf = (element) => element.closest(".board-column");
  const clearTargets = () => {
    for (const column of board.querySelectorAll(".is-drop-target")) {
      column.classList.remove("is-drop-target");
    }
  };

  for (const card of board.querySelectorAll(".board-card")) {
    if (!card.querySelector("form.js-board-move")) {
      continue; // only cards the user may move are draggable
    }
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
      const form = card.querySelector("form.js-board-move");
      form.elements.to_stage.value = column.dataset.stage;
      // Show the card where it is going while the server records the move and sends the board back.
      column.querySelector(".board-empty")?.remove();
      column.querySelector(".board-cards").append(card);
      card.classList.add("is-moving");
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }
})();
