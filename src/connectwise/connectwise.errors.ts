export interface CwFieldError {
  code?: string;
  message?: string;
  field?: string;
  resource?: string;
}

/**
 * A failed ConnectWise call: what we tried, what ConnectWise said. Built only from the response body and status,
 * never from the request, so keys and hashes cannot leak into messages or logs.
 */
export class ConnectWiseError extends Error {
  readonly name = 'ConnectWiseError';

  constructor(
    readonly operation: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly cwMessage: string,
    readonly fieldErrors: CwFieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(
      `ConnectWise ${operation} failed` +
        (status ? ` (HTTP ${status}${code ? ` ${code}` : ''})` : '') +
        `: ${cwMessage}` +
        (fieldErrors.length
          ? ` [${fieldErrors.map((e) => `${e.field ?? '?'}: ${e.message ?? e.code}`).join('; ')}]`
          : ''),
    );
  }

  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }

  /** The text a billing clerk sees on a failed line. */
  get userMessage(): string {
    const fields = this.fieldErrors.map((e) => e.message).filter(Boolean);
    return fields.length ? `${this.cwMessage}: ${fields.join('; ')}` : this.cwMessage;
  }
}
