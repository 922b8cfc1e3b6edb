/**
 * What follows the label of a required field (`<%- requiredMark %>` in a view): seen, not read
 * out, since screen readers already say "required" from the attribute. Each form with one says
 * once what it means (views/partials/required-note.ejs).
 */
export const REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>';
