/**
 * What follows the label of a required field (`<%- requiredMark %>` in a view): seen, not read
 * out, since screen readers already say "required" from the attribute. Each form with one says
 * what it means (views/partials/required-note.ejs), or the page says it once ahead of its many small
 * forms (a Restore per backup).
 */
export const REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>';
