import type { NextFunction, Request, Response } from 'express';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** A body in anything but JSON is refused with 415 before it is parsed. */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  if (BODY_METHODS.has(req.method) && hasBody(req) && !req.is('application/json')) {
    res
      .status(415)
      .json({
        statusCode: 415,
        code: 'unsupported_media_type',
        message: 'Send the body as application/json.',
      });
    return;
  }
  next();
}

/** API answers (tokens, profiles, codes' state) are never cached. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
}
