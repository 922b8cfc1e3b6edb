import { randomUUID } from 'node:crypto';
import ejs from 'ejs';

/**
 * What a field is called where its form gives it no label: "owner_email" reads "Owner email",
 * "role_id" reads "Role", never the name the code knows it by.
 */
export function humanisedField(name: string): string {
  const words = name
    .replace(/\[\d*\]|\.\d+/g, '')
    .replace(/(_ids?|Ids?)$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[_.\s-]+/)
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** The helpers one page render gets, and what it does to the finished page. */
export interface PageFieldLabels {
  /** Shows a field's label beside its reason, and records it as what the summary calls that field. */
  fieldLabel: (name: string, label: string) => string;
  /** Where the error summary (at the top, before any field is rendered) names a field. */
  summaryLabel: (name: string) => string;
  /** The page with each summary name replaced by the label its form showed (or a humanised name). */
  fill: (html: string) => string;
}

/**
 * The error summary at the top of a refused form names each field with the label the form shows
 * beside that field: the summary is rendered first, so it leaves a mark that is filled in once the
 * whole page (and so every label) has been rendered. One set of helpers per render.
 */
export function pageFieldLabels(): PageFieldLabels {
  const labels = new Map<string, string>();
  const asked: string[] = [];
  const mark = `\u0000field-label:${randomUUID()}:`;
  return {
    fieldLabel: (name, label) => {
      if (!labels.has(name)) labels.set(name, label);
      return label;
    },
    summaryLabel: (name) => {
      asked.push(name);
      return `${mark}${asked.length - 1}\u0000`;
    },
    fill: (html) => {
      if (!asked.length) return html;
      return html.split(mark).reduce((out, part, i) => {
        if (i === 0) return part;
        const end = part.indexOf('\u0000');
        const name = asked[Number(part.slice(0, end))];
        return out + ejs.escapeXML(labels.get(name) ?? humanisedField(name)) + part.slice(end + 1);
      }, '');
    },
  };
}
