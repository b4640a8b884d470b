import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './errors';

interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

function toBody(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof AppError) {
    return {
      status: exception.status,
      body: { error: exception.code, message: exception.message, details: exception.details },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse() as string | { message?: string | string[] };
    const raw = typeof res === 'string' ? res : res.message;
    const message = Array.isArray(raw) ? raw.join('; ') : (raw ?? exception.message);
    return {
      status,
      body: { error: HttpStatus[status] ?? 'ERROR', message, details: Array.isArray(raw) ? raw : undefined },
    };
  }
  return {
    status: 500,
    body: {
      error: 'INTERNAL',
      message: 'Something went wrong on our side. Try again; if it keeps failing, contact support.',
    },
  };
}

/** One place turns every error into JSON for /api and a readable page for screens. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, body } = toBody(exception);
    if (status >= 500)
      this.logger.error(`${req.method} ${req.path}: ${(exception as Error)?.stack ?? exception}`);
    if (res.headersSent) return;
    const wantsJson =
      req.path.startsWith('/api/') || req.path.startsWith('/sandbox/') || !req.accepts('html');
    if (wantsJson) res.status(status).json(body);
    else res.status(status).render('error', { title: 'Something went wrong', status, ...body });
  }
}
