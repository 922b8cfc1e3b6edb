/** A control the page marks as refused (only a refused form's fields carry aria-invalid="true"). */
const INVALID_CONTROL = /<(?:input|select|textarea)\b[^>]*\saria-invalid="true"[^>]*>/;
/** A form control's opening tag (attribute values are escaped: no ">" inside one). */
const CONTROL_TAG = /<(?:input|select|textarea|button)\b[^>]*>/g;
const AUTOFOCUS = /\s+autofocus(?:="[^"]*")?(?=[\s/>])/g;

/**
 * After a refused form, the keyboard starts where the problem is: the first field marked invalid
 * (in the page's order) gets `autofocus`, and a field that has it on a fresh form (the email of
 * the sign-in page) gives it up. A page with no invalid field is left as it is.
 */
export function focusFirstInvalid(html: string): string {
  if (!html.includes('aria-invalid="true"') || !INVALID_CONTROL.test(html)) return html;
  const unfocused = html.replace(CONTROL_TAG, (tag) => tag.replace(AUTOFOCUS, ''));
  return unfocused.replace(INVALID_CONTROL, (tag) => tag.replace(/(\s*\/?)>$/, ' autofocus$1>'));
}
