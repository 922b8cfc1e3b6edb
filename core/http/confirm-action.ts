import type { Request, RequestHandler, Response } from 'express';

/** What a confirmation asks: what will happen, in words, and where "cancel" goes back to. */
export interface Confirmation {
  title: string;
  message: string;
  confirmLabel: string;
  cancelHref: string;
}

/**
 * A destructive POST runs only with `confirmed=yes`. Without it the answer is a confirmation page
 * holding the same form again (its fields kept, `confirmed=yes` added): works without JavaScript.
 * With JavaScript, `public/confirm.js` asks in the page first and adds the field itself, so the
 * person sees one question either way.
 */
export function requireConfirmation(describe: (req: Request, res: Response) => Confirmation): RequestHandler {
  return (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.confirmed === 'yes') return next();
    const fields = Object.entries(body)
      .filter(([name]) => name !== '_csrf' && name !== 'confirmed')
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string').map((v) => ({ name, value: v as string })));
    res.render('confirm', { ...describe(req, res), action: req.originalUrl, fields });
  };
}
