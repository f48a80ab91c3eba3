// Amount boxes (<div class="js-amount"><input>…): thousands separators appear as one types,
// "38000000" becomes "38,000,000" and "3800万" "3,800万"; the server reads either with or without them.
"use strict";

const AMOUNT = /^(\D*?)(-?)([\d,]+)(.*)$/;

function withSeparators(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatAmount(input) {
  const match = AMOUNT.exec(input.value);
  if (!match) {
    return;
  }
  const [, prefix, sign, number, rest] = match;
  const grouped = withSeparators(number.replace(/,/g, ""));
  if (grouped === number) {
    return;
  }
  // Keep the caret after the same digit it followed before the separators moved.
  const caret = input.selectionStart ?? input.value.length;
  const digitsBefore = input.value.slice(0, caret).replace(/[^\d]/g, "").length;
  input.value = prefix + sign + grouped + rest;
  let position = 0;
  for (let seen = 0; position < input.value.length && seen < digitsBefore; position += 1) {
    if (/\d/.test(input.value[position])) {
      seen += 1;
    }
  }
  input.setSelectionRange(position, position);
}

for (const input of document.querySelectorAll(".js-amount input")) {
  input.addEventListener("input", () => formatAmount(input));
}
