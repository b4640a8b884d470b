import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

/**
 * Where background work runs. The in-process runner below is enough for one instance; a multi-instance deployment
 * binds this token to a distributed queue (e.g. BullMQ on Redis) with the same two methods.
 */
export abstract class JobRunner {
  abstract register(name: string, handler: JobHandler): void;
  /** Jobs with the same key never run at the same time (one sync per tenant). */
  abstract enqueue(name: string, key: string, payload: Record<string, unknown>): Promise<void>;
}

@Injectable()
export class InProcessJobRunner extends JobRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly chains = new Map<string, Promise<void>>();

  register(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  async enqueue(name: string, key: string, payload: Record<string, unknown>): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job ${name}`);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => handler(payload))
      .catch((error) => this.logger.error(`Job ${name} (${key}) failed: ${(error as Error).stack ?? error}`));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** A graceful stop lets running jobs finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  /** For tests and shutdown: resolves when every queued job has finished. */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }
}
