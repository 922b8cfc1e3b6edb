import type { RequestHandler, Response } from 'express';

/**
 * Marks every response of the routes behind it as JSON: their errors (a 404 too) are answered
 * as JSON whatever the client's Accept header says. HTML routes need nothing.
 */
export const declareJson: RequestHandler = (_req, res, next) => {
  markJson(res);
  next();
};

export function markJson(res: Response): void {
  res.locals.answers = 'json';
}

export function answersJson(res: Response): boolean {
  return res.locals.answers === 'json';
}
