/**
 * ConnectWise's own error answers (research/connectwise.md §3.6), not the app's `{error, message}` shape:
 * clients are written against these bodies, so the simulator must send them byte for byte.
 */

/** One entry of `errors[]` in a 400 InvalidObject answer. */
export interface CwFieldError {
  code: string;
  message: string;
  resource: string;
  field: string;
}

/** An answer the simulator gives instead of the resource; thrown by the state and routes, sent by the controller. */
export class CwError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.code));
  }

  asResponse(): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
    return { status: this.status, body: this.body, headers: this.headers };
  }
}

export const cwNotFound = (message: string) => new CwError(404, { code: 'NotFound', message });

/** A record-level validation failure: `{code:"InvalidObject", message:"addition object is invalid", errors:[...]}`. */
export const cwInvalidObject = (resource: string, errors: CwFieldError[]) =>
  new CwError(400, { code: 'InvalidObject', message: `${resource} object is invalid`, errors });

/** A bad query parameter (conditions, orderBy, page): the message says what is wrong, `errors` is null. */
export const cwBadQuery = (message: string) =>
  new CwError(400, { code: 'InvalidObject', message, errors: null });

export const cwNotAuthenticated = () =>
  new CwError(401, { code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });

export const cwClientIdRequired = () =>
  new CwError(401, {
    code: 'Unauthorized',
    message: 'clientId header is required. See https://developer.connectwise.com/ClientID',
  });

/** Keeps the permission name in the message: the installer reads it back to list what the role lacks. */
export const cwForbidden = (permission: string) =>
  new CwError(403, {
    code: 'Unauthorized',
    message:
      `You do not have access to this resource: ${permission}. ` +
      "Ask your ConnectWise administrator to add it to the API member's security role.",
  });

/** Throttling answers with `error`, not `code`, as the DevGuide's example shows. */
export const cwRateLimited = (seconds: number) =>
  new CwError(
    429,
    { error: 'ConnectWiseAPI', message: `Too many requests. Please try again in ${seconds} seconds.` },
    { 'Retry-After': String(seconds) },
  );

export const cwServerError = () =>
  new CwError(500, { code: 'UnexpectedError', message: 'An unexpected error has occurred.' });
