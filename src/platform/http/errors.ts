/** An error the API reports in the documented envelope with its HTTP status. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Authentication required', code = 'unauthorized') =>
  new AppError(401, code, message);
export const forbidden = (message = 'Your role does not allow this action', code = 'forbidden') =>
  new AppError(403, code, message);
/** 404 for a missing resource, named in the code: `notFound('order')` → `order_not_found`. */
export const notFound = (entity: string, message?: string) =>
  new AppError(404, `${entity}_not_found`, message ?? `${entity.replace(/_/g, ' ')} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
export const unavailable = (code: string, message: string) => new AppError(503, code, message);
