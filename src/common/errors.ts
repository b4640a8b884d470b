/** An error a user can act on: a stable code, the HTTP status, and a message that says what to do. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`);
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
